"""`LagoClient`: every Lago API operation the assistant uses, as typed async methods."""

from __future__ import annotations

from billing_agent.lago.resources import (
    BillableMetricsMixin,
    CouponsMixin,
    CreditNotesMixin,
    CustomersMixin,
    EventsMixin,
    InvoicesMixin,
    LogsMixin,
    PaymentsMixin,
    PlansMixin,
    SubscriptionsMixin,
    WalletsMixin,
)
from billing_agent.lago.session import LagoSession


class LagoClient(
    CustomersMixin,
    PlansMixin,
    SubscriptionsMixin,
    BillableMetricsMixin,
    InvoicesMixin,
    CouponsMixin,
    EventsMixin,
    PaymentsMixin,
    LogsMixin,
    WalletsMixin,
    CreditNotesMixin,
    LagoSession,
):
    """Async client of the Lago API v1 for one organization (its API key).

    Use it as an async context manager so the pooled connections are closed:

        async with LagoClient("http://127.0.0.1:8088", "sandbox-demo-key") as lago:
            customer = await lago.get_customer("acme_corp")
            async for invoice in lago.iterate(lago.list_invoices, payment_overdue=True):
                ...
    """
