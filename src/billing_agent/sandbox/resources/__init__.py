"""Every `/api/v1` route of the sandbox, one module per Lago resource."""

from starlette.routing import BaseRoute

from billing_agent.sandbox.resources import (
    billable_metrics,
    coupons,
    credit_notes,
    customers,
    events,
    invoices,
    logs,
    payments,
    plans,
    subscriptions,
    wallets,
)

ROUTES: list[BaseRoute] = [
    route
    for module in (
        customers,
        plans,
        subscriptions,
        billable_metrics,
        coupons,
        events,
        wallets,
        invoices,
        payments,
        credit_notes,
        logs,
    )
    for route in module.ROUTES
]
