"""Checkpointer factory: conversations persist in SQLite (default), PostgreSQL, or memory (tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from billing_agent.settings import Settings

CheckpointerKind = Literal["sqlite", "postgres", "memory"]
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def conversations_path(settings: Settings) -> Path:
    """The SQLite file that holds conversations when no database URL is set."""
    return settings.home / "conversations.sqlite3"


def checkpointer_kind(settings: Settings) -> CheckpointerKind:
    """Postgres when `BILLING_AGENT_DATABASE_URL` is a postgresql:// URL, else SQLite in the data dir."""
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
async def open_checkpointer(
    settings: Settings | None = None, *, kind: CheckpointerKind | None = None
) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """Open the conversation checkpointer for the run and close it afterwards.

    Args:
        settings: where to store (`home`, `database_url`); read from the environment when None.
        kind: force a backend; by default chosen by `checkpointer_kind`.
    """
    settings = settings or Settings()
    chosen = kind or checkpointer_kind(settings)
    if chosen == "memory":
        yield InMemorySaver()
    elif chosen == "postgres":
        async with _postgres(settings) as saver:
            yield saver
    else:
        async with _sqlite(settings) as saver:
            yield saver


@asynccontextmanager
async def _sqlite(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    url = settings.database_url or ""
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else conversations_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        yield saver


@asynccontextmanager
async def _postgres(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    assert settings.database_url is not None
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        settings.database_url,
        min_size=1,
        max_size=8,
        open=False,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )
    await pool.open(wait=True, timeout=10)
    try:
        saver = AsyncPostgresSaver(pool)
        await saver.setup()
        yield saver
    finally:
        await pool.close()
