"""Follow-ups pick a record of the previous list from the conversation (artifact first, else text)."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from .helpers import SYSTEM, calls_of, converse, step
from .schemas import OUR_TOOLS

INVOICES = {
    "invoices": [
        {"lago_id": "inv-1", "number": "INV-001"},
        {"lago_id": "inv-2", "number": "INV-002"},
        {"lago_id": "inv-3", "number": "INV-003"},
    ],
    "pagination": {"total_count": 3},
}


def _after_list(payload: dict[str, object], *, artifact: bool = True) -> list[BaseMessage]:
    """A finished turn that listed invoices."""
    messages, done = converse(OUR_TOOLS, "Show me overdue invoices for the last 30 days", [])
    call = done.tool_calls[0]
    result = ToolMessage(
        content="3 invoices (text rendering)" if artifact else json.dumps(payload),
        artifact=payload if artifact else None,
        tool_call_id=call["id"],
        name=call["name"],
    )
    return [*messages, done, result, AIMessage(content="Found 3 overdue invoices.")]


def test_tell_me_more_about_the_first_one_fetches_it() -> None:
    history = _after_list(INVOICES)
    reply = step(OUR_TOOLS, [*history, HumanMessage(content="Tell me more about the first one")])

    assert calls_of(reply) == [("get_invoice", {"invoice_id": "inv-1"})]


def test_ordinals_and_numbers_pick_the_right_record() -> None:
    history = _after_list(INVOICES, artifact=False)
    second = step(OUR_TOOLS, [*history, HumanMessage(content="Show me the second invoice")])
    last = step(OUR_TOOLS, [*history, HumanMessage(content="Tell me about the last one")])
    third = step(OUR_TOOLS, [*history, HumanMessage(content="details of number 3")])

    assert calls_of(second) == [("get_invoice", {"invoice_id": "inv-2"})]
    assert calls_of(last) == [("get_invoice", {"invoice_id": "inv-3"})]
    assert calls_of(third) == [("get_invoice", {"invoice_id": "inv-3"})]


def test_the_followup_answer_names_the_record() -> None:
    history = _after_list(INVOICES)
    messages = [*history, HumanMessage(content="Tell me more about the first one")]
    fetch = step(OUR_TOOLS, messages)
    result = ToolMessage(
        content="{}", artifact={"invoice": INVOICES["invoices"][0]}, tool_call_id=fetch.tool_calls[0]["id"]
    )
    final = step(OUR_TOOLS, [*messages, fetch, result])

    assert final.content == "Here are the details of invoice INV-001."


def test_a_position_past_the_end_is_refused() -> None:
    history = _after_list(INVOICES)
    reply = step(OUR_TOOLS, [*history, HumanMessage(content="Tell me more about the fifth one")])

    assert reply.tool_calls == []
    assert reply.content == "The last list had only 3 items."


def test_followup_without_an_earlier_list_says_so() -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="Tell me more about the first one")])

    assert reply.tool_calls == []
    assert reply.content.startswith("There is no earlier list in this conversation")


def test_customer_lists_lead_to_get_customer() -> None:
    messages, listing = converse(OUR_TOOLS, "List customers", [])
    payload = {"customers": [{"external_id": "hooli", "name": "Hooli"}]}
    result = ToolMessage(content="1 customer", artifact=payload, tool_call_id=listing.tool_calls[0]["id"])
    history = [*messages, listing, result, AIMessage(content="Found 1 customer.")]
    reply = step(OUR_TOOLS, [*history, HumanMessage(content="Tell me more about the first one")])

    assert calls_of(reply) == [("get_customer", {"external_customer_id": "hooli"})]


def test_retry_all_of_these_is_bulk() -> None:
    history = _after_list(INVOICES)
    reply = step(OUR_TOOLS, [*history, HumanMessage(content="Retry all of these")])

    assert reply.tool_calls == []
    assert "not available in offline mode" in reply.content


PAGE_ONE = {
    "invoices": [{"lago_id": f"inv-{i}"} for i in range(20)],
    "pagination": {"page": 1, "per_page": 20, "total_count": 45, "next_page": 2},
}


def test_next_page_repeats_the_last_list_call_with_the_next_page() -> None:
    history = _after_list(PAGE_ONE)
    reply = step(OUR_TOOLS, [*history, HumanMessage(content="Show the next page")])

    assert calls_of(reply) == [
        (
            "list_invoices",
            {"payment_overdue": True, "issuing_date_from": "2026-10-27", "issuing_date_to": "2026-11-26", "page": 2},
        )
    ]


def test_page_number_and_last_page() -> None:
    history = _after_list(PAGE_ONE)
    third = step(OUR_TOOLS, [*history, HumanMessage(content="page 3")])
    last_page = _after_list({"invoices": [{"lago_id": "x"}], "pagination": {"page": 3, "next_page": None}})
    none_left = step(OUR_TOOLS, [*last_page, HumanMessage(content="show more")])

    assert calls_of(third)[0][1]["page"] == 3
    assert none_left.tool_calls == [] and none_left.content == "That was the last page of the list."


def test_next_page_answer_counts_the_page() -> None:
    messages = [*_after_list(PAGE_ONE), HumanMessage(content="next page")]
    fetch = step(OUR_TOOLS, messages)
    page_two = {"invoices": [{"lago_id": "a"}, {"lago_id": "b"}], "pagination": {"page": 2, "total_count": 22}}
    result = ToolMessage(content="2 invoices", artifact=page_two, tool_call_id=fetch.tool_calls[0]["id"])
    final = step(OUR_TOOLS, [*messages, fetch, result])

    assert final.content == "Page 2: 2 more records of 22 in total."
