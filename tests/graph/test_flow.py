"""Graph routing: answers, read-only execution, results kept in state, tables and links in the answer."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from .scripted import call, calls, sequence


async def test_plain_answer_goes_straight_to_the_summarizer(harness: Any) -> None:
    agent = harness(sequence(AIMessage("Hello! Ask me about invoices.")))
    state = await agent.send("hi")
    assert state["messages"][-1].content == "Hello! Ask me about invoices."
    assert await agent.pending() is None


async def test_read_only_call_runs_without_confirmation_and_renders_a_linked_table(harness: Any, billing: Any) -> None:
    agent = harness(sequence(calls(call("list_invoices", payment_status="pending")), AIMessage("One pending invoice.")))
    state = await agent.send("Show pending invoices")
    answer = state["messages"][-1].content
    assert answer.startswith("One pending invoice.")
    assert "[INV-001](https://app.getlago.com/customer/c-1/invoice/inv-1/overview)" in answer
    assert "$1,200.00" in answer and "Acme Corp" in answer
    assert "INV-002" not in answer
    tool_message = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert tool_message.artifact["invoices"][0]["number"] == "INV-001"
    (result,) = state["results"].values()
    assert result["tool"] == "list_invoices" and result["ok"] and result["data"]["pagination"]["total_count"] == 1
    assert state["last_listed"] == [{"kind": "invoices", "lago_id": "inv-1", "number": "INV-001"}]
    assert billing.calls == [("list_invoices", {"payment_status": "pending"})]


async def test_independent_read_calls_run_in_one_step(harness: Any, billing: Any) -> None:
    step = calls(call("get_customer", external_customer_id="acme_corp"), call("get_plan", code="enterprise"))
    agent = harness(sequence(step, AIMessage("Here they are.")))
    state = await agent.send("Acme and the enterprise plan")
    assert {name for name, _ in billing.calls} == {"get_customer", "get_plan"}
    answer = state["messages"][-1].content
    assert (
        "Acme Corp" in answer
        and "$2,500.00" in answer
        and "[Open in Lago](https://app.getlago.com/customer/c-1)" in answer
    )


async def test_model_sees_a_size_bounded_result_while_state_keeps_everything(harness: Any, billing: Any) -> None:
    for n in range(300):
        billing.data["customers"][f"bulk_{n}"] = {"external_id": f"bulk_{n}", "name": f"Bulk {n}", "lago_id": f"b{n}"}
    seen: list[BaseMessage] = []

    def script(messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], ToolMessage):
            seen.append(messages[-1])
            return AIMessage("Many customers.")
        return calls(call("list_customers"))

    state = await harness(script).send("list customers")
    assert len(seen[0].content) < 6_500 and "cut:" in seen[0].content
    (result,) = state["results"].values()
    assert len(result["data"]["customers"]) == 302
    assert len(state["last_listed"]) == 302
    assert "_Showing 25 of 302." in state["messages"][-1].content


async def test_tool_rounds_are_capped_per_user_message(harness: Any, billing: Any) -> None:
    agent = harness(lambda messages: calls(call("list_customers")))
    state = await agent.send("loop forever")
    assert "I stopped after 4 rounds of tool calls" in state["messages"][-1].content
    assert len(billing.calls) == 4
    state = await agent.send("again")
    assert len(billing.calls) == 8, "the cap counts per user message"


async def test_follow_up_turn_sees_the_earlier_conversation(harness: Any) -> None:
    agent = harness(
        sequence(calls(call("list_invoices")), AIMessage("Two invoices."), AIMessage("The first is INV-001."))
    )
    await agent.send("Show invoices")
    state = await agent.send("Tell me more about the first one")
    prompt = agent.model.prompts[-1]
    assert [m.type for m in prompt] == ["system", "human", "ai", "tool", "ai", "human"]
    assert state["last_listed"][0]["number"] == "INV-001"


async def test_answer_shows_the_last_round_and_the_changes_not_the_lookups(harness: Any, billing: Any) -> None:
    agent = harness(
        sequence(
            calls(call("list_customers", search_term="Globex")),
            calls(call("update_customer", external_id="globex", email="new@globex.test")),
            AIMessage("Updated the billing email."),
        )
    )
    await agent.send("Update the billing email for Globex to new@globex.test")
    state = await agent.resume("CONFIRM")
    answer = state["messages"][-1].content
    assert "**Done** (`update_customer`)" in answer and "new@globex.test" in answer
    assert "list_customers" not in answer
