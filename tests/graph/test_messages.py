"""`for_model` makes any conversation valid for Mistral (property-based) without losing what the user said."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from billing_agent.graph.messages import NOT_RUN, for_model

from .mistral_rules import assert_mistral_valid
from .mistral_wire import check_wire_messages

ids = st.sampled_from([f"id{n:07d}" for n in range(8)])
text = st.text(max_size=20)


@st.composite
def ai_messages(draw: Any) -> AIMessage:
    call_ids = draw(st.lists(ids, max_size=3, unique=True))
    tool_calls = [{"name": "list_invoices", "args": {}, "id": i, "type": "tool_call"} for i in call_ids]
    return AIMessage(content=draw(text), tool_calls=tool_calls)


messages = st.one_of(
    st.builds(HumanMessage, content=text),
    ai_messages(),
    st.builds(lambda i, t: ToolMessage(content=t or "x", tool_call_id=i), ids, text),
    st.builds(SystemMessage, content=text),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(messages, max_size=14))
def test_output_always_satisfies_mistral_rules(conversation: list[BaseMessage]) -> None:
    assert_mistral_valid(for_model(conversation))


@settings(max_examples=200, deadline=None)
@given(st.lists(messages, max_size=14))
def test_repair_is_idempotent_and_keeps_user_messages(conversation: list[BaseMessage]) -> None:
    once = for_model(conversation)
    assert for_model(once) == once
    humans = [m.content for m in conversation if isinstance(m, HumanMessage)]
    kept = [m.content for m in once if isinstance(m, HumanMessage)]
    assert kept == humans


@settings(max_examples=200, deadline=None)
@given(st.lists(messages, max_size=14))
def test_input_is_not_modified(conversation: list[BaseMessage]) -> None:
    copies = [m.model_copy(deep=True) for m in conversation]
    for_model(conversation)
    assert conversation == copies


def test_valid_conversation_passes_unchanged() -> None:
    call = {"name": "get_invoice", "args": {"invoice_id": "x"}, "id": "abcdefghi", "type": "tool_call"}
    conversation = [
        SystemMessage("rules"),
        HumanMessage("show x"),
        AIMessage("", tool_calls=[call]),
        ToolMessage("{}", tool_call_id="abcdefghi"),
    ]
    assert for_model(conversation) == conversation


def test_unanswered_call_after_reject_or_crash_gets_an_error_answer_before_the_next_user_message() -> None:
    call = {"name": "void_invoice", "args": {}, "id": "abcdefghi", "type": "tool_call"}
    repaired = for_model([HumanMessage("void it"), AIMessage("", tool_calls=[call]), HumanMessage("never mind")])
    assert [m.type for m in repaired] == ["human", "ai", "tool", "ai", "human"]
    assert repaired[2].content == NOT_RUN and repaired[2].status == "error"


def test_trailing_assistant_text_is_dropped_and_orphan_tool_messages_removed() -> None:
    repaired = for_model([HumanMessage("hi"), ToolMessage("stray", tool_call_id="zzzzzzzzz"), AIMessage("hello")])
    assert [m.type for m in repaired] == ["human"]


long_ids = st.sampled_from(["call_0", "toolu_01ABCDEF", "lc_run--x-1", "abcdefghi", "9f2c4d1e-77aa-4b2a"])


@st.composite
def long_id_ai_messages(draw: Any) -> AIMessage:
    call_ids = draw(st.lists(long_ids, max_size=3, unique=True))
    return AIMessage(content="", tool_calls=[{"name": "get_plan", "args": {"code": "x"}, "id": i} for i in call_ids])


wire_messages = st.one_of(
    st.builds(HumanMessage, content=st.text(min_size=1, max_size=10)),
    long_id_ai_messages(),
    st.builds(lambda i: ToolMessage(content="{}", tool_call_id=i), long_ids),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(wire_messages, min_size=1, max_size=10))
def test_repaired_conversations_are_valid_on_the_mistral_wire(conversation: list[BaseMessage]) -> None:
    from langchain_mistralai.chat_models import _convert_message_to_mistral_chat_message

    repaired = for_model([SystemMessage("rules"), *conversation])
    if len(repaired) == 1:
        return  # nothing but the system prompt survives: the planner never sends that (it needs a user message)
    check_wire_messages({"messages": [_convert_message_to_mistral_chat_message(m) for m in repaired]})


def test_wire_check_rejects_a_user_message_after_a_tool_message() -> None:
    import pytest

    call = {"id": "abcdefghi", "type": "function", "function": {"name": "x", "arguments": "{}"}}
    body = {
        "messages": [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "abcdefghi", "content": "{}"},
            {"role": "user", "content": "b"},
        ]
    }
    with pytest.raises(AssertionError, match="user message right after a tool message"):
        check_wire_messages(body)
