"""Prepaid-credit wallets and their transactions."""

from __future__ import annotations

from datetime import datetime

from billing_agent.lago.models.base import LagoModel


class Wallet(LagoModel):
    """A customer's prepaid-credit wallet, addressed by `lago_id`."""

    lago_id: str
    lago_customer_id: str | None = None
    external_customer_id: str | None = None
    name: str | None = None
    code: str | None = None
    status: str | None = None
    currency: str | None = None
    rate_amount: str | None = None
    credits_balance: str | None = None
    balance_cents: int | None = None
    consumed_credits: str | None = None
    expiration_at: datetime | None = None
    terminated_at: datetime | None = None
    created_at: datetime | None = None


class WalletTransaction(LagoModel):
    """A credit or debit of a wallet (e.g. a top-up)."""

    lago_id: str
    lago_wallet_id: str | None = None
    status: str | None = None
    transaction_status: str | None = None
    transaction_type: str | None = None
    amount: str | None = None
    credit_amount: str | None = None
    settled_at: datetime | None = None
    created_at: datetime | None = None
    metadata: list[dict[str, str | None]] | None = None
    """Key-value pairs stored with the transaction (e.g. the agent's idempotency marker)."""
