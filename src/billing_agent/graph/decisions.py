"""Read the human's answer to a confirmation request (langchain 1.x HITL decisions, or `CONFIRM`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CONFIRM_WORD = "CONFIRM"
ALLOWED_DECISIONS = ["approve", "edit", "reject"]
NO_REPLY = "<no reply>"
"""What `Command(resume=None)` is resumed with (see `billing_agent.graph.resume`): a rejection like no answer."""
EMPTY_REPLY = "The reply was empty (no decision), so nothing was approved."


@dataclass(frozen=True)
class Decision:
    """The human's decision on one pending action."""

    type: Literal["approve", "edit", "reject"]
    name: str | None = None
    args: dict[str, Any] | None = None
    message: str | None = None


def _reject_all(count: int, reason: str) -> list[Decision]:
    return [Decision("reject", message=reason) for _ in range(count)]


def _one(raw: Any) -> Decision | None:
    if not isinstance(raw, dict):
        return None
    kind = raw.get("type")
    if kind == "approve":
        return Decision("approve")
    if kind == "reject":
        message = raw.get("message")
        return Decision("reject", message=message if isinstance(message, str) else None)
    if kind == "edit":
        action = raw.get("edited_action")
        if isinstance(action, dict) and isinstance(action.get("name"), str) and isinstance(action.get("args"), dict):
            return Decision("edit", name=action["name"], args=dict(action["args"]))
    return None


def parse_decisions(answer: Any, count: int) -> list[Decision]:
    """One decision per pending action, in order.

    `CONFIRM` (surrounding whitespace allowed) approves all; `{"decisions": [...]}` with exactly one valid
    decision per action applies them; anything else (an empty reply too) rejects every action.
    """
    if answer is None or answer == NO_REPLY:
        return _reject_all(count, EMPTY_REPLY)
    if isinstance(answer, str):
        if answer.strip() == CONFIRM_WORD:
            return [Decision("approve") for _ in range(count)]
        return _reject_all(count, "The user did not type CONFIRM.")
    if isinstance(answer, dict) and isinstance(answer.get("decisions"), list):
        parsed = [_one(raw) for raw in answer["decisions"]]
        if len(parsed) == count and all(d is not None for d in parsed):
            return [d for d in parsed if d is not None]
        return _reject_all(count, f"The reply did not hold {count} valid decision(s).")
    return _reject_all(count, "The reply was not an approval.")
