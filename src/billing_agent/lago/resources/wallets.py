"""Wallets (prepaid credits) and top-ups."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from billing_agent.lago.models import Wallet, WalletTransaction
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields, scalar
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "1a901a90-1a90-1a90-1a90-1a901a901a90"
Credits = str | int | float | Decimal


class WalletsMixin(ResourceClient):
    """Wallet operations (wallets are addressed by `lago_id`)."""

    async def list_wallets(
        self, external_customer_id: str, *, page: int | None = None, per_page: int | None = None
    ) -> Page[Wallet]:
        """One page of a customer's wallets."""
        seg(external_customer_id, "external_customer_id", "acme_corp")
        filters = {"external_customer_id": external_customer_id}
        return await self._page(Wallet, "wallets", "/wallets", filters, page, per_page)

    async def get_wallet(self, lago_id: str) -> Wallet:
        """The wallet with this `lago_id`."""
        return await self._one(Wallet, "wallet", "GET", f"/wallets/{seg(lago_id, 'lago_id', _EXAMPLE)}")

    async def create_wallet(self, wallet: Mapping[str, Any]) -> Wallet:
        """Create a wallet (`external_customer_id`, `currency`, `rate_amount`, optional initial credits)."""
        require_fields(wallet, "wallet", "external_customer_id")
        return await self._one(Wallet, "wallet", "POST", "/wallets", json={"wallet": as_body(wallet, "wallet")})

    async def update_wallet(self, lago_id: str, changes: Mapping[str, Any]) -> Wallet:
        """Change fields of a wallet."""
        path = f"/wallets/{seg(lago_id, 'lago_id', _EXAMPLE)}"
        return await self._one(Wallet, "wallet", "PUT", path, json={"wallet": as_body(changes, "changes")})

    async def terminate_wallet(self, lago_id: str) -> Wallet:
        """Terminate a wallet; returns the record."""
        return await self._one(Wallet, "wallet", "DELETE", f"/wallets/{seg(lago_id, 'lago_id', _EXAMPLE)}")

    async def list_wallet_transactions(
        self, wallet_id: str, *, page: int | None = None, per_page: int | None = None
    ) -> Page[WalletTransaction]:
        """One page of a wallet's transactions, newest first."""
        path = f"/wallets/{seg(wallet_id, 'wallet_id', _EXAMPLE)}/wallet_transactions"
        return await self._page(WalletTransaction, "wallet_transactions", path, {}, page, per_page)

    async def top_up_wallet(
        self,
        wallet_id: str,
        *,
        paid_credits: Credits | None = None,
        granted_credits: Credits | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> list[WalletTransaction]:
        """Add paid and/or granted credits to a wallet; returns the transactions Lago created (never retried).

        `metadata` is stored on every transaction created (Lago's key-value list), e.g. an idempotency marker
        that `list_wallet_transactions` shows later.
        """
        seg(wallet_id, "wallet_id", _EXAMPLE)
        if paid_credits is None and granted_credits is None:
            raise ValueError("top_up_wallet needs paid_credits and/or granted_credits (e.g. paid_credits='20.0')")
        body: dict[str, Any] = {"wallet_id": wallet_id}
        if paid_credits is not None:
            body["paid_credits"] = scalar(paid_credits)
        if granted_credits is not None:
            body["granted_credits"] = scalar(granted_credits)
        if metadata:
            body["metadata"] = [{"key": key, "value": value} for key, value in metadata.items()]
        json = {"wallet_transaction": body}
        return await self._many(WalletTransaction, "wallet_transactions", "POST", "/wallet_transactions", json=json)
