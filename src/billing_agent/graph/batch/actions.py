"""What the batch knows per action: which errors mean "already done", how to check Lago first, the inverse."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Records = list[dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    """A read that tells whether an item's effect is already in Lago.

    Attributes:
        tool: the read-only tool to call.
        args: builds its arguments from the item's action arguments (None = cannot probe this item).
        done: reads the records it returned: (effect present?, id of the record holding the effect).
    """

    tool: str
    args: Callable[[Mapping[str, Any]], dict[str, Any] | None]
    done: Callable[[Records], tuple[bool, str | None]]


@dataclass(frozen=True)
class Inverse:
    """The action that undoes another, and how an undone item's arguments are built."""

    action: str
    args: Callable[[Mapping[str, Any], str], dict[str, Any]]


@dataclass(frozen=True)
class ActionRule:
    """Per-action knowledge: error codes that mean the effect is already there, a probe, an inverse."""

    done_codes: frozenset[str] = frozenset()
    probe: Probe | None = None
    inverse: Inverse | None = None
    noun: str = "record"
    result_kinds: tuple[str, ...] = field(default_factory=tuple)


def _first_record(records: Records) -> tuple[bool, str | None]:
    if not records:
        return False, None
    lago_id = records[0].get("lago_id")
    return True, lago_id if isinstance(lago_id, str) else None


def _active_coupon_args(args: Mapping[str, Any]) -> dict[str, Any] | None:
    customer, code = args.get("external_customer_id"), args.get("coupon_code")
    if not customer or not code:
        return None
    return {"external_customer_id": customer, "coupon_codes": [code], "status": "active"}


def _invoice_args(args: Mapping[str, Any]) -> dict[str, Any] | None:
    invoice_id = args.get("lago_id") or args.get("invoice_id")
    return {"invoice_id": invoice_id} if invoice_id else None


def _invoice_where(**expected: str) -> Callable[[Records], tuple[bool, str | None]]:
    def check(records: Records) -> tuple[bool, str | None]:
        if not records:
            return False, None
        invoice = records[0]
        present = all(invoice.get(key) == value for key, value in expected.items())
        lago_id = invoice.get("lago_id")
        return present, lago_id if isinstance(lago_id, str) else None

    return check


def _remove_coupon_args(args: Mapping[str, Any], result_id: str) -> dict[str, Any]:
    return {"external_customer_id": args["external_customer_id"], "applied_coupon_id": result_id}


ACTION_RULES: dict[str, ActionRule] = {
    "apply_coupon": ActionRule(
        done_codes=frozenset({"coupon_is_not_reusable"}),
        probe=Probe("list_applied_coupons", _active_coupon_args, _first_record),
        inverse=Inverse("remove_applied_coupon", _remove_coupon_args),
        noun="customer",
        result_kinds=("applied_coupon",),
    ),
    "remove_applied_coupon": ActionRule(noun="applied coupon"),
    "retry_invoice": ActionRule(
        probe=Probe("get_invoice", _invoice_args, _invoice_where(status="finalized")), noun="invoice"
    ),
    "retry_invoice_payment": ActionRule(
        probe=Probe("get_invoice", _invoice_args, _invoice_where(payment_status="succeeded")), noun="invoice"
    ),
    "void_invoice": ActionRule(
        probe=Probe("get_invoice", _invoice_args, _invoice_where(status="voided")), noun="invoice"
    ),
    "finalize_invoice": ActionRule(
        probe=Probe("get_invoice", _invoice_args, _invoice_where(status="finalized")), noun="invoice"
    ),
    "preview_invoice": ActionRule(noun="preview"),
}

DEFAULT_RULE = ActionRule()


def rule_for(action: str) -> ActionRule:
    """The rule of `action` (a rule with no probe and no inverse when the action is not listed)."""
    return ACTION_RULES.get(action, DEFAULT_RULE)
