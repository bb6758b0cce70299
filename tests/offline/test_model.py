"""The chat-model surface: bind_tools, sync/async, determinism, ids, today's date, LangGraph message shapes."""

from __future__ import annotations

from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import StructuredTool

from billing_agent.graph.messages import for_model
from billing_agent.graph.offline import OfflinePlanner

from .helpers import SYSTEM, TODAY, answer, calls_of, customers, step
from .schemas import OUR_TOOLS


def _mcp_like_tool(name: str, properties: dict[str, Any], required: list[str]) -> StructuredTool:
    """A tool shaped like langchain-mcp-adapters' (JSON-schema dict as args_schema)."""

    async def run(**kwargs: Any) -> str:
        return "unused"

    return StructuredTool(
        name=name,
        description=f"{name} test tool",
        args_schema={"type": "object", "properties": properties, "required": required},
        coroutine=run,
        response_format="content_and_artifact",
    )


def test_llm_type_and_bound_tools_come_from_base_tools() -> None:
    tools = [_mcp_like_tool("list_plans", {"page": {"type": "integer"}}, [])]
    bound = OfflinePlanner(today=TODAY).bind_tools(tools)

    reply = bound.invoke([SYSTEM, HumanMessage(content="What plans are available?")])

    assert OfflinePlanner()._llm_type == "offline-planner"
    assert isinstance(reply, AIMessage)
    assert calls_of(reply) == [("list_plans", {})]


def test_only_bound_tools_are_called() -> None:
    tools = [_mcp_like_tool("list_plans", {}, [])]
    reply = OfflinePlanner(today=TODAY).bind_tools(tools).invoke([HumanMessage(content="List coupons")])

    assert reply.tool_calls == []
    assert "`list_coupons`" in str(reply.content)
    assert "your role may not allow it (ask an admin)" in str(reply.content)


async def test_async_invoke_matches_sync() -> None:
    messages = [SYSTEM, HumanMessage(content="Show invoices over $1,000 from last month")]
    bound = OfflinePlanner(today=TODAY).bind_tools(OUR_TOOLS)

    sync_reply = bound.invoke(messages)
    async_reply = await bound.ainvoke(messages)

    assert calls_of(async_reply) == calls_of(sync_reply)
    assert [c["id"] for c in async_reply.tool_calls] == [c["id"] for c in sync_reply.tool_calls]


def test_deterministic_and_ids_unique_across_the_conversation() -> None:
    messages = [SYSTEM, HumanMessage(content="What is the current usage for customer Acme Corp?")]
    ids: list[str] = []
    payloads: list[list[Any]] = [
        [customers(("acme_corp", "Acme Corp"))],
        [{"subscriptions": [{"external_id": "s1"}, {"external_id": "s2"}]}],
    ]
    for round_payloads in payloads:
        reply = step(OUR_TOOLS, messages)
        assert calls_of(step(OUR_TOOLS, messages)) == calls_of(reply)
        ids += [call["id"] for call in reply.tool_calls]
        messages += [reply, *answer(reply, round_payloads)]
    usage = step(OUR_TOOLS, messages)
    ids += [call["id"] for call in usage.tool_calls]

    assert [name for name, _ in calls_of(usage)] == ["get_customer_current_usage"] * 2
    assert len(ids) == len(set(ids)) == 4


def test_today_comes_from_the_system_prompt_when_not_given() -> None:
    planner = OfflinePlanner().bind_tools(OUR_TOOLS)
    reply = planner.invoke(
        [SystemMessage(content="Today is 2025-03-10."), HumanMessage(content="Show invoices from last month")]
    )

    assert calls_of(reply) == [("list_invoices", {"issuing_date_from": "2025-02-01", "issuing_date_to": "2025-02-28"})]


def test_explicit_today_wins_over_the_prompt() -> None:
    planner = OfflinePlanner(today=date(2026, 1, 15)).bind_tools(OUR_TOOLS)
    reply = planner.invoke([SystemMessage(content="Today is 2025-03-10."), HumanMessage(content="invoices today")])

    assert calls_of(reply) == [("list_invoices", {"issuing_date_from": "2026-01-15", "issuing_date_to": "2026-01-15"})]


def test_works_on_messages_repaired_for_mistral() -> None:
    """The graph sends `for_model(...)`: bridge notes after tool results, orphans dropped, content blocks."""
    history: list[Any] = [HumanMessage(content="What plans are available?")]
    listing = step(OUR_TOOLS, [SYSTEM, *history])
    history += [listing, *answer(listing, [{"plans": [{"code": "pro", "name": "Pro"}]}])]
    history += [AIMessage(content="Found 1 plan.")]
    history += [HumanMessage(content=[{"type": "text", "text": "Tell me more about the first one"}])]
    orphan = ToolMessage(content="stray", tool_call_id="nobody", status="error")

    reply = step(OUR_TOOLS, for_model([SYSTEM, *history[:-1], orphan, history[-1]]))

    assert calls_of(reply) == [("get_plan", {"code": "pro"})]


def test_no_user_message_gets_the_help_text() -> None:
    reply = step(OUR_TOOLS, [SYSTEM])

    assert reply.tool_calls == []
    assert "Your message was empty" in str(reply.content)


def test_never_mentions_being_an_ai() -> None:
    for text in ("hello", "Retry all of these", "What plans are available?"):
        content = str(step(OUR_TOOLS, [SYSTEM, HumanMessage(content=text)]).content).lower()
        assert "ai " not in content and "language model" not in content and "artificial" not in content
