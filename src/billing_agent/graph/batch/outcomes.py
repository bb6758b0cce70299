"""Per-item outcomes: ok, failed with Lago's error code and reason, or skipped; "already done" detection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from billing_agent.graph.batch.actions import ActionRule
from billing_agent.graph.batch.state import ItemOutcome
from billing_agent.graph.records import extract_records
from billing_agent.graph.toolcall import Outcome

_STATUS = re.compile(r"\(Lago (\d{3}|no response) on [A-Z]+ ")
_CODE = re.compile(r"\(([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\)")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
MESSAGE_CHARS = 300
FATAL_STATUSES = frozenset({"401", "403"})
RETRYABLE_STATUSES = frozenset({"429", "500", "502", "503", "504", "no response"})


@dataclass(frozen=True)
class ErrorInfo:
    """What a failed call's message says: Lago's HTTP status, its error code, and every code-like word."""

    status: str | None
    code: str
    words: frozenset[str]


def read_error(text: str) -> ErrorInfo:
    """Parse a tool error message ("Lago refused retry_invoice (invalid_status): … (Lago 405 on POST …)")."""
    status_match = _STATUS.search(text)
    status = status_match.group(1) if status_match else None
    code_match = _CODE.search(text)
    words = frozenset(_SNAKE.findall(text))
    if code_match:
        code = code_match.group(1)
    elif status:
        code = f"http_{status.replace(' ', '_')}"
    else:
        code = "tool_error"
    return ErrorInfo(status, code, words)


def short(text: str) -> str:
    """One line of at most `MESSAGE_CHARS` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


def result_identity(data: Any, rule: ActionRule) -> tuple[str | None, str | None]:
    """(lago_id, dashboard_url) of the record an action returned, when it returned one."""
    records = extract_records("", data)
    if records is None or not records.items:
        return None, None
    record = records.items[0]
    if rule.result_kinds and records.kind not in rule.result_kinds:
        return None, None
    lago_id, link = record.get("lago_id"), record.get("dashboard_url")
    return (lago_id if isinstance(lago_id, str) else None, link if isinstance(link, str) else None)


def from_call(outcome: Outcome, rule: ActionRule) -> ItemOutcome:
    """The item outcome of one action call."""
    if outcome.ok:
        result_id, link = result_identity(outcome.data, rule)
        return ItemOutcome(status="ok", code=None, message="", result_id=result_id, link=link)
    error = read_error(outcome.text)
    already = sorted(rule.done_codes & error.words)
    if already:
        return ItemOutcome(
            status="ok", code=already[0], message=f"Already done ({already[0]}).", already_done=True, result_id=None
        )
    return ItemOutcome(status="failed", code=error.code, message=short(outcome.text), http_status=error.status)


def already_done(result_id: str | None, reason: str) -> ItemOutcome:
    """An item whose effect was found in Lago: counted as done, not redone."""
    return ItemOutcome(status="ok", code=None, message=reason, already_done=True, result_id=result_id)


def applied_despite_error(result_id: str | None) -> ItemOutcome:
    """An item whose call got an error answer although Lago made the change (found by the probe): done."""
    return ItemOutcome(
        status="ok", code=None, message="Lago answered with an error, but the change is there.", result_id=result_id
    )


def recovered(result_id: str | None) -> ItemOutcome:
    """An item this batch applied before a crash, found in Lago when the cut-off chunk ran again (done, not redone)."""
    return ItemOutcome(
        status="ok",
        code=None,
        message="Applied before the crash; found in Lago on resume, not redone.",
        recovered=True,
        result_id=result_id,
    )


def unverified(reason: str) -> ItemOutcome:
    """An item left alone after a crash because Lago could not be asked whether it was already done."""
    return ItemOutcome(
        status="failed",
        code="unverified",
        message=short(
            f"Not redone after the resume: could not check whether it was already applied ({reason}). "
            "Check it, then retry the failed ones."
        ),
    )


def skipped(reason: str) -> ItemOutcome:
    """An item that was not attempted, with the reason."""
    return ItemOutcome(status="skipped", code="not_attempted", message=reason)


def is_fatal(outcome: ItemOutcome) -> bool:
    """True when the failure will repeat for every item (bad key, missing permission): stop trying."""
    return outcome.get("status") == "failed" and outcome.get("http_status") in FATAL_STATUSES


def may_have_applied(outcome: ItemOutcome) -> bool:
    """True for a failure after which the write may still have happened (server error, lost answer)."""
    if outcome.get("status") != "failed":
        return False
    status = outcome.get("http_status")
    return status is None or status in RETRYABLE_STATUSES
