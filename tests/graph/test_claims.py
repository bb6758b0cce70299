"""The answer never claims a change that did not happen, whatever the model writes."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage

from billing_agent.graph.claims import NOTHING_CHANGED, claims_a_change

from .scripted import call, calls, sequence

CLAIMS = [
    "I've terminated the subscription of Acme Corp.",
    "Done: coupon SUMMER20 was applied to 3 customers.",
    "The invoice has been voided and a credit note was issued.",
    "Acme Corp's billing email is now updated to ap@acme.test.",
]
NOT_CLAIMS = [
    "Found 6 plans.",
    "Here are the 148 subscriptions created this month.",
    "Nothing was changed: the subscription was not terminated.",
    "Should I apply coupon SUMMER20 to Acme Corp?",
    "If you confirm, the subscription will be terminated.",
    "The user declined `delete_subscription`; it was NOT run.",
    "I couldn't apply the coupon: it has expired.",
]


@pytest.mark.parametrize("text", CLAIMS)
def test_statements_of_a_change_are_claims(text: str) -> None:
    assert claims_a_change(text)


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_questions_negations_conditions_and_lists_are_not(text: str) -> None:
    assert not claims_a_change(text)


async def test_a_claimed_change_without_any_call_is_flagged(harness: Any, billing: Any) -> None:
    agent = harness(sequence(AIMessage("I've terminated the subscription of Acme Corp.")))
    state = await agent.send("Terminate subscription for Acme Corp")
    answer = state["messages"][-1].content
    assert answer.startswith(NOTHING_CHANGED) and "I've terminated" in answer
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "active"


async def test_a_claim_after_a_declined_call_is_flagged(harness: Any, billing: Any) -> None:
    agent = harness(sequence(calls(call("delete_subscription", external_id="sub_acme_corp")), AIMessage("Terminated.")))
    await agent.send("Terminate subscription for Acme Corp")
    state = await agent.resume("no")
    assert not state["messages"][-1].content.startswith(NOTHING_CHANGED)  # "Terminated." alone is not a claim shape
    agent = harness(
        sequence(calls(call("delete_subscription", external_id="sub_acme_corp")), AIMessage("I have terminated it."))
    )
    await agent.send("Terminate subscription for Acme Corp")
    state = await agent.resume("no")
    assert state["messages"][-1].content.startswith(NOTHING_CHANGED)


async def test_a_change_that_ran_is_reported_as_written(harness: Any, billing: Any) -> None:
    agent = harness(
        sequence(calls(call("delete_subscription", external_id="sub_acme_corp")), AIMessage("I have terminated it."))
    )
    await agent.send("Terminate subscription for Acme Corp")
    state = await agent.resume("CONFIRM")
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "terminated"
    assert state["messages"][-1].content.startswith("I have terminated it.")
