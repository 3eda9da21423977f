"""Database connections for the two store backends: SQLite (a file path, the default) and
PostgreSQL (a `postgresql://user@host:port/dbname` URL).

Both are wrapped in `Connection`, which has the sqlite3-style surface the rest of the code uses
(`execute(sql, params)` with `?` placeholders, rows readable by index and by column name,
`executemany`, `transaction()`), plus `dialect`, the few SQL fragments where the two differ.
Every value is a bound parameter: SQL text is only ever built from constants in the code.
"""
from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from claimscope.errors import ClaimscopeError

T = TypeVar("T")
URL_SCHEMES = ("postgresql://", "postgres://")
# writers wait this long for SQLite's write lock before the retry loop takes over
BUSY_TIMEOUT_S = 10.0
RETRY_FOR_S = 120.0


class DatabaseError(ClaimscopeError):
    """The database cannot be opened or used (shown as one line, never with a password)."""


def is_url(target: str | Path) -> bool:
    return str(target).startswith(URL_SCHEMES)


def describe(target: str | Path) -> str:
    """A printable name for a database: the path, or host:port/dbname of a URL (no password)."""
    if not is_url(target):
        return str(target)
    parts = urlsplit(str(target))
    host = parts.hostname or "localhost (Unix socket)"
    if not parts.hostname and "host=" in parts.query:
        host = re.search(r"host=([^&]*)", parts.query).group(1)
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"


def _without_secrets(message: str, target: str) -> str:
    password = urlsplit(target).password
    if password:
        message = message.replace(password, "***")
    return " ".join(message.split())  # one line


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between the backends (everything else is written once)."""
    name: str
    like: str  # case-insensitive LIKE (SQLite's LIKE already is, for ASCII)
    concat: str  # format string: aggregate of {} joined with '; '
    json_object: str  # format string: the text of a JSON object from alternating keys and values {}
    json_text: str  # format string: JSON text {} embedded as a value of json_object

    def group_concat(self, expr: str) -> str:
        return self.concat.format(expr)

    def json_object_of(self, pairs: str) -> str:
        return self.json_object.format(pairs)

    def json_raw(self, expr: str) -> str:
        return self.json_text.format(expr)


SQLITE = Dialect("sqlite", like="LIKE", concat="group_concat({}, '; ')", json_object="json_object({})",
                 json_text="json({})")
POSTGRESQL = Dialect("postgresql", like="ILIKE", concat="string_agg({}, '; ')",
                     json_object="json_build_object({})::text", json_text="({})::json")


class Row(tuple):
    """A PostgreSQL row readable like sqlite3.Row: by index, by column name, and with dict()."""
    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor):
    names = [c.name for c in cursor.description or ()]
    cls = type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})
    return cls


@lru_cache(maxsize=4096)
def _pg_sql(sql: str) -> str:
    """`?` placeholders -> `%s` (and a literal `%` -> `%%`), outside quoted strings."""
    out = []
    for i, part in enumerate(re.split(r"('(?:[^']|'')*')", sql)):
        out.append(part if i % 2 else part.replace("%", "%%").replace("?", "%s"))
    return "".join(out)


class Connection:
    """One connection to either backend (see the module docstring)."""

    def __init__(self, raw: Any, dialect: Dialect, target: str):
        self.raw = raw
        self.dialect = dialect
        self.target = target

    @property
    def is_pg(self) -> bool:
        return self.dialect is POSTGRESQL

    def execute(self, sql: str, params: Any = ()):
        if self.is_pg:
            return self.raw.execute(_pg_sql(sql), tuple(params) if params is not None else None)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        if self.is_pg:
            with self.raw.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)
        else:
            self.raw.executemany(sql, rows)

    def executescript(self, script: str) -> None:
        if self.is_pg:
            self.raw.execute(script)
        else:
            # executescript would COMMIT an open transaction: run the statements one by one
            for statement in sqlite3_statements(script):
                self.raw.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """All or nothing. SQLite takes the write lock up front (BEGIN IMMEDIATE), so a busy
        database makes the transaction wait (busy timeout) instead of failing half-way."""
        if self.is_pg:
            with self.raw.transaction():
                yield self
            return
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self.raw.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


def sqlite3_statements(script: str) -> list[str]:
    """Split a DDL script into complete statements (triggers contain `;` of their own)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def connect(target: str | Path, read_only: bool = False, must_exist: bool = False) -> Connection:
    """Open the database at `target` (path or URL). Reads never block writers: SQLite runs in
    WAL mode, PostgreSQL reads in autocommit (each statement its own snapshot)."""
    if is_url(target):
        return Connection(_pg_connect(str(target), read_only), POSTGRESQL, str(target))
    path = Path(target)
    if (read_only or must_exist) and not path.exists():
        raise DatabaseError(f"no database at {path} (run `claimscope analyze … --db {path}` first)")
    try:
        if read_only:
            raw = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, check_same_thread=False,
                                  timeout=BUSY_TIMEOUT_S, isolation_level=None)
        else:
            raw = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_S,
                                  isolation_level=None)
            if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                retrying(lambda: raw.execute("PRAGMA journal_mode=WAL"), is_sqlite_busy)
            raw.execute("PRAGMA synchronous=NORMAL")
            raw.execute("PRAGMA cache_size=-65536")  # 64 MB: index pages of a growing store stay cached
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open SQLite database {path}: {exc}") from None
    raw.row_factory = sqlite3.Row
    raw.execute("PRAGMA foreign_keys=ON")
    return Connection(raw, SQLITE, str(path))


def pg_options(read_only: bool) -> dict[str, Any]:
    """Connection options for PostgreSQL (also used by the server's pool)."""
    opts: dict[str, Any] = {"autocommit": True, "row_factory": _row_factory}
    if read_only:
        opts["options"] = "-c default_transaction_read_only=on"
    return opts


def _pg_connect(url: str, read_only: bool):
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=10, **pg_options(read_only))
    except psycopg.Error as exc:
        raise pg_error(url, exc) from None


def pg_error(url: str, exc: Exception) -> DatabaseError:
    reason = _without_secrets(str(exc) or exc.__class__.__name__, url)
    return DatabaseError(f"cannot connect to PostgreSQL at {describe(url)}: {reason}")


# ---------------------------------------------------------------- retries

def is_sqlite_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))


def is_transient(exc: BaseException) -> bool:
    """A write that failed only because another writer was in the way: retry it."""
    if is_sqlite_busy(exc):
        return True
    try:
        import psycopg.errors as pge
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(exc, (pge.SerializationFailure, pge.DeadlockDetected, pge.LockNotAvailable))


def retrying(action: Callable[[], T], transient: Callable[[BaseException], bool] = is_transient,
             total: float = RETRY_FOR_S) -> T:
    """Run `action`, retrying transient failures with jittered exponential backoff for up to
    `total` seconds (then the last error is raised)."""
    deadline = time.monotonic() + total
    delay = 0.05
    while True:
        try:
            return action()
        except Exception as exc:
            if not transient(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 2.0)
