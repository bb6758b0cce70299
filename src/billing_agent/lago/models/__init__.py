"""Pydantic models of Lago records: typed common fields, unknown fields kept."""

from billing_agent.lago.models.base import LagoModel
from billing_agent.lago.models.billable_metrics import BillableMetric
from billing_agent.lago.models.coupons import AppliedCoupon, Coupon
from billing_agent.lago.models.credit_notes import CreditNote
from billing_agent.lago.models.customers import Customer, CustomerUsage
from billing_agent.lago.models.events import Event
from billing_agent.lago.models.invoices import Invoice
from billing_agent.lago.models.logs import ActivityLog, ApiLog
from billing_agent.lago.models.payments import Payment
from billing_agent.lago.models.plans import Plan
from billing_agent.lago.models.subscriptions import Subscription
from billing_agent.lago.models.wallets import Wallet, WalletTransaction

__all__ = [
    "ActivityLog",
    "ApiLog",
    "AppliedCoupon",
    "BillableMetric",
    "Coupon",
    "CreditNote",
    "Customer",
    "CustomerUsage",
    "Event",
    "Invoice",
    "LagoModel",
    "Payment",
    "Plan",
    "Subscription",
    "Wallet",
    "WalletTransaction",
]
