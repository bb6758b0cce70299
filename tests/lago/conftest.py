"""Fixtures of the Lago client tests: clients on the sandbox (real HTTP) and a counting transport."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from billing_agent.lago import LagoClient, RetryPolicy
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer

FAST_RETRIES = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05)


class CountingTransport(httpx.AsyncHTTPTransport):
    """A real HTTP transport that counts the requests it actually sends, per `METHOD /path`."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent[f"{request.method} {request.url.path}"] += 1
        return await super().handle_async_request(request)


@pytest.fixture
def counting() -> CountingTransport:
    """A fresh counting transport."""
    return CountingTransport()


@pytest.fixture
async def lago(sandbox_server: SandboxServer, counting: CountingTransport) -> AsyncIterator[LagoClient]:
    """A client of the fresh small sandbox (demo org) over real HTTP, with fast retries and counted requests."""
    async with LagoClient(sandbox_server.url, DEMO_API_KEY, transport=counting, retry=FAST_RETRIES) as client:
        yield client


@pytest.fixture
async def demo_lago(demo_server: SandboxServer) -> AsyncIterator[LagoClient]:
    """A client of the session-wide 1,200-customer demo sandbox (read-only use)."""
    async with LagoClient(demo_server.api_url, DEMO_API_KEY) as client:
        yield client


async def set_faults(server: SandboxServer, **config: float) -> None:
    """Replace the sandbox's fault injection through its admin endpoint."""
    async with httpx.AsyncClient(base_url=server.url) as admin:
        response = await admin.put("/_sandbox/faults", json=config)
        response.raise_for_status()
