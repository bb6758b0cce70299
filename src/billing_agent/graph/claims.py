"""The answer never claims a change that did not happen.

Whatever the model writes, when no call that changes data succeeded in the turn, an answer that says a change
was made ("I've terminated …", "the coupon was applied") gets a first line saying that nothing was changed.
The check is textual (the model's prose is free text); negated, conditional and questioning sentences are not
claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from billing_agent.graph.turn import current_turn
from billing_agent.tools.policy import ToolPolicy

NOTHING_CHANGED = (
    "**Nothing was changed in this request**: no call that changes data succeeded, whatever the text below says."
)
_VERBS = (
    "terminated|deleted|removed|applied|created|updated|changed|renamed|voided|refunded|retried|finalized|"
    "topped up|credited|issued|added|assigned|upgraded|downgraded|cancell?ed|sent|set|paid|marked"
)
_CLAIM = re.compile(
    rf"\b(?:i|we|i've|we've|i have|we have|has been|have been|had been|was|were|is now|are now|successfully|"
    rf"done:?)\s+(?:[\w'’-]+\s+){{0,3}}?(?:{_VERBS})\b",
    re.IGNORECASE,
)
_NOT_A_CLAIM = re.compile(
    r"\b(?:not|no|nothing|never|none|n't|cannot|unable|failed|declined|would|could|will|if|whether|once|after you)\b"
    r"|n't\b|\?",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")


def claims_a_change(text: str) -> bool:
    """True when some sentence of `text` states, without negation or condition, that a change was made."""
    return any(_CLAIM.search(s) and not _NOT_A_CLAIM.search(s) for s in _SENTENCE.split(text))


def changed_something(messages: Sequence[BaseMessage], policy: ToolPolicy) -> bool:
    """True when a call that changes data succeeded in the current turn."""
    called = {
        str(call.get("id")): call["name"]
        for message in current_turn(messages)
        if isinstance(message, AIMessage)
        for call in message.tool_calls
    }
    return any(
        isinstance(m, ToolMessage) and m.status != "error" and not policy.is_read_only(called.get(m.tool_call_id, ""))
        for m in current_turn(messages)
    )


def honest(prose: str, messages: Sequence[BaseMessage], policy: ToolPolicy) -> str:
    """`prose`, led by `NOTHING_CHANGED` when it claims a change that no successful call made."""
    if prose and claims_a_change(prose) and not changed_something(messages, policy):
        return f"{NOTHING_CHANGED}\n\n{prose}"
    return prose
