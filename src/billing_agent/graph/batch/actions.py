"""What the batch knows per action: which errors mean "already done", how to check Lago first, the inverse.

Exactly-once across a crash: a batch runs only actions that are read-only, have a probe (a read that shows
whether the item's effect is in Lago, used on every item of a chunk cut off by a crash), or say in `repeat`
why running an item twice changes nothing. `batch_prepare` refuses every other write.
"""

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
        done: reads the records it returned (and the item's arguments): (effect present?, id of the record
            holding the effect).
    """

    tool: str
    args: Callable[[Mapping[str, Any]], dict[str, Any] | None]
    done: Callable[[Records, Mapping[str, Any]], tuple[bool, str | None]]


@dataclass(frozen=True)
class Inverse:
    """The action that undoes another, and how an undone item's arguments are built."""

    action: str
    args: Callable[[Mapping[str, Any], str], dict[str, Any]]


@dataclass(frozen=True)
class ActionRule:
    """Per-action knowledge: error codes that mean the effect is already there, a probe, an inverse.

    Attributes:
        marker: the action's argument that carries a per-item idempotency marker (the batch item's call id),
            which Lago stores on the record it creates and the probe looks for.
        repeat: why running an item twice is harmless (the reason a batch may run the action without a probe).
    """

    done_codes: frozenset[str] = frozenset()
    probe: Probe | None = None
    inverse: Inverse | None = None
    noun: str = "record"
    result_kinds: tuple[str, ...] = field(default_factory=tuple)
    marker: str | None = None
    repeat: str | None = None

    @property
    def crash_safe(self) -> bool:
        """True when a crash can neither double nor lose an item: a probe, or a repeat that changes nothing."""
        return self.probe is not None or self.repeat is not None


def _first_record(records: Records, args: Mapping[str, Any]) -> tuple[bool, str | None]:
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


def _invoice_where(**expected: str) -> Callable[[Records, Mapping[str, Any]], tuple[bool, str | None]]:
    def check(records: Records, args: Mapping[str, Any]) -> tuple[bool, str | None]:
        if not records:
            return False, None
        invoice = records[0]
        present = all(invoice.get(key) == value for key, value in expected.items())
        lago_id = invoice.get("lago_id")
        return present, lago_id if isinstance(lago_id, str) else None

    return check


def _wallet_args(args: Mapping[str, Any]) -> dict[str, Any] | None:
    wallet_id = args.get("wallet_id")
    return {"wallet_id": wallet_id, "per_page": 100} if wallet_id and args.get(TOP_UP_MARKER) else None


def _marked_transaction(records: Records, args: Mapping[str, Any]) -> tuple[bool, str | None]:
    """A transaction of the wallet's newest 100 whose metadata carries this item's marker."""
    marker = args.get(TOP_UP_MARKER)
    for record in records:
        pairs = record.get("metadata") or []
        if any(p.get("key") == TOP_UP_MARKER and p.get("value") == marker for p in pairs if isinstance(p, dict)):
            lago_id = record.get("lago_id")
            return True, lago_id if isinstance(lago_id, str) else None
    return False, None


def _customer_args(args: Mapping[str, Any]) -> dict[str, Any] | None:
    external_id = args.get("external_id")
    return {"external_customer_id": external_id} if external_id else None


def _fields_set(key: str) -> Callable[[Records, Mapping[str, Any]], tuple[bool, str | None]]:
    """The record already holds every value the item sets (all but `key`, the record's id)."""

    def check(records: Records, args: Mapping[str, Any]) -> tuple[bool, str | None]:
        if not records:
            return False, None
        record = records[0]
        wanted = {k: v for k, v in args.items() if k != key and v is not None}
        present = bool(wanted) and all(
            record.get(k) == v or (not isinstance(v, dict | list) and str(record.get(k)) == str(v))
            for k, v in wanted.items()
        )
        lago_id = record.get("lago_id")
        return present, lago_id if isinstance(lago_id, str) else None

    return check


def _remove_coupon_args(args: Mapping[str, Any], result_id: str) -> dict[str, Any]:
    return {"external_customer_id": args["external_customer_id"], "applied_coupon_id": result_id}


SETS_VALUES = "it sets fields to the values given, so a repeat leaves the record as it is"
TOP_UP_MARKER = "idempotency_key"  # the top_up_wallet argument Lago stores in the transactions' metadata

ACTION_RULES: dict[str, ActionRule] = {
    # Probed: an active applied coupon of that code on the customer means the item is done.
    "apply_coupon": ActionRule(
        done_codes=frozenset({"coupon_is_not_reusable"}),
        probe=Probe("list_applied_coupons", _active_coupon_args, _first_record),
        inverse=Inverse("remove_applied_coupon", _remove_coupon_args),
        noun="customer",
        result_kinds=("applied_coupon",),
    ),
    "remove_applied_coupon": ActionRule(
        noun="applied coupon",
        repeat="a repeat finds nothing left to remove (Lago answers 404): never a second change",
    ),
    # Probed through a marker: each item's call id is stored in the metadata of the transactions it creates.
    "top_up_wallet": ActionRule(
        probe=Probe("list_wallet_transactions", _wallet_args, _marked_transaction),
        noun="wallet",
        result_kinds=("wallet_transaction",),
        marker=TOP_UP_MARKER,
    ),
    # Probed: the invoice's status (or payment status) shows whether the action already took effect.
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
    "preview_invoice": ActionRule(noun="preview", repeat="a preview is computed, nothing is written"),
    # Probed: the customer already holds every value the item sets (a repeat would be harmless, but after a
    # crash an item whose repeat fails must still be reported done).
    "update_customer": ActionRule(
        probe=Probe("get_customer", _customer_args, _fields_set("external_id")), noun="customer", repeat=SETS_VALUES
    ),
    # Absolute updates: the item sets fields to the values given, so a repeat leaves the record as it is.
    **{
        name: ActionRule(noun=noun, repeat=SETS_VALUES)
        for name, noun in (
            ("update_subscription", "subscription"),
            ("update_invoice", "invoice"),
            ("update_credit_note", "credit note"),
            ("update_plan", "plan"),
            ("update_coupon", "coupon"),
            ("update_billable_metric", "billable metric"),
        )
    },
    "refresh_invoice": ActionRule(noun="invoice", repeat="recomputes a draft from its usage: a repeat gives the same"),
    "create_customer": ActionRule(noun="customer", repeat="Lago upserts customers by external_id: " + SETS_VALUES),
}

DEFAULT_RULE = ActionRule()


def rule_for(action: str) -> ActionRule:
    """The rule of `action` (a rule with no probe and no inverse when the action is not listed)."""
    return ACTION_RULES.get(action, DEFAULT_RULE)
