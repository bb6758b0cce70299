"""Demo billing history: add-ons, invoices over the last 90 days, payments, credit notes and log entries.

Runs after customers, plans and subscriptions exist. Deterministic for a given `rng` and `now`. Invoice
numbers run `INV-001`, `INV-002`, … from the oldest; `INV-001` is finalized. The mix: most old invoices paid
(with payments), a healthy number overdue (some issued in the last 30 days), about 20 failed ones (several
issued last week), drafts from the last few days, a few voided ones, and a few credit notes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from billing_agent.sandbox import kinds
from billing_agent.sandbox.credit_notes import CREDIT_NOTE_KIND, build_credit_note
from billing_agent.sandbox.invoicing import (
    ADD_ON_KIND,
    INVOICE_KIND,
    make_fee,
    make_invoice,
    set_payment_status,
)
from billing_agent.sandbox.logs import ACTIVITY_KIND, API_LOG_KIND
from billing_agent.sandbox.lookups import set_sequence
from billing_agent.sandbox.payment_records import PAYMENT_KIND, apply_payment, make_payment
from billing_agent.sandbox.store import Org, Record, SandboxStore, iso, new_id

ACME = "acme_corp"
HISTORY_DAYS = 90
FAILED_TARGET = 20
DRAFTS_MIN = 3
VOID_EVERY = 40
ADD_ONS = (
    ("setup_fee", "Setup fee", 50_000, "One-time platform setup"),
    ("onboarding", "Onboarding package", 150_000, "Guided onboarding sessions"),
    ("premium_support", "Premium support", 25_000, "Priority support, per month"),
    ("extra_seats", "Extra seats", 2_000, "Additional user seats, per seat"),
)


@dataclass
class _Draft:
    """An invoice to create: who, when, what."""

    customer: Record
    issued_at: datetime
    amount_cents: int
    code: str
    name: str
    invoice_type: str
    subscription: Record | None


def seed_billing_history(store: SandboxStore, org: Org, rng: random.Random, now: datetime) -> None:
    """Create add-ons, invoices over the last 90 days, payments, credit notes and log entries for `org`."""
    add_ons = _add_ons(org, now)
    store.put_many(org.id, ADD_ON_KIND, [(a["code"], a) for a in add_ons])
    customers = store.all(org.id, kinds.CUSTOMER)
    if not customers:
        return
    plans = {plan["code"]: plan for plan in store.all(org.id, kinds.PLAN)}
    drafts = _plan_invoices(customers, store.all(org.id, kinds.SUBSCRIPTION), plans, add_ons, rng, now)
    invoices = [_invoice(draft, number, rng) for number, draft in enumerate(drafts, start=1)]
    failed = _failed_quota(invoices, now, rng)
    drafts_left = _draft_quota(invoices, failed, now)
    payments: list[Record] = []
    for index, invoice in enumerate(invoices):
        _settle(invoice, index, failed, drafts_left, rng, now, payments)
    notes = _credit_notes(invoices, rng, now)
    store.put_many(org.id, INVOICE_KIND, [(inv["lago_id"], inv) for inv in invoices])
    store.put_many(org.id, PAYMENT_KIND, [(p["lago_id"], p) for p in payments])
    store.put_many(org.id, CREDIT_NOTE_KIND, [(n["lago_id"], n) for n in notes])
    set_sequence(store, org.id, INVOICE_KIND, len(invoices))
    store.put_many(org.id, ACTIVITY_KIND, _activity_logs(org, invoices, payments, rng, now))
    store.put_many(org.id, API_LOG_KIND, _api_logs(invoices, payments, rng, now))


def _add_ons(org: Org, now: datetime) -> list[Record]:
    return [
        {
            "lago_id": new_id(),
            "name": name,
            "invoice_display_name": name,
            "code": code,
            "amount_cents": amount,
            "amount_currency": "USD",
            "description": description,
            "created_at": iso(now - timedelta(days=400)),
            "taxes": [],
            "organization_id": org.id,
        }
        for code, name, amount, description in ADD_ONS
    ]


def _plan_invoices(
    customers: list[Record],
    subscriptions: list[Record],
    plans: dict[str, Record],
    add_ons: list[Record],
    rng: random.Random,
    now: datetime,
) -> list[_Draft]:
    """Monthly invoices for every billed subscription, plus occasional one-off invoices; oldest first."""
    by_customer: dict[str, list[Record]] = {}
    for sub in subscriptions:
        by_customer.setdefault(str(sub.get("external_customer_id")), []).append(sub)
    drafts: list[_Draft] = []
    for customer in customers:
        external_id = str(customer["external_id"])
        subs = [s for s in by_customer.get(external_id, []) if s.get("status") in ("active", "terminated")]
        for sub in subs:
            plan = plans.get(str(sub.get("plan_code")))
            amount = int(plan.get("amount_cents") or 0) if plan else 0
            if plan is None or amount <= 0:
                continue
            first = rng.randint(1, 29)
            months = 3 if external_id == ACME else rng.choice((1, 2, 2, 3))
            for month in range(months):
                issued = now - timedelta(days=first + 30 * month, hours=rng.randint(0, 20))
                drafts.append(
                    _Draft(
                        customer, issued, amount, plan["code"], plan.get("name") or plan["code"], "subscription", sub
                    )
                )
        if not subs or rng.random() < 0.12 or (external_id == ACME and not drafts):
            add_on = rng.choice(add_ons)
            issued = now - timedelta(days=rng.randint(1, HISTORY_DAYS - 1), hours=rng.randint(0, 20))
            units = rng.randint(1, 10) if add_on["code"] == "extra_seats" else 1
            drafts.append(
                _Draft(
                    customer, issued, add_on["amount_cents"] * units, add_on["code"], add_on["name"], "one_off", None
                )
            )
    drafts.sort(key=lambda d: d.issued_at)
    return drafts


def _invoice(draft: _Draft, number: int, rng: random.Random) -> Record:
    invoice_id = new_id()
    currency = str(draft.customer.get("currency") or "USD")
    fee = make_fee(
        invoice_id=invoice_id,
        currency=currency,
        item_type="subscription" if draft.subscription else "add_on",
        code=draft.code,
        name=draft.name,
        unit_amount_cents=draft.amount_cents,
        customer=draft.customer,
        subscription=draft.subscription,
        period=(draft.issued_at - timedelta(days=30), draft.issued_at) if draft.subscription else None,
        created_at=draft.issued_at,
    )
    term = draft.customer.get("net_payment_term")
    return make_invoice(
        lago_id=invoice_id,
        sequential_id=number,
        customer=draft.customer,
        currency=currency,
        fees=[fee],
        invoice_type=draft.invoice_type,
        status="finalized",
        issued_at=draft.issued_at,
        net_payment_term=int(term) if term is not None else rng.choice((0, 7, 15, 15, 30)),
        subscription_ids=[draft.subscription["lago_id"]] if draft.subscription else [],
    )


def _failed_quota(invoices: list[Record], now: datetime, rng: random.Random) -> set[int]:
    """Indexes of the ~20 invoices that failed to generate (fewer in small seeds): half from the last week."""
    target = min(FAILED_TARGET, max(2, len(invoices) // 20))
    last_week = [i for i, inv in enumerate(invoices) if _age_days(inv, now) <= 7 and inv["sequential_id"] > 1]
    older = [i for i, inv in enumerate(invoices) if 7 < _age_days(inv, now) <= 60 and inv["sequential_id"] > 1]
    recent = rng.sample(last_week, min(len(last_week), target // 2))
    rest = rng.sample(older, min(len(older), target - len(recent)))
    return set(recent) | set(rest)


def _draft_quota(invoices: list[Record], failed: set[int], now: datetime) -> set[int]:
    """Indexes of the drafts: every other of the newest invoices (at least three, about 2%), not the failed ones."""
    wanted = max(DRAFTS_MIN, len(invoices) // 50)
    newest = [i for i in range(len(invoices) - 1, 0, -1) if i not in failed and _age_days(invoices[i], now) <= 15]
    return set(newest[::2][:wanted])


def _age_days(invoice: Record, now: datetime) -> int:
    return (now.date() - datetime.fromisoformat(invoice["created_at"].replace("Z", "+00:00")).date()).days


def _settle(
    invoice: Record,
    index: int,
    failed: set[int],
    drafts: set[int],
    rng: random.Random,
    now: datetime,
    payments: list[Record],
) -> None:
    """Give the invoice its final state: failed, draft, voided, paid (with a payment) or still open."""
    age = _age_days(invoice, now)
    if index in failed:
        invoice["status"] = "failed"
        invoice["error_details"] = [
            {"lago_id": new_id(), "error_code": "tax_error", "details": {"tax_error": "providerUnreachable"}}
        ]
        return
    if invoice["sequential_id"] == 1 or (invoice["_customer"]["external_id"] == ACME and age > 20):
        _pay(invoice, now, rng, payments, manual=invoice["sequential_id"] != 1)
        return
    if invoice["_customer"]["external_id"] == ACME:
        return
    if index in drafts:
        invoice["status"] = "draft"
        return
    roll = rng.random()
    if index % VOID_EVERY == 0:
        invoice["status"] = "voided"
        invoice["voided_at"] = iso(now - timedelta(days=max(age - 2, 0)))
    elif roll < 0.72 and age >= 3:
        _pay(invoice, now, rng, payments, manual=rng.random() < 0.3)
    elif roll < 0.80 and age >= 2:
        failed_at = now - timedelta(days=age - 1)
        set_payment_status(invoice, "failed", failed_at)
        amount = int(invoice["total_due_amount_cents"])
        payments.append(make_payment(invoice, amount, paid_at=failed_at, manual=False, succeeded=False))


def _pay(invoice: Record, now: datetime, rng: random.Random, payments: list[Record], *, manual: bool) -> None:
    issued = datetime.fromisoformat(invoice["created_at"].replace("Z", "+00:00"))
    paid_at = min(issued + timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 20)), now - timedelta(hours=1))
    amount = int(invoice["total_due_amount_cents"])
    reference = f"WIRE-{invoice['number']}" if manual else None
    payments.append(make_payment(invoice, amount, reference=reference, paid_at=paid_at, manual=manual))
    apply_payment(invoice, amount, paid_at)
    invoice["updated_at"] = iso(paid_at)


def _credit_notes(invoices: list[Record], rng: random.Random, now: datetime) -> list[Record]:
    """A few credit notes on paid invoices (credit or refund of part of the fee)."""
    paid = [inv for inv in invoices if inv["payment_status"] == "succeeded" and inv["status"] == "finalized"]
    notes = []
    for invoice in rng.sample(paid, min(len(paid), 6)):
        fee = invoice["fees"][0]
        amount = max(int(fee["amount_cents"]) // rng.choice((2, 4, 5)), 1)
        kind = rng.choice(("credit_amount_cents", "refund_amount_cents"))
        params = {
            "reason": rng.choice(("product_unsatisfactory", "order_change", "duplicated_charge", "other")),
            "description": "Goodwill adjustment",
            "items": [{"fee_id": fee["lago_id"], "amount_cents": amount}],
            kind: amount,
        }
        issued = max(datetime.fromisoformat(invoice["updated_at"].replace("Z", "+00:00")), now - timedelta(days=20))
        notes.append(build_credit_note(invoice, params, [], issued))
    return notes


def _activity_logs(
    org: Org, invoices: list[Record], payments: list[Record], rng: random.Random, now: datetime
) -> list[tuple[str, Record]]:
    """A sample of what happened over the last weeks: invoices created, voided, payments recorded."""
    logs: list[tuple[str, Record]] = []
    recent = [inv for inv in invoices if inv["status"] in ("finalized", "voided")][-40:]
    for invoice in recent:
        activity = "invoice.voided" if invoice["status"] == "voided" else "invoice.created"
        logs.append(_activity(org, activity, "Invoice", invoice, invoice["updated_at"], rng))
    for payment in [p for p in payments if p["type"] == "manual"][-15:]:
        logs.append(_activity(org, "payment.recorded", "Payment", payment, payment["created_at"], rng))
    return logs


def _activity(
    org: Org, activity_type: str, resource_type: str, obj: Record, at: str, rng: random.Random
) -> tuple[str, Record]:
    activity_id = new_id()
    visible = {k: v for k, v in obj.items() if not k.startswith("_") and k != "fees"}
    customer = obj.get("external_customer_id") or (obj.get("_customer") or {}).get("external_id")
    source = rng.choice(("api", "api", "front", "system"))
    return activity_id, {
        "lago_id": activity_id,
        "activity_id": activity_id,
        "activity_type": activity_type,
        "activity_source": source,
        "activity_object": visible,
        "activity_object_changes": {},
        "user_email": "ops@hooli.test" if source == "front" else None,
        "resource_id": obj["lago_id"],
        "resource_type": resource_type,
        "external_customer_id": customer,
        "external_subscription_id": None,
        "organization_id": org.id,
        "logged_at": at,
        "created_at": at,
    }


def _api_logs(
    invoices: list[Record], payments: list[Record], rng: random.Random, now: datetime
) -> list[tuple[str, Record]]:
    """Write requests spread over the last three weeks (payments recorded, retries, voids)."""
    logs: list[tuple[str, Record]] = []
    manual = [p for p in payments if p["type"] == "manual"][-10:]
    for payment in manual:
        body = {"payment": {"invoice_id": payment["invoice_ids"][0], "amount_cents": payment["amount_cents"]}}
        logs.append(_api_log("post", "/api/v1/payments", 200, body, {"payment": payment}, payment["created_at"]))
    for invoice in rng.sample(invoices, min(len(invoices), 15)):
        at = iso(now - timedelta(days=rng.randint(1, 21), minutes=rng.randint(0, 600)))
        status = 200 if invoice["status"] == "finalized" and invoice["payment_status"] != "succeeded" else 405
        path = f"/api/v1/invoices/{invoice['lago_id']}/retry_payment"
        response: Record = (
            {} if status == 200 else {"status": 405, "error": "Method Not Allowed", "code": "invalid_status"}
        )
        logs.append(_api_log("post", path, status, {}, response, at))
    return logs


def _api_log(method: str, path: str, status: int, body: Record, response: Record, at: str) -> tuple[str, Record]:
    request_id = new_id()
    return request_id, {
        "lago_id": request_id,
        "request_id": request_id,
        "api_version": "v1",
        "client": "lago-python-client/1.20",
        "http_method": method,
        "http_status": status,
        "request_origin": "",
        "request_path": path,
        "request_body": body,
        "request_response": response,
        "logged_at": at,
        "created_at": at,
    }
