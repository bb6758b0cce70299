"""Checkpointer factory: conversations persist in SQLite (default), PostgreSQL, or memory (tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Durability

from billing_agent.memory.backend import CheckpointerKind, checkpointer_kind, conversations_path, open_postgres_pool
from billing_agent.settings import Settings

if TYPE_CHECKING:
    from psycopg_pool import AsyncConnectionPool


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
        assert settings.database_url is not None
        async with open_postgres_pool(settings.database_url) as pool:
            yield await postgres_saver(pool)
    else:
        async with sqlite_saver(settings) as saver:
            yield saver


async def postgres_saver(pool: AsyncConnectionPool[Any]) -> BaseCheckpointSaver[Any]:
    """An `AsyncPostgresSaver` on `pool` (group-committing its writes), its tables created or migrated."""
    from billing_agent.memory.postgres_saver import GroupCommitPostgresSaver

    saver = GroupCommitPostgresSaver(pool)
    await saver.setup()
    return saver


@asynccontextmanager
async def sqlite_saver(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """An `AsyncSqliteSaver` on the conversations file (created with its directory)."""
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path = conversations_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        yield saver


def turn_durability(resuming: bool) -> Durability:
    """How often a turn is saved: at its end for a new message, after every step when it resumes a confirmation.

    A new message runs reads only (changes always stop at the confirm interrupt, which is saved), so saving
    once at the end — one checkpoint per turn instead of one per step — loses nothing a retry cannot redo.
    A resumed confirmation runs changes, so every step is saved before the next starts.
    """
    return "sync" if resuming else "exit"
