"""Store factory (LangGraph `BaseStore`): holds the conversation index and the audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

from billing_agent.memory.backend import CheckpointerKind, checkpointer_kind, index_path, open_postgres_pool
from billing_agent.memory.checkpointer import postgres_saver, sqlite_saver
from billing_agent.settings import Settings

if TYPE_CHECKING:
    from psycopg_pool import AsyncConnectionPool


@dataclass(frozen=True)
class Memory:
    """The two halves of conversation memory: checkpoints (the threads) and the store (index, audit)."""

    checkpointer: BaseCheckpointSaver[Any]
    store: BaseStore


async def postgres_store(pool: AsyncConnectionPool[Any]) -> BaseStore:
    """An `AsyncPostgresStore` on `pool`, its tables created or migrated."""
    from langgraph.store.postgres.aio import AsyncPostgresStore

    store = AsyncPostgresStore(pool)
    await store.setup()
    return store


@asynccontextmanager
async def sqlite_store(settings: Settings) -> AsyncIterator[BaseStore]:
    """An `AsyncSqliteStore` in the data dir, next to the conversations file."""
    from langgraph.store.sqlite.aio import AsyncSqliteStore

    path = index_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteStore.from_conn_string(str(path)) as store:
        await store.setup()
        yield store


@asynccontextmanager
async def open_store(
    settings: Settings | None = None, *, kind: CheckpointerKind | None = None
) -> AsyncIterator[BaseStore]:
    """Open the store alone (same backend rules as `open_checkpointer`)."""
    async with open_memory(settings, kind=kind) as memory:
        yield memory.store


@asynccontextmanager
async def open_memory(
    settings: Settings | None = None, *, kind: CheckpointerKind | None = None
) -> AsyncIterator[Memory]:
    """Open checkpointer and store together; on Postgres they share one connection pool.

    Args:
        settings: where to store (`home`, `database_url`); read from the environment when None.
        kind: force a backend; by default chosen by `checkpointer_kind`.
    """
    settings = settings or Settings()
    chosen = kind or checkpointer_kind(settings)
    if chosen == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield Memory(InMemorySaver(), InMemoryStore())
    elif chosen == "postgres":
        assert settings.database_url is not None
        async with open_postgres_pool(settings.database_url) as pool:
            yield Memory(await postgres_saver(pool), await postgres_store(pool))
    else:
        async with sqlite_saver(settings) as saver, sqlite_store(settings) as store:
            yield Memory(saver, store)
