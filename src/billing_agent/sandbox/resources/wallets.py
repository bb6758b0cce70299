"""Sandbox routes: prepaid-credit wallets (create, list, get, update, terminate) and their transactions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import require, require_by_id
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, decimal_text, parse_datetime, single_error, to_decimal

CREDIT_FIELDS = (("paid_credits", "purchased"), ("granted_credits", "granted"), ("voided_credits", "voided"))


def new_wallet(
    customer: Record, currency: str, rate_amount: Decimal, created_at: str, name: str | None = None
) -> Record:
    """An empty active wallet of `customer` with every field of Lago's wallet object."""
    return {
        "lago_id": new_id(),
        "lago_customer_id": customer["lago_id"],
        "external_customer_id": customer["external_id"],
        "billing_entity_code": customer.get("billing_entity_code") or "default",
        "status": "active",
        "currency": currency,
        "name": name,
        "code": None,
        "priority": 50,
        "rate_amount": decimal_text(rate_amount),
        "credits_balance": "0.0",
        "balance": "0.0",
        "balance_cents": 0,
        "consumed_credits": "0.0",
        "created_at": created_at,
        "expiration_at": None,
        "last_balance_sync_at": None,
        "last_consumed_credit_at": None,
        "terminated_at": None,
        "invoice_requires_successful_payment": False,
        "recurring_transaction_rules": [],
        "ongoing_balance_cents": 0,
        "ongoing_usage_balance_cents": 0,
        "credits_ongoing_balance": "0.0",
        "credits_ongoing_usage_balance": "0.0",
        "paid_top_up_min_amount_cents": None,
        "paid_top_up_max_amount_cents": None,
        "applied_invoice_custom_sections": [],
        "purchase_order_number": None,
        "metadata": None,
    }


def add_transaction(
    wallet: Record, credits: Decimal, transaction_status: str, created_at: str, metadata: list[Record] | None = None
) -> Record:
    """A manual transaction of `credits`; settled ones move the wallet's balance (mutates `wallet`)."""
    rate = Decimal(wallet["rate_amount"])
    settled = transaction_status != "purchased" or not wallet["invoice_requires_successful_payment"]
    inbound = transaction_status != "voided"
    if settled:
        balance = Decimal(wallet["credits_balance"]) + (credits if inbound else -credits)
        balance_cents = int(balance * rate * 100)
        wallet.update(
            credits_balance=decimal_text(balance),
            balance=decimal_text(balance * rate),
            credits_ongoing_balance=decimal_text(balance),
            balance_cents=balance_cents,
            ongoing_balance_cents=balance_cents,
            last_balance_sync_at=created_at,
        )
    return {
        "lago_id": new_id(),
        "lago_wallet_id": wallet["lago_id"],
        "lago_invoice_id": None,
        "lago_credit_note_id": None,
        "lago_voided_invoice_id": None,
        "status": "settled" if settled else "pending",
        "source": "manual",
        "transaction_status": transaction_status,
        "transaction_type": "inbound" if inbound else "outbound",
        "amount": decimal_text(credits * rate),
        "credit_amount": decimal_text(credits),
        "invoice_requires_successful_payment": wallet["invoice_requires_successful_payment"],
        "metadata": [{"key": str(m.get("key")), "value": m.get("value")} for m in metadata or []],
        "remaining_amount_cents": None,
        "remaining_credit_amount": None,
        "priority": wallet["priority"],
        "settled_at": created_at if settled else None,
        "failed_at": None,
        "created_at": created_at,
        "name": None,
        "payment_method": {"payment_method_type": "manual"},
        "applied_invoice_custom_sections": [],
        "purchase_order_number": None,
    }


def _check_credits(data: dict[str, Any], check: Checker) -> None:
    for field, _ in CREDIT_FIELDS:
        if data.get(field) is not None:
            value = to_decimal(data[field])
            if value is None or value < 0:
                check.add(field, f"invalid_{field}")


def _check_metadata(data: dict[str, Any], check: Checker) -> None:
    metadata = data.get("metadata")
    if metadata is None:
        return
    if not isinstance(metadata, list) or not all(
        isinstance(m, dict) and isinstance(m.get("key"), str) for m in metadata
    ):
        check.add("metadata", "invalid_metadata")


def _top_up(store: SandboxStore, org_id: str, wallet: Record, data: dict[str, Any], moment: str) -> list[Record]:
    created: list[Record] = []
    for field, transaction_status in CREDIT_FIELDS:
        credits = to_decimal(data.get(field)) if data.get(field) is not None else None
        if not credits:
            continue
        if transaction_status == "voided" and credits > Decimal(wallet["credits_balance"]):
            raise single_error(field, "insufficient_credits")
        transaction = add_transaction(wallet, credits, transaction_status, moment, data.get("metadata"))
        store.put(org_id, kinds.WALLET_TRANSACTION, transaction["lago_id"], transaction)
        record_activity(
            store,
            org_id,
            "wallet_transaction.created",
            "WalletTransaction",
            transaction,
            external_customer_id=wallet["external_customer_id"],
        )
        created.append(transaction)
    store.put(org_id, kinds.WALLET, wallet["lago_id"], wallet)
    return created


def _create(ctx: Ctx, data: dict[str, Any], external_customer_id: str) -> Record:
    check = Checker(data)
    check.mandatory("rate_amount")
    check.decimal("rate_amount", positive=True)
    check.currency("currency")
    check.datetime("expiration_at")
    check.boolean("invoice_requires_successful_payment")
    check.integer("priority", minimum=1)
    _check_credits(data, check)
    check.done()
    store, org_id, moment = ctx.store, ctx.org_id, iso(utcnow())
    customer = require(store, org_id, kinds.CUSTOMER, external_customer_id)
    currency = data.get("currency") or customer.get("currency")
    if not currency:
        raise single_error("currency", "value_is_mandatory")
    if customer.get("currency") and customer["currency"] != currency:
        raise single_error("currency", "currencies_does_not_match")
    if not customer.get("currency"):
        customer["currency"] = currency
        store.put(org_id, kinds.CUSTOMER, external_customer_id, customer)
    wallet = new_wallet(customer, currency, to_decimal(data["rate_amount"]) or Decimal(1), moment, data.get("name"))
    _apply(wallet, data)
    store.put(org_id, kinds.WALLET, wallet["lago_id"], wallet)
    record_activity(store, org_id, "wallet.created", "Wallet", wallet, external_customer_id=external_customer_id)
    _top_up(store, org_id, wallet, {k: data.get(k) for k in ("paid_credits", "granted_credits")}, moment)
    return wallet


def _apply(wallet: Record, data: dict[str, Any]) -> None:
    for field in ("name", "code"):
        if field in data:
            wallet[field] = data[field]
    for field in ("invoice_requires_successful_payment", "priority"):
        if data.get(field) is not None:
            wallet[field] = data[field]
    if "expiration_at" in data:
        expires = parse_datetime(data["expiration_at"])
        wallet["expiration_at"] = iso(expires) if expires else None


async def create_wallet(ctx: Ctx) -> Response:
    """POST /wallets: a wallet for `external_customer_id`, topped up with `paid_credits` / `granted_credits`."""
    data = await ctx.envelope("wallet")
    check = Checker(data)
    check.mandatory("external_customer_id")
    check.done()
    with ctx.store.transaction():
        wallet = _create(ctx, data, str(data.get("external_customer_id") or ""))
    return ok({"wallet": wallet})


async def create_customer_wallet(ctx: Ctx) -> Response:
    """POST /customers/{external_customer_id}/wallets."""
    data = await ctx.envelope("wallet")
    with ctx.store.transaction():
        wallet = _create(ctx, data, ctx.path("external_customer_id"))
    return ok({"wallet": wallet})


def _list(ctx: Ctx, external_customer_id: str) -> Response:
    customer = require(ctx.store, ctx.org_id, kinds.CUSTOMER, external_customer_id)
    currency = ctx.query("currency")
    wallets = [
        w
        for w in reversed(ctx.store.snapshot(ctx.org_id, kinds.WALLET))
        if w["lago_customer_id"] == customer["lago_id"] and (currency is None or w["currency"] == currency)
    ]
    return list_response(ctx, "wallets", wallets)


async def list_wallets(ctx: Ctx) -> Response:
    """GET /wallets?external_customer_id=… (required: 404 `customer_not_found` otherwise)."""
    return _list(ctx, ctx.query("external_customer_id") or "")


async def list_customer_wallets(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/wallets."""
    return _list(ctx, ctx.path("external_customer_id"))


async def get_wallet(ctx: Ctx) -> Response:
    """GET /wallets/{lago_id}."""
    return ok({"wallet": require(ctx.store, ctx.org_id, kinds.WALLET, ctx.path("lago_id"))})


async def update_wallet(ctx: Ctx) -> Response:
    """PUT /wallets/{lago_id}: name, code, priority, expiration, payment requirement."""
    data = await ctx.envelope("wallet")
    check = Checker(data)
    check.datetime("expiration_at")
    check.integer("priority", minimum=1)
    check.boolean("invoice_requires_successful_payment")
    check.done()
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        wallet = require(store, org_id, kinds.WALLET, ctx.path("lago_id"))
        before = dict(wallet)
        _apply(wallet, data)
        store.put(org_id, kinds.WALLET, wallet["lago_id"], wallet)
        changes = {k: [before.get(k), v] for k, v in wallet.items() if before.get(k) != v}
        record_activity(
            store,
            org_id,
            "wallet.updated",
            "Wallet",
            wallet,
            changes=changes,
            external_customer_id=wallet["external_customer_id"],
        )
    return ok({"wallet": wallet})


def _terminate(store: SandboxStore, org_id: str, wallet: Record) -> Record:
    if wallet["status"] != "terminated":
        wallet.update(status="terminated", terminated_at=iso(utcnow()))
        store.put(org_id, kinds.WALLET, wallet["lago_id"], wallet)
        record_activity(
            store, org_id, "wallet.terminated", "Wallet", wallet, external_customer_id=wallet["external_customer_id"]
        )
    return wallet


async def terminate_wallet(ctx: Ctx) -> Response:
    """DELETE /wallets/{lago_id}: terminates it."""
    with ctx.store.transaction():
        wallet = _terminate(ctx.store, ctx.org_id, require(ctx.store, ctx.org_id, kinds.WALLET, ctx.path("lago_id")))
    return ok({"wallet": wallet})


def terminate_customer_wallets(store: SandboxStore, org_id: str, external_customer_id: str) -> None:
    """Terminate every active wallet of a customer (the customer is being deleted)."""
    for shared in list(store.snapshot(org_id, kinds.WALLET)):
        if shared["external_customer_id"] == external_customer_id and shared["status"] == "active":
            _terminate(store, org_id, dict(shared))


async def create_wallet_transactions(ctx: Ctx) -> Response:
    """POST /wallet_transactions: paid, granted and voided credits → `{"wallet_transactions": [...]}`."""
    data = await ctx.envelope("wallet_transaction")
    check = Checker(data)
    check.mandatory("wallet_id")
    _check_credits(data, check)
    _check_metadata(data, check)
    check.done()
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        wallet = require(store, org_id, kinds.WALLET, str(data["wallet_id"]))
        if wallet["status"] != "active":
            raise single_error("wallet_id", "wallet_is_terminated")
        transactions = _top_up(store, org_id, wallet, data, iso(utcnow()))
    return ok({"wallet_transactions": transactions})


async def list_wallet_transactions(ctx: Ctx) -> Response:
    """GET /wallets/{lago_id}/wallet_transactions: filters `status`, `transaction_status`, `transaction_type`."""
    wallet = require(ctx.store, ctx.org_id, kinds.WALLET, ctx.path("lago_id"))
    wanted = {name: ctx.query(name) for name in ("status", "transaction_status", "transaction_type")}
    selected = [
        t
        for t in reversed(ctx.store.snapshot(ctx.org_id, kinds.WALLET_TRANSACTION))
        if t["lago_wallet_id"] == wallet["lago_id"] and all(v is None or t[k] == v for k, v in wanted.items())
    ]
    return list_response(ctx, "wallet_transactions", selected)


async def get_wallet_transaction(ctx: Ctx) -> Response:
    """GET /wallet_transactions/{lago_id}, wrapped in `wallet_transaction` as Lago renders it (spec: bare)."""
    transaction = require_by_id(ctx.store, ctx.org_id, kinds.WALLET_TRANSACTION, ctx.path("lago_id"))
    return ok({"wallet_transaction": transaction})


ROUTES: list[BaseRoute] = [
    api_route("/wallets", "POST", create_wallet),
    api_route("/wallets", "GET", list_wallets),
    api_route("/wallets/{lago_id}", "GET", get_wallet),
    api_route("/wallets/{lago_id}", "PUT", update_wallet),
    api_route("/wallets/{lago_id}", "DELETE", terminate_wallet),
    api_route("/wallets/{lago_id}/wallet_transactions", "GET", list_wallet_transactions),
    api_route("/wallet_transactions", "POST", create_wallet_transactions),
    api_route("/wallet_transactions/{lago_id}", "GET", get_wallet_transaction),
    api_route("/customers/{external_customer_id}/wallets", "POST", create_customer_wallet),
    api_route("/customers/{external_customer_id}/wallets", "GET", list_customer_wallets),
]
