"""One mixin of `LagoClient` methods per Lago resource family."""

from billing_agent.lago.resources.base import ResourceClient
from billing_agent.lago.resources.billable_metrics import BillableMetricsMixin
from billing_agent.lago.resources.coupons import CouponsMixin
from billing_agent.lago.resources.credit_notes import CreditNotesMixin
from billing_agent.lago.resources.customers import CustomersMixin
from billing_agent.lago.resources.events import EventsMixin
from billing_agent.lago.resources.invoices import InvoicesMixin
from billing_agent.lago.resources.logs import LogsMixin
from billing_agent.lago.resources.payments import PaymentsMixin
from billing_agent.lago.resources.plans import PlansMixin
from billing_agent.lago.resources.subscriptions import SubscriptionsMixin
from billing_agent.lago.resources.wallets import WalletsMixin

__all__ = [
    "BillableMetricsMixin",
    "CouponsMixin",
    "CreditNotesMixin",
    "CustomersMixin",
    "EventsMixin",
    "InvoicesMixin",
    "LogsMixin",
    "PaymentsMixin",
    "PlansMixin",
    "ResourceClient",
    "SubscriptionsMixin",
    "WalletsMixin",
]
