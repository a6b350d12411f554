"""Alembic migrations for Rapport's tables (run with `rapport migrate`)."""
