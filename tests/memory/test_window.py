"""Context economy: the prompt stays bounded in long conversations, and Mistral's ordering rules still hold."""

from __future__ import annotations

import uuid

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from billing_agent.graph import Context, build_graph
from billing_agent.graph.messages import for_model
from billing_agent.memory.window import KEEP_TURNS, OLD_TOOL_CHARS, SUMMARY_LINES, context_window, split_turns

from .scripted import ScriptedChatModel, tool_call


def _turn(n: int, result_chars: int = 3_000) -> list[BaseMessage]:
    call = tool_call("list_invoices", page=n)
    call_id = call.tool_calls[0]["id"]
    return [
        HumanMessage(f"Request number {n}: show invoices page {n}"),
        call,
        ToolMessage("x" * result_chars, tool_call_id=call_id, name="list_invoices"),
        AIMessage(f"Here is page {n}.\n\n| invoice | amount |\n|---|---|\n" + "| a | 1 |\n" * 200),
    ]


def _conversation(turns: int) -> list[BaseMessage]:
    return [m for n in range(1, turns + 1) for m in _turn(n)] + [HumanMessage("and now?")]


def _prompt_tokens(messages: list[BaseMessage]) -> int:
    window = context_window(messages)
    return count_tokens_approximately(for_model([SystemMessage(window.summary or "-"), *window.messages]))


def test_prompt_tokens_stay_bounded_as_the_conversation_grows() -> None:
    at_5, at_50, at_200 = (_prompt_tokens(_conversation(n)) for n in (5, 50, 200))
    assert at_50 <= 2 * at_5 and at_200 <= at_50 * 1.1
    assert count_tokens_approximately(_conversation(50)) > 10 * at_50


def test_recent_turns_are_kept_whole_and_older_ones_summarized() -> None:
    messages = _conversation(30)
    window = context_window(messages)
    turns = split_turns(window.messages)
    assert len(turns) == KEEP_TURNS and all(isinstance(t[0], HumanMessage) for t in turns)
    assert window.messages[-1].content == "and now?"
    older_results = [m for m in window.messages if isinstance(m, ToolMessage)]
    assert all(len(str(m.content)) < OLD_TOOL_CHARS + 100 for m in older_results)
    assert f"({30 - (KEEP_TURNS - 1) - SUMMARY_LINES} earlier requests not listed)" in window.summary
    assert "Request number 27" in window.summary and "Request number 10:" not in window.summary
    assert "tools: list_invoices" in window.summary and "you: Here is page 27." in window.summary


def test_the_current_turn_is_never_shortened() -> None:
    messages = [*_conversation(10)[:-1], *_turn(11, result_chars=5_000)[:3]]
    window = context_window(messages)
    assert window.messages[-1].content == "x" * 5_000
    assert for_model(window.messages)[-1] is window.messages[-1]


async def test_the_planner_sends_the_window_and_the_summary() -> None:
    @tool
    def list_invoices(page: int) -> str:
        """List invoices."""
        return f"invoices page {page}: " + "y" * 2_000

    model = ScriptedChatModel(
        script=lambda prompt: (
            AIMessage("ok") if isinstance(prompt[-1], ToolMessage) else tool_call("list_invoices", page=1)
        )
    )
    graph = build_graph([list_invoices], model, checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": uuid.uuid4().hex}}
    for n in range(12):
        await graph.ainvoke({"messages": [HumanMessage(f"page {n}")]}, config, context=Context())
    prompt = model.prompts[-1]
    assert isinstance(prompt[0], SystemMessage) and "Earlier in this conversation" in str(prompt[0].content)
    assert sum(isinstance(m, HumanMessage) for m in prompt) == KEEP_TURNS
    assert len((await graph.aget_state(config)).values["messages"]) == 12 * 4
