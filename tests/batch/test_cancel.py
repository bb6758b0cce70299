"""Cancelling the task that runs a batch (the embedding API's Ctrl-C): outcomes are kept, reported, undoable.

Real MCP session, sandbox over HTTP, the offline planner; the batch runs at 10 calls/s so the cancel lands mid-way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from langgraph.types import Command

from billing_agent.graph.batch.config import BatchConfig
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from tests.batch.helpers import Chat, coupon_holders, tools_on

CODE = "WELCOME10"
SLOW = BatchConfig(max_items=1000, concurrency=4, rate=10.0)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as server:
        yield server


async def test_a_cancelled_batch_keeps_its_outcomes_says_so_and_can_be_undone(sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with tools_on(sandbox) as tools, httpx.AsyncClient(base_url=sandbox.api_url, headers=headers) as http:
        before = set(await coupon_holders(http, CODE))  # the demo seed applies it to a few customers
        chat = Chat(tools, batch=SLOW)
        await chat.send(f"Apply coupon {CODE} to all customers")
        running = asyncio.create_task(chat.send(Command(resume="CONFIRM")))
        while len(set(await coupon_holders(http, CODE)) - before) < 12:  # noqa: ASYNC110 (another task's effect)
            await asyncio.sleep(0.05)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running

        await chat.send("show me the failures")
        answer = await chat.answer()
        values = await chat.values()
        customers = {i["key"]: i["args"]["external_customer_id"] for i in values["batch"]["items"]}
        outcomes = values["batch_outcomes"]["items"]
        assert values["batch"]["status"] == "done" and values["batch"]["cancelled"]
        assert answer.startswith(f"The batch `apply_coupon` was cancelled after {len(outcomes)} of 60 items")
        ok = {customers[k] for k, o in outcomes.items() if o["status"] == "ok"} - before
        in_flight = {customers[k] for k, o in outcomes.items() if o.get("code") == "unverified"}
        applied = set(await coupon_holders(http, CODE)) - before
        assert ok <= applied <= ok | in_flight
        assert len(applied) >= 12 and len(outcomes) < 60

        await chat.send("undo that")
        await chat.confirm()
        assert set(await coupon_holders(http, CODE)) <= before | in_flight
