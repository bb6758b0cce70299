"""Where conversations live: the backend chosen from `BILLING_AGENT_DATABASE_URL`, and the Postgres pool."""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from billing_agent.settings import Settings

if TYPE_CHECKING:
    from psycopg_pool import AsyncConnectionPool

BackendKind = Literal["sqlite", "postgres", "memory"]
CheckpointerKind = BackendKind
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
POOL_MAX_SIZE = 8
POOL_OPEN_TIMEOUT_S = 10.0
CHECK_AFTER_S = 0.5
"""A pooled connection is checked (one round trip) before use when its last check is older than this."""
_last_checked: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()


def conversations_path(settings: Settings) -> Path:
    """The SQLite file that holds conversations (checkpoints) when no database URL is set."""
    url = settings.database_url or ""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return settings.home / "conversations.sqlite3"


def index_path(settings: Settings) -> Path:
    """The SQLite file of the store (conversation index, audit trail), next to the conversations file."""
    checkpoints = conversations_path(settings)
    return checkpoints.with_name(f"{checkpoints.stem}-index{checkpoints.suffix or '.sqlite3'}")


def checkpointer_kind(settings: Settings) -> BackendKind:
    """Postgres when `BILLING_AGENT_DATABASE_URL` is a postgresql:// URL, else SQLite in the data dir.

    Raises:
        ValueError: for any other URL scheme (the message says which ones work).
    """
    url = settings.database_url
    if url and url.startswith(POSTGRES_SCHEMES):
        return "postgres"
    if url and url != "memory" and not url.startswith("sqlite"):
        raise ValueError(
            "BILLING_AGENT_DATABASE_URL must be a postgresql:// or sqlite:/// URL (or 'memory'), "
            f"got {url.split(':')[0]}:…"
        )
    return "memory" if url == "memory" else "sqlite"


@asynccontextmanager
async def open_postgres_pool(url: str) -> AsyncIterator[AsyncConnectionPool[Any]]:
    """A connection pool that checks each connection before lending it, so it recovers from a Postgres restart.

    Raises:
        ConnectionError: when Postgres cannot be reached within `POOL_OPEN_TIMEOUT_S`.
    """
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool, PoolTimeout

    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        url,
        min_size=1,
        max_size=POOL_MAX_SIZE,
        open=False,
        check=check_connection,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )
    try:
        await pool.open(wait=True, timeout=POOL_OPEN_TIMEOUT_S)
    except PoolTimeout as error:
        await pool.close()
        host = url.split("@")[-1]
        raise ConnectionError(
            f"Could not connect to PostgreSQL at {host} within {POOL_OPEN_TIMEOUT_S:.0f} s. "
            "Check that it runs and that BILLING_AGENT_DATABASE_URL is right."
        ) from error
    try:
        yield pool
    finally:
        await pool.close()


async def check_connection(conn: Any) -> None:
    """The pool's connection check, at most every `CHECK_AFTER_S` per connection.

    A Postgres restart breaks every pooled connection; the check finds it and the pool opens a new one, so
    the next turn works. Checking on every checkout would add a round trip to each checkpoint write.
    """
    from psycopg_pool import AsyncConnectionPool

    now = time.monotonic()
    if now - _last_checked.get(conn, float("-inf")) < CHECK_AFTER_S:
        return
    await AsyncConnectionPool.check_connection(conn)
    _last_checked[conn] = now
