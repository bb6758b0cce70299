"""A batch runs only actions it can keep exactly-once across a crash; every other write is refused up front."""

from __future__ import annotations

import httpx

from billing_agent.graph.batch.actions import ACTION_RULES, rule_for
from billing_agent.sandbox import SandboxServer
from billing_agent.tools.policy import ToolPolicy

from .helpers import Chat, list_all, tools_on
from .test_graph_paths import batch_once


async def test_a_write_with_no_probe_is_refused_as_a_batch_and_nothing_is_asked_or_run(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    customers = [c["external_id"] for c in await list_all(sandbox_http, "/customers", "customers")][:5]

    async def wallets() -> list[list[dict[str, object]]]:
        return [await list_all(sandbox_http, "/wallets", "wallets", external_customer_id=c) for c in customers]

    before = await wallets()
    async with tools_on(sandbox_server) as tools:
        model = batch_once(
            action="create_wallet",
            targets={"ids": customers},
            fill={"external_customer_id": "id"},
            args={"currency": "USD", "rate_amount": "1", "granted_credits": "10"},
        )
        chat = Chat(tools, model)
        await chat.send("Give these five customers a wallet with 10 free credits")
        assert await chat.pending() is None, "no confirmation is asked for a batch that cannot run"
        answer = await chat.answer()
    assert "cannot run as a batch" in answer and "done twice" in answer
    assert await wallets() == before


async def test_every_write_a_batch_may_run_has_a_probe_or_says_why_a_repeat_is_harmless(
    sandbox_server: SandboxServer,
) -> None:
    async with tools_on(sandbox_server) as tools:
        policy = ToolPolicy(tools)
        writes = {tool.name for tool in tools if not policy.is_read_only(tool.name)}
    allowed = {name for name in writes if rule_for(name).crash_safe}
    assert allowed == {
        "apply_coupon",
        "remove_applied_coupon",
        "top_up_wallet",
        "retry_invoice",
        "retry_invoice_payment",
        "void_invoice",
        "finalize_invoice",
        "refresh_invoice",
        "create_customer",
        *(f"update_{kind}" for kind in ("customer", "subscription", "invoice", "credit_note", "plan", "coupon")),
        "update_billable_metric",
    }
    assert all(ACTION_RULES[name].probe or ACTION_RULES[name].repeat for name in allowed)
    assert rule_for("top_up_wallet").marker is not None, "top-ups are found again by their marker"
