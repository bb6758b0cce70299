"""Property tests: odd input never raises, random text never triggers a change, calls always fit the schemas."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from billing_agent.tools.policy import ToolPolicy

from .helpers import SYSTEM, step
from .schemas import OUR_TOOLS

POLICY = ToolPolicy()
SCHEMAS = {t["function"]["name"]: t["function"]["parameters"] for t in OUR_TOOLS}
VOCABULARY = [
    "show", "list", "invoices", "invoice", "INV-001", "customer", "customers", "Acme", "Corp", "ID", "xyz",
    "overdue", "failed", "draft", "last", "this", "week", "month", "30", "days", "Q3", "from", "to", "for",
    "over", "$1,000", "under", "coupon", "SUMMER20", "apply", "plans", "payment", "history", "usage",
    "subscriptions", "created", "activity", "logs", "API", "the", "first", "one", "tell", "me", "more",
    "email", "gavin@hooli.com", "update", "create", "new", "download", "?", "'", "`", "2026-13-45", "q4 0000",
    "between", "and", "number", "of", "how", "many", "wallets", "events", "#3",
]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _assert_fits_schema(reply: AIMessage) -> None:
    for call in reply.tool_calls:
        schema = SCHEMAS[call["name"]]
        assert set(call["args"]) <= set(schema["properties"]), call
        assert set(schema["required"]) <= set(call["args"]), call


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_unicode_never_raises_nor_changes_anything(text: str) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=text)])

    assert reply.content or reply.tool_calls
    assert all(POLICY.is_read_only(call["name"]) for call in reply.tool_calls)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.text(min_size=100, max_size=100).map(lambda chunk: chunk * 1024))
def test_100_kb_messages_get_a_plain_answer(text: str) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=text)])

    assert reply.tool_calls == []
    assert "characters long" in str(reply.content)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14).map(" ".join))
def test_word_soup_never_raises_and_calls_fit_the_bound_schemas(text: str) -> None:
    _assert_fits_schema(step(OUR_TOOLS, [SYSTEM, HumanMessage(content=text)]))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        [
            "Apply coupon SUMMER20 to customer Acme Corp",
            "Terminate subscription for Acme Corp",
            "What is the current usage for customer Acme Corp?",
            "Download invoice INV-001",
            "Show me all subscriptions created this month",
            "What are the number of invoices generated last week?",
        ]
    ),
    st.lists(JSON, min_size=1, max_size=3),
    st.booleans(),
)
def test_any_tool_payload_is_handled(request_text: str, payloads: list[Any], as_text: bool) -> None:
    """Whatever the tools return (any JSON, as artifact or text), the planner answers or calls valid tools."""
    import json

    messages: list[Any] = [SYSTEM, HumanMessage(content=request_text)]
    for payload in payloads:
        reply = step(OUR_TOOLS, messages)
        _assert_fits_schema(reply)
        if not reply.tool_calls:
            return
        messages += [reply] + [
            ToolMessage(
                content=json.dumps(payload) if as_text else "see artifact",
                artifact=None if as_text else payload,
                tool_call_id=call["id"],
                name=call["name"],
            )
            for call in reply.tool_calls
        ]
    _assert_fits_schema(step(OUR_TOOLS, messages))
