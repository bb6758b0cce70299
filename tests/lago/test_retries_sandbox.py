"""Retries against the sandbox's fault injection (admin endpoint `PUT /_sandbox/faults`), over real HTTP."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from billing_agent.lago import LagoClient, LagoNotFoundError, LagoServerError, RetryEvent
from billing_agent.sandbox import SandboxServer
from billing_agent.sandbox.faults import INJECTED_STATUSES

from .conftest import FAST_RETRIES, CountingTransport, set_faults

RATE = 5


async def test_429_waits_follow_the_rate_limit_headers(sandbox_server: SandboxServer, lago: LagoClient) -> None:
    await set_faults(sandbox_server, rate_limit=RATE)
    events: list[RetryEvent] = []
    lago.on_retry = events.append
    started = time.perf_counter()
    for _ in range(2 * RATE + 2):
        assert (await lago.get_customer("acme_corp")).external_id == "acme_corp"
    elapsed = time.perf_counter() - started
    limited = [e for e in events if e.reason == "rate_limited"]
    assert len(limited) >= 2 and lago.stats.rate_limited == len(limited)
    for event in limited:
        assert event.asked is not None and 0.0 <= event.asked <= 1.0  # X-RateLimit-Reset of a 1 s window
        assert event.asked <= event.delay <= event.asked + 0.11
    assert elapsed >= sum(e.delay for e in limited)
    assert elapsed >= 1.0  # 12 requests at 5/s need at least two window resets


async def test_concurrent_burst_over_the_limit_completes(sandbox_server: SandboxServer, lago: LagoClient) -> None:
    await set_faults(sandbox_server, rate_limit=20)
    pages = await asyncio.gather(*(lago.list_customers(per_page=1) for _ in range(40)))
    assert all(len(page.items) == 1 for page in pages)
    assert lago.stats.rate_limited > 0
    assert lago.stats.requests == 40 + lago.stats.retries


async def test_post_create_is_not_repeated_after_a_5xx(
    sandbox_server: SandboxServer, lago: LagoClient, counting: CountingTransport
) -> None:
    await set_faults(sandbox_server, error_rate=1.0)
    with pytest.raises(LagoServerError) as caught:
        await lago.create_customer({"external_id": "created_once", "name": "Created Once"})
    assert counting.sent["POST /api/v1/customers"] == 1
    assert lago.stats.retries == 0
    assert "after" not in str(caught.value)
    await set_faults(sandbox_server)
    with pytest.raises(LagoNotFoundError):
        await lago.get_customer("created_once")


async def test_get_and_put_are_retried_up_to_the_bound(
    sandbox_server: SandboxServer, lago: LagoClient, counting: CountingTransport
) -> None:
    await set_faults(sandbox_server, error_rate=1.0)
    with pytest.raises(LagoServerError, match=r"after 3 retries"):
        await lago.get_customer("acme_corp")
    assert counting.sent["GET /api/v1/customers/acme_corp"] == 1 + FAST_RETRIES.max_retries
    plan_code = "retry_put_plan"
    with pytest.raises(LagoServerError):
        await lago.update_plan(plan_code, {"name": "x"})
    assert counting.sent[f"PUT /api/v1/plans/{plan_code}"] == 1 + FAST_RETRIES.max_retries


async def test_get_succeeds_after_transient_5xx(
    sandbox_server: SandboxServer, lago: LagoClient, counting: CountingTransport
) -> None:
    seed = next(s for s in range(1000) if _failures(s, 0.6) == 2)
    await set_faults(sandbox_server, error_rate=0.6, seed=seed)
    customer = await lago.get_customer("acme_corp")
    assert customer.external_id == "acme_corp"
    assert counting.sent["GET /api/v1/customers/acme_corp"] == 3
    assert [e.reason for e in lago.stats.events] == ["server_error", "server_error"]


def _failures(seed: int, rate: float) -> int:
    """How many requests in a row the sandbox's seeded generator fails before one passes."""
    rng = random.Random(seed)
    count = 0
    while rng.random() < rate:
        rng.choice(INJECTED_STATUSES)  # the sandbox also draws which 5xx to send
        count += 1
    return count
