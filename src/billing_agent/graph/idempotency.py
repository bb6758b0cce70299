"""Approved calls that must not run twice: after a crash between a Lago write and its checkpoint, look first.

The executor's step is the first of a resumed run only when the run was cut off after the confirmation was
saved (a crash, kill -9): the call may have reached Lago already. For the calls Lago would happily repeat:

- `top_up_wallet` carries its call id as `idempotency_key` (Lago stores it in the transactions' metadata);
  the recovering run looks for it with `list_wallet_transactions` and runs the call only when it is absent.
- `create_credit_note` carries it too (Lago stores it in the credit note's metadata), looked for with
  `list_credit_notes` on the invoice's number.
- `create_payment` is looked for by its invoice, amount and reference (`list_payments`).
- `create_invoice` leaves nothing the agent can recognise (a one-off invoice has no metadata), so it is NOT
  redone: the answer says the outcome is unknown and how to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool

from billing_agent.graph.batch.fanout import is_recovering
from billing_agent.graph.records import extract_records
from billing_agent.graph.toolcall import Outcome, run_tool

MARKER_ARG = "idempotency_key"
NOT_REPEATABLE = frozenset({"create_payment", "create_credit_note", "top_up_wallet", "create_invoice"})
STAMPED = frozenset({"top_up_wallet", "create_credit_note"})
HOW_TO_CHECK = {
    "create_credit_note": "list the invoice's credit notes (list_credit_notes) before creating it again",
    "create_invoice": "list the customer's invoices (list_customer_invoices) before creating it again",
}
UNKNOWN = (
    "`{name}` was NOT run again: the previous run was cut off (a crash) after it was approved, and it may already "
    "have reached Lago, which keeps no marker this call could be recognised by. Its outcome is unknown: {check}."
)
FOUND = "`{name}` had already reached Lago before the run was cut off ({detail}); it was not run again."


def call_marker(call_id: str) -> str:
    """The idempotency marker Lago stores for the approved call `call_id`."""
    return f"call:{call_id}"[:200]


def stamped(call: ToolCall) -> ToolCall:
    """The call with its marker added where Lago stores one (`STAMPED`), as it is sent to Lago."""
    args = call.get("args")
    if call["name"] not in STAMPED or not isinstance(args, dict) or args.get(MARKER_ARG):
        return call
    return ToolCall(name=call["name"], args={**args, MARKER_ARG: call_marker(str(call.get("id")))}, id=call.get("id"))


async def run_once(tools: Mapping[str, BaseTool], call: ToolCall, *, maybe_ran: bool = False) -> Outcome:
    """Run an approved call, unless, after a cut-off attempt, Lago shows (or cannot rule out) that it already ran.

    `maybe_ran`: the approval ledger saw an attempt start and never finish; a recovering run counts too.
    """
    sent = stamped(call)
    if call["name"] in NOT_REPEATABLE and (maybe_ran or is_recovering()):
        known = await _earlier_effect(tools, sent)
        if known is not None:
            return known
    return await run_tool(tools, sent)


async def _records(tools: Mapping[str, BaseTool], name: str, args: dict[str, Any]) -> list[dict[str, Any]] | None:
    outcome = await run_tool(tools, ToolCall(name=name, args=args, id=f"check_{name}"))
    if not outcome.ok:
        return None
    records = extract_records(name, outcome.data)
    return records.items if records is not None else []


async def _credit_notes_of(tools: Mapping[str, BaseTool], invoice_id: str) -> list[dict[str, Any]] | None:
    invoice = await _records(tools, "get_invoice", {"invoice_id": invoice_id})
    number = invoice[0].get("number") if invoice else None
    if not number:
        return None
    return await _records(tools, "list_credit_notes", {"invoice_number": number, "per_page": 100})


async def _earlier_effect(tools: Mapping[str, BaseTool], call: ToolCall) -> Outcome | None:
    """What Lago shows of an earlier run of `call`: found, unknown (not redone) or None (absent: run it)."""
    name, args = call["name"], dict(call.get("args") or {})
    unknown = Outcome(False, UNKNOWN.format(name=name, check=HOW_TO_CHECK.get(name, "check Lago first")), None)
    if name == "top_up_wallet":
        found = await _records(tools, "list_wallet_transactions", {"wallet_id": args.get("wallet_id"), "per_page": 100})
        marker = args.get(MARKER_ARG)
        hits = [r for r in found or [] if any(m.get("value") == marker for m in r.get("metadata") or [])]
    elif name == "create_credit_note":
        found = await _credit_notes_of(tools, str(args.get("invoice_id")))
        marker = args.get(MARKER_ARG)
        hits = [r for r in found or [] if (r.get("metadata") or {}).get(MARKER_ARG) == marker]
    elif name == "create_payment":
        found = await _records(tools, "list_payments", {"invoice_id": args.get("invoice_id"), "per_page": 100})
        hits = [
            r
            for r in found or []
            if r.get("reference") == args.get("reference") and r.get("amount_cents") == args.get("amount_cents")
        ]
    else:
        return unknown
    if found is None:
        return unknown
    if not hits:
        return None
    ids = ", ".join(str(r.get("lago_id")) for r in hits)
    return Outcome(True, FOUND.format(name=name, detail=f"record {ids}"), {"found": hits})
