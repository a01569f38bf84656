"""SQLite through aiosqlite: schema, migrations, queries. The only place with SQL.

Import the modules themselves (`storage.db`, `storage.rounds`, ...): the package imports
nothing, so `storage.errors` costs no aiosqlite.
"""
