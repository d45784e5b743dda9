"""Exit 0 when a PostgreSQL server answers at the URL given (used by `make test`)."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3):
        pass
except Exception:
    sys.exit(1)
