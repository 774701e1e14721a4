"""The foundation both the ETL (etl/) and the app (monitor/, pages/) stand on: settings, read-only warehouse access,
territory, the progress vocabulary, and who may sign in (accounts, roles, lockout)."""
