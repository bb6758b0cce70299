"""The batch confirmation shows what each call writes; fills it cannot show are refused (real sandbox, MCP)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from langgraph.types import Command

from billing_agent.cli.chat import format_request
from billing_agent.sandbox import SandboxServer

from .helpers import Chat, list_all, tools_on
from .test_graph_paths import batch_once

EVERY_CUSTOMER = {"selection": {"tool": "list_customers", "filters": {}}}
LEGAL_NAME_FROM_CURRENCY = {
    "action": "update_customer",
    "targets": EVERY_CUSTOMER,
    "args": {"net_payment_term": 15},
    "fill": {"external_id": "external_id", "legal_name": "currency"},
}


async def _customers(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    return {c["external_id"]: c for c in await list_all(http, "/customers", "customers")}


async def test_the_request_lists_every_filled_value_and_the_cli_prints_it(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await _customers(sandbox_http)
    currencies = Counter(c["currency"] for c in before.values())
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools, batch_once(**LEGAL_NAME_FROM_CURRENCY))
        await chat.send("Set every customer's legal name to its currency")
        request = await chat.pending()
        assert request is not None
        (action,) = request["action_requests"]
        args = action["args"]
        assert args["count"] == len(before) == 60 and args["args"] == {"net_payment_term": 15}
        written = args["per_item"]["legal_name"]
        assert {v["value"]: v["count"] for v in written["values"]} == dict(currencies)
        assert written["more"] == 0 and written["identifies_record"] is False
        ids = args["per_item"]["external_id"]
        assert ids["distinct"] == 60 and len(ids["values"]) == 10 and ids["more"] == 50 and ids["identifies_record"]
        first = args["sample_items"][0]["args"]
        assert first["legal_name"] == before[first["external_id"]]["currency"] and first["net_payment_term"] == 15
        (usd, eur) = (currencies["USD"], currencies["EUR"])
        shown = f"legal_name: 2 distinct values: 'USD' ×{usd}, 'EUR' ×{eur}"
        assert shown in action["description"] and "and 50 more distinct values" in action["description"]
        assert f"legal_name='{before[first['external_id']]['currency']}'" in action["description"]
        printed = " ".join(format_request(request).split())  # what `billing-agent ask` / `chat` print
        assert shown in printed and "external_id: one per item:" in printed and "and 50 more distinct" in printed
        await chat.confirm()
        assert "60 done" in await chat.answer()
    after = await _customers(sandbox_http)
    assert all(c["legal_name"] == c["currency"] and c["net_payment_term"] == 15 for c in after.values())


async def test_an_empty_resume_declines_the_batch(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await _customers(sandbox_http)
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools, batch_once(**LEGAL_NAME_FROM_CURRENCY))
        await chat.send("Set every customer's legal name to its currency")
        assert await chat.pending() is not None
        await chat.graph.ainvoke(Command(resume=None), chat.config, context=chat.context)  # not UnboundLocalError
        assert await chat.pending() is None
        answer = await chat.answer()
    assert "was NOT run: The reply was empty" in answer and "Nothing was changed" in answer
    assert await _customers(sandbox_http) == before


async def test_a_fill_writing_more_values_than_the_request_lists_is_refused(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await _customers(sandbox_http)
    rename = {**LEGAL_NAME_FROM_CURRENCY, "fill": {"external_id": "external_id", "name": "email"}}
    async with tools_on(sandbox_server) as tools:
        model = batch_once(**rename)
        chat = Chat(tools, model)
        await chat.send("Rename every customer to its email")
        assert await chat.pending() is None
        answer = await chat.answer()
    assert answer.startswith("Model read: Not run: `update_customer` would write 60 different values into `name`")
    assert "at most 10 distinct values" in answer and "`args`" in answer
    assert await _customers(sandbox_http) == before
