"""The database: engines and sessions, SQLite's driver and turns, locks, upserts, migrations,
secrets at rest, retention."""
