"""Wallet tools (prepaid credits): list a customer's, get, create, top up (with an idempotency marker), list a
wallet's transactions, terminate."""

from __future__ import annotations

from typing import Annotated

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import as_record, error_result
from billing_agent.mcp_server.tools.params import CustomerExternalId, PageArg, PerPageArg

WalletId = Annotated[str, Field(min_length=1, description="The wallet's lago_id.")]
Credits = Annotated[str | None, Field(description="Credits as a decimal string, e.g. '20.0'.")]
IdempotencyKey = Annotated[
    str | None,
    Field(
        max_length=200,
        description="Optional marker stored in the transactions' metadata (key `idempotency_key`), so a "
        "repeat can be detected with list_wallet_transactions.",
    ),
]
IDEMPOTENCY_KEY = "idempotency_key"


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the wallet tools."""
    results = deps.results

    @lago_tool(
        server,
        "list_wallets",
        "List a customer's prepaid-credit wallets and balances. Example: list_wallets(external_customer_id='acme').",
    )
    async def list_wallets(
        external_customer_id: CustomerExternalId, page: PageArg = None, per_page: PerPageArg = None
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_wallets(external_customer_id, page=page, per_page=size)
        return results.records("wallet", "wallets", found.items, tool="list_wallets", meta=found.meta, per_page=size)

    @lago_tool(server, "get_wallet", "Get one wallet and its balance by lago_id. Example: get_wallet(lago_id='1a2b…').")
    async def get_wallet(lago_id: WalletId) -> CallToolResult:
        async with deps.lago() as lago:
            wallet = await lago.get_wallet(lago_id)
        return results.record("wallet", wallet)

    @lago_tool(
        server,
        "create_wallet",
        "Create a prepaid-credit wallet for a customer; paid_credits are invoiced, granted_credits are free. "
        "rate_amount is the price of one credit. Example: create_wallet(external_customer_id='acme', "
        "currency='USD', rate_amount='1.0', granted_credits='50').",
    )
    async def create_wallet(
        external_customer_id: CustomerExternalId,
        currency: Annotated[str, Field(min_length=3, max_length=3)],
        rate_amount: Annotated[str, Field(description="Currency units per credit, e.g. '1.0'.")] = "1.0",
        name: str | None = None,
        paid_credits: Credits = None,
        granted_credits: Credits = None,
        expiration_at: Annotated[str | None, Field(description="ISO 8601 date-time.")] = None,
    ) -> CallToolResult:
        body = drop_none(
            external_customer_id=external_customer_id,
            currency=currency,
            rate_amount=rate_amount,
            name=name,
            paid_credits=paid_credits,
            granted_credits=granted_credits,
            expiration_at=expiration_at,
        )
        async with deps.lago() as lago:
            wallet = await lago.create_wallet(body)
        return results.record("wallet", wallet, note="Wallet created.")

    @lago_tool(
        server,
        "top_up_wallet",
        "Add credits to a wallet: paid_credits are invoiced to the customer, granted_credits are free. Example: "
        "top_up_wallet(wallet_id='1a2b…', paid_credits='100').",
    )
    async def top_up_wallet(
        wallet_id: WalletId,
        paid_credits: Credits = None,
        granted_credits: Credits = None,
        idempotency_key: IdempotencyKey = None,
    ) -> CallToolResult:
        if paid_credits is None and granted_credits is None:
            return error_result("Nothing to add: pass paid_credits and/or granted_credits (e.g. paid_credits='100').")
        async with deps.lago() as lago:
            transactions = await lago.top_up_wallet(
                wallet_id,
                paid_credits=paid_credits,
                granted_credits=granted_credits,
                metadata={IDEMPOTENCY_KEY: idempotency_key} if idempotency_key else None,
            )
            wallet = await lago.get_wallet(wallet_id)
        customer_id = wallet.lago_customer_id
        records = [{**as_record(item), "lago_customer_id": customer_id} for item in transactions]
        return results.records(
            "wallet_transaction",
            "wallet_transactions",
            records,
            tool="top_up_wallet",
            extra={"wallet": results.linked("wallet", wallet)},
        )

    @lago_tool(
        server,
        "list_wallet_transactions",
        "List a wallet's transactions (top-ups, grants, voids), newest first, with their metadata. Example: "
        "list_wallet_transactions(wallet_id='1a2b…').",
    )
    async def list_wallet_transactions(
        wallet_id: WalletId, page: PageArg = None, per_page: PerPageArg = None
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_wallet_transactions(wallet_id, page=page, per_page=size)
        return results.records(
            "wallet_transaction",
            "wallet_transactions",
            found.items,
            tool="list_wallet_transactions",
            meta=found.meta,
            per_page=size,
        )

    @lago_tool(
        server,
        "terminate_wallet",
        "Terminate a wallet; its remaining credits are lost. Example: terminate_wallet(lago_id='1a2b…').",
    )
    async def terminate_wallet(lago_id: WalletId) -> CallToolResult:
        async with deps.lago() as lago:
            wallet = await lago.terminate_wallet(lago_id)
        return results.record("wallet", wallet, note="Wallet terminated.")
