"""Faults (10% 5xx plus a 429 rate limit): every item ends ok or failed-with-reason; then the follow-ups."""

from __future__ import annotations

import httpx
import pytest

from billing_agent.sandbox import SandboxServer
from billing_agent.sandbox.app import Sandbox
from billing_agent.sandbox.faults import FaultConfig

from .helpers import Chat, coupon_holders, list_all, tools_on

pytestmark = pytest.mark.slow


async def test_faulty_lago_every_item_ends_ok_or_failed_with_reason_then_follow_ups(
    sandbox_app: Sandbox, sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    customers = {c["external_id"] for c in await list_all(sandbox_http, "/customers", "customers")}
    before = await coupon_holders(sandbox_http, "SUMMER20")
    sandbox_app.faults.configure(FaultConfig(error_rate=0.1, rate_limit=25, seed=7))
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Apply coupon SUMMER20 to all customers")
        await chat.confirm()
        first = await chat.answer()
        sandbox_app.faults.configure(FaultConfig())
        outcomes = (await chat.values())["batch_outcomes"]["items"]
        assert len(outcomes) == len(customers), "no item silently dropped"
        failed = {k: o for k, o in outcomes.items() if o["status"] != "ok"}
        assert all(o["status"] == "ok" for k, o in outcomes.items() if k not in failed)
        assert failed, "10% injected 5xx on a non-idempotent POST must leave some items failed"
        assert all(o["status"] == "failed" and o["code"] and o["message"] for o in failed.values())
        assert "| Customer | Outcome | Code | Reason |" in first and "retry the failed ones" in first
        holders = await coupon_holders(sandbox_http, "SUMMER20")
        ok_ids = {k.split('"')[3] for k in outcomes if k not in failed}
        assert set(holders) == ok_ids | set(before) and all(n == 1 for n in holders.values())

        await chat.send("show me the failures")
        listed = await chat.answer()
        assert all(o["code"] in listed for o in failed.values())
        assert await chat.pending() is None

        await chat.send("retry the failed ones")
        request = await chat.pending()
        assert request is not None and request["action_requests"][0]["args"]["count"] == len(failed)
        await chat.confirm()
        retried = await chat.answer()
        assert f"on {len(failed)} customers: {len(failed)} done" in retried
        assert await coupon_holders(sandbox_http, "SUMMER20") == dict.fromkeys(customers, 1)

        await chat.send("undo that")
        request = await chat.pending()
        assert request is not None
        assert request["action_requests"][0]["args"]["action"] == "remove_applied_coupon"
        assert request["action_requests"][0]["args"]["count"] == len(failed)
        await chat.confirm()
        assert f"{len(failed)} done" in await chat.answer()
    assert await coupon_holders(sandbox_http, "SUMMER20") == dict.fromkeys(ok_ids | set(before), 1)
