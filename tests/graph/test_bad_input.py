"""Bad input never crashes the graph: each gets a clear answer and the conversation stays usable."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from .scripted import call, calls, sequence


def _echo_last_tool(messages: list[BaseMessage]) -> AIMessage:
    last = messages[-1]
    return AIMessage(f"The tool said: {last.content}") if isinstance(last, ToolMessage) else AIMessage("ok")


async def _still_works(agent: Any) -> None:
    state = await agent.send("What plans are available?")
    assert state["messages"][-1].content
    assert await agent.pending() is None


async def test_malformed_tool_arguments_from_the_model(harness: Any, billing: Any) -> None:
    broken = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": "get_invoice",
                "args": "{invoice_id: ",
                "id": "bad000001",
                "error": "bad JSON",
                "type": "invalid_tool_call",
            }
        ],
    )
    agent = harness(
        lambda m: broken if isinstance(m[-1], HumanMessage) and "invoice" in str(m[-1].content) else _echo_last_tool(m)
    )
    state = await agent.send("get invoice")
    answer = state["messages"][-1].content
    assert "could not be read" in answer and "JSON object" in answer
    assert billing.calls == []
    await _still_works(agent)


async def test_wrong_argument_types_are_reported_not_raised(harness: Any, billing: Any) -> None:
    agent = harness(sequence(calls(call("get_invoice", invoice=42)), AIMessage("I could not read that invoice.")))
    state = await agent.send("get invoice 42")
    error = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert error.status == "error" and "invoice_id" in error.content
    await _still_works(agent)


async def test_unknown_id_gives_an_actionable_error(harness: Any) -> None:
    agent = harness(
        lambda m: (
            calls(call("get_invoice", invoice_id="nope"))
            if isinstance(m[-1], HumanMessage) and "nope" in str(m[-1].content)
            else _echo_last_tool(m)
        )
    )
    state = await agent.send("show invoice nope")
    assert "No invoice 'nope' (invoice_not_found). List them to find it." in state["messages"][-1].content
    await _still_works(agent)


async def test_invalid_email_is_rejected_by_the_tool_after_confirmation(harness: Any, billing: Any) -> None:
    agent = harness(
        lambda m: (
            calls(call("update_customer", external_id="acme_corp", email="not-an-email"))
            if isinstance(m[-1], HumanMessage) and "email" in str(m[-1].content)
            else _echo_last_tool(m)
        )
    )
    await agent.send("Update the billing email for acme_corp to not-an-email")
    state = await agent.resume("CONFIRM")
    assert "Invalid email 'not-an-email'" in state["messages"][-1].content
    assert billing.data["customers"]["acme_corp"]["email"] == "billing@acme.test"
    await _still_works(agent)


async def test_100_kb_message_gets_a_clear_answer_without_a_model_call(harness: Any) -> None:
    agent = harness(sequence(AIMessage("plans...")))
    state = await agent.send("x" * 100_000)
    assert "100,000 characters long" in state["messages"][-1].content
    assert agent.model.prompts == []
    await _still_works(agent)


async def test_empty_message(harness: Any) -> None:
    agent = harness(sequence(AIMessage("plans...")))
    for empty in ("", "   \n\t"):
        state = await agent.send(empty)
        assert "Your message was empty" in state["messages"][-1].content
    assert agent.model.prompts == []
    await _still_works(agent)


async def test_odd_unicode_passes_through_intact(harness: Any) -> None:
    odd = "Zeige Rechnungen für Ωmega 🚀 \u202e\u200b\x00 עברית 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
    agent = harness(sequence(calls(call("list_customers", search_term=odd)), AIMessage("Nothing matched.")))
    state = await agent.send(odd)
    assert agent.model.prompts[0][1].content == odd
    assert (
        "Nothing matched." in state["messages"][-1].content and "_No records found._" in state["messages"][-1].content
    )
    await _still_works(agent)


async def test_a_crashing_tool_becomes_an_error_message(harness: Any, billing: Any) -> None:
    from langchain_core.tools import StructuredTool

    async def list_coupons() -> str:
        raise ExceptionGroup("transport", [ConnectionError("MCP session closed")])

    broken = StructuredTool.from_function(
        coroutine=list_coupons, name="list_coupons", description="x", metadata={"readOnlyHint": True}
    )
    agent = harness(
        lambda m: calls(call("list_coupons")) if isinstance(m[-1], HumanMessage) else _echo_last_tool(m),
        tools=[*billing.tools(), broken],
    )
    state = await agent.send("list coupons")
    assert "Calling list_coupons failed (ConnectionError: MCP session closed)" in state["messages"][-1].content
