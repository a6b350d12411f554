"""Rapport's platform-neutral core."""
