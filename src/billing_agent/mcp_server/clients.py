"""Lago clients of one MCP server: one per API key (the configured one, or a key sent per HTTP request)."""

from __future__ import annotations

import asyncio
import contextvars
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from billing_agent.lago import LagoClient, RetryPolicy

# The API key sent with the current MCP request (HTTP header `X-LAGO-API-KEY`); None = use the configured key.
request_api_key: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_api_key", default=None)


class MissingApiKeyError(Exception):
    """No Lago API key is configured and the request carried none."""


@dataclass
class LagoConnectionSettings:
    """Where and how the server reaches Lago.

    Attributes:
        api_url: Lago API base URL (with or without `/api/v1`).
        api_key: default organization key; HTTP requests may override it with `X-LAGO-API-KEY`.
        transport: an httpx transport (e.g. `httpx.ASGITransport` to an in-process sandbox).
        timeout: seconds per request.
        retry: the client's retry policy.
        max_clients: how many per-key clients stay open at once (least recently used ones are closed).
    """

    api_url: str
    api_key: str | None = None
    transport: httpx.AsyncBaseTransport | None = None
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_clients: int = 64


@dataclass
class _Entry:
    client: LagoClient
    users: int = 0
    evicted: bool = False


class LagoClientPool:
    """Hands out the `LagoClient` for the current request's API key and closes every client it opened.

    A client passed in (`fixed`) serves every request and is left open: its owner closes it.
    """

    def __init__(self, settings: LagoConnectionSettings | None = None, *, fixed: LagoClient | None = None) -> None:
        if settings is None and fixed is None:
            raise ValueError("pass LagoConnectionSettings or an open LagoClient")
        self.settings = settings
        self.fixed = fixed
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def client(self) -> AsyncIterator[LagoClient]:
        """The client for the current request (its key from `request_api_key`, else the configured key)."""
        if self.fixed is not None and request_api_key.get() is None:
            yield self.fixed
            return
        key = self._key()
        entry = await self._acquire(key)
        try:
            yield entry.client
        finally:
            entry.users -= 1
            if entry.evicted and entry.users == 0:
                await entry.client.__aexit__(None, None, None)

    def _key(self) -> str:
        key = request_api_key.get() or (self.settings.api_key if self.settings else None)
        if not key:
            raise MissingApiKeyError(
                "No Lago API key: set LAGO_API_KEY for this server, or send the header X-LAGO-API-KEY with the request."
            )
        return key

    async def _acquire(self, key: str) -> _Entry:
        settings = self.settings
        if settings is None:
            raise MissingApiKeyError(
                "This server was given one Lago client; a per-request X-LAGO-API-KEY cannot be served."
            )
        async with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                client = LagoClient(
                    settings.api_url,
                    key,
                    transport=settings.transport,
                    timeout=settings.timeout,
                    retry=settings.retry,
                )
                await client.__aenter__()
                entry = _Entry(client)
                self._entries[key] = entry
                await self._evict_beyond(settings.max_clients)
            self._entries.move_to_end(key)
            entry.users += 1
            return entry

    async def _evict_beyond(self, limit: int) -> None:
        while len(self._entries) > limit:
            _, oldest = self._entries.popitem(last=False)
            oldest.evicted = True
            if oldest.users == 0:
                await oldest.client.__aexit__(None, None, None)

    @property
    def open_clients(self) -> int:
        """How many per-key clients are open now."""
        return len(self._entries)

    async def aclose(self) -> None:
        """Close every client this pool opened (a fixed client is left to its owner)."""
        async with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for entry in entries:
            await entry.client.__aexit__(None, None, None)
