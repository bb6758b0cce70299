"""SQLite document store behind the sandbox: one row per record, scoped by organization."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Record = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    api_key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    lago_id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (org_id, kind, key)
);
CREATE INDEX IF NOT EXISTS records_by_lago_id ON records (org_id, kind, lago_id);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Org:
    """An organization of the sandbox; its API key selects it."""

    id: str
    name: str
    api_key: str


def new_id() -> str:
    """A fresh `lago_id`."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Current time in UTC, second precision (Lago's timestamps carry no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """Lago's ISO 8601 form: `2025-01-31T12:00:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SandboxStore:
    """Thread-safe SQLite store of JSON records keyed by (org, kind, key).

    `key` is the identifier Lago addresses the record by (external_id, code, lago_id,
    transaction_id); `lago_id` is always indexed too. Records come back in insertion order.
    """

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._depth = 0
        # Parsed records per (org, kind), kept up to date on writes so that reads after a write do not re-parse
        # the whole kind; `_snapshots` holds the list views handed out (a new list after every write).
        self._parsed: dict[tuple[str, str], dict[str, Record]] = {}
        self._snapshots: dict[tuple[str, str], list[Record]] = {}

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically; nests (inner blocks join the outer transaction)."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                    self._forget_all()
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    # organizations -------------------------------------------------------------------------
    def add_org(self, name: str, api_key: str, org_id: str | None = None) -> Org:
        """Create an organization (or return the one that already owns `api_key`)."""
        existing = self.org_by_key(api_key)
        if existing:
            return existing
        org = Org(id=org_id or new_id(), name=name, api_key=api_key)
        with self._lock:
            self._conn.execute("INSERT INTO orgs (id, name, api_key) VALUES (?, ?, ?)", (org.id, name, api_key))
        return org

    def org_by_key(self, api_key: str) -> Org | None:
        """The organization an API key belongs to, if any."""
        with self._lock:
            row = self._conn.execute("SELECT id, name, api_key FROM orgs WHERE api_key = ?", (api_key,)).fetchone()
        return Org(*row) if row else None

    def orgs(self) -> list[Org]:
        """Every organization."""
        with self._lock:
            rows = self._conn.execute("SELECT id, name, api_key FROM orgs ORDER BY rowid").fetchall()
        return [Org(*row) for row in rows]

    # records -------------------------------------------------------------------------------
    def get(self, org_id: str, kind: str, key: str) -> Record | None:
        """The record of `kind` addressed by `key`, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM records WHERE org_id = ? AND kind = ? AND key = ?", (org_id, kind, key)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def get_by_lago_id(self, org_id: str, kind: str, lago_id: str) -> Record | None:
        """The record of `kind` whose `lago_id` is given, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM records WHERE org_id = ? AND kind = ? AND lago_id = ?",
                (org_id, kind, lago_id),
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, org_id: str, kind: str, key: str, record: Record) -> Record:
        """Insert or replace the record addressed by `key` (keeps its place in insertion order)."""
        data = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._conn.execute(
                "INSERT INTO records (org_id, kind, key, lago_id, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (org_id, kind, key) DO UPDATE SET data = excluded.data, lago_id = excluded.lago_id",
                (org_id, kind, key, record["lago_id"], data),
            )
            parsed = self._parsed.get((org_id, kind))
            if parsed is not None:
                parsed[key] = json.loads(data)
            self._snapshots.pop((org_id, kind), None)
        return record

    def put_many(self, org_id: str, kind: str, items: list[tuple[str, Record]]) -> None:
        """Insert many records at once (seeding)."""
        rows = [(org_id, kind, key, rec["lago_id"], json.dumps(rec, separators=(",", ":"))) for key, rec in items]
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO records (org_id, kind, key, lago_id, data) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            self._parsed.pop((org_id, kind), None)
            self._snapshots.pop((org_id, kind), None)

    def delete(self, org_id: str, kind: str, key: str) -> bool:
        """Remove a record; True when one was removed."""
        with self._lock:
            cur = self._conn.execute(
                "DELETE FROM records WHERE org_id = ? AND kind = ? AND key = ?", (org_id, kind, key)
            )
            self._parsed.get((org_id, kind), {}).pop(key, None)
            self._snapshots.pop((org_id, kind), None)
        return cur.rowcount > 0

    def all(self, org_id: str, kind: str) -> list[Record]:
        """Every record of `kind` in the organization, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM records WHERE org_id = ? AND kind = ? ORDER BY seq", (org_id, kind)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def snapshot(self, org_id: str, kind: str) -> list[Record]:
        """Like `all`, but served from parsed records kept up to date on writes.

        The same list object comes back until the next write of that kind (callers may key derived caches on
        its identity). The records are shared between callers: read them, never mutate them (copy first).
        """
        with self._lock:
            cached = self._snapshots.get((org_id, kind))
            if cached is None:
                parsed = self._parsed.get((org_id, kind))
                if parsed is None:
                    rows = self._conn.execute(
                        "SELECT key, data FROM records WHERE org_id = ? AND kind = ? ORDER BY seq", (org_id, kind)
                    ).fetchall()
                    parsed = {row[0]: json.loads(row[1]) for row in rows}
                    self._parsed[(org_id, kind)] = parsed
                cached = list(parsed.values())
                self._snapshots[(org_id, kind)] = cached
        return cached

    def _forget_all(self) -> None:
        self._parsed.clear()
        self._snapshots.clear()

    def count(self, org_id: str, kind: str) -> int:
        """How many records of `kind` the organization has."""
        with self._lock:
            row = self._conn.execute(
                "SELECT count(*) FROM records WHERE org_id = ? AND kind = ?", (org_id, kind)
            ).fetchone()
        return int(row[0])

    # small key/value area (seed marker, settings) ------------------------------------------
    def get_meta(self, name: str) -> str | None:
        """A stored meta value."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, name: str, value: str) -> None:
        """Store a meta value."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def wipe(self) -> None:
        """Delete every organization and record (used by reset before reseeding)."""
        with self.transaction():
            self._conn.execute("DELETE FROM records")
            self._conn.execute("DELETE FROM orgs")
            self._conn.execute("DELETE FROM meta")
            self._forget_all()
