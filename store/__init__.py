"""The DuckDB store: the only package that writes SQL.

``store.db`` opens the file and serialises writes, ``store.schema`` keeps the
tables up to date, ``store.queries`` reads, ``store.imports`` and
``store.registry`` write, ``store.demo`` builds the illustrative database.
"""

from .actors import Actor, PermissionDenied, require
from .db import Store, open_store

__all__ = ["Actor", "PermissionDenied", "Store", "open_store", "require"]
