"""SQLite through aiosqlite: schema, migrations, queries. The only place with SQL."""

from storage.db import Database, from_db, to_db

__all__ = ["Database", "from_db", "to_db"]
