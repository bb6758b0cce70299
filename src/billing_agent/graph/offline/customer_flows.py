"""Customer flows: lookups, usage, payments, coupons, billing email, creation, subscription termination."""

from __future__ import annotations

import re

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.entities import CustomerRef, find_email
from billing_agent.graph.offline.flows import Flow, FlowStop, Step
from billing_agent.graph.offline.lookups import (
    MAX_CHOICES,
    list_customer_subscriptions,
    resolve_customer,
    subscription_label,
)
from billing_agent.graph.offline.replies import count_sentence, plural
from billing_agent.graph.offline.request import Request

_NAMED = re.compile(
    r"\b(?:named|called|name)\s+[`'\"]?([A-Za-z0-9][\w.&' -]{0,79}?)[`'\"]?(?=\s+(?:with|and)\b|[,;]|$)"
)
_EXTERNAL_ID = re.compile(r"\b(?:external[\s_]+id|external_id|id)\s+[`'\"]?([A-Za-z0-9][\w.:-]{0,99})", re.IGNORECASE)


def show_customer_flow(request: Request, ref: CustomerRef) -> Flow:
    """Shows one customer (by external id, or found by name)."""
    if ref.explicit_id:
        yield Step((PlannedCall.of("get_customer", external_customer_id=ref.value),), "Fetching the customer.")
        return f"Here is customer {ref.value}."
    customer = yield from resolve_customer(request, ref)
    return f"Here is customer {customer.label}."


def list_customers_flow(request: Request, search: str | None) -> Flow:
    """Lists customers, optionally matching a search term."""
    call = PlannedCall(("list_customers",), {"search_term": search} if search else {})
    results = yield Step((call,), "Listing customers.")
    return count_sentence(results[0], "customer", f"matching '{search}'" if search else "")


def usage_flow(request: Request, ref: CustomerRef) -> Flow:
    """Current usage of each active subscription of the customer (at most a few)."""
    customer = yield from resolve_customer(request, ref)
    subscriptions = yield from list_customer_subscriptions(request, customer)
    if not subscriptions:
        return f"{customer.label} has no active subscription, so there is no current usage."
    if len(subscriptions) > MAX_CHOICES:
        raise FlowStop(
            f"{customer.label} has {len(subscriptions)} active subscriptions; name one, e.g. by external id."
        )
    calls = tuple(
        PlannedCall.of(
            "get_customer_current_usage",
            external_customer_id=customer.external_id,
            external_subscription_id=sub["external_id"],
        )
        for sub in subscriptions
    )
    yield Step(calls, f"Fetching the current usage of {customer.label}.")
    return f"Current usage of {customer.label} for {plural(len(calls), 'subscription')}."


def payments_flow(request: Request, ref: CustomerRef | None) -> Flow:
    """Payment history, of one customer or of the organization."""
    if ref is None:
        results = yield Step((PlannedCall.of("list_payments"),), "Listing payments.")
        return count_sentence(results[0], "payment")
    customer = yield from resolve_customer(request, ref)
    call = PlannedCall(("list_customer_payments", "list_payments"), {"external_customer_id": customer.external_id})
    results = yield Step((call,), f"Listing the payments of {customer.label}.")
    return count_sentence(results[0], "payment", f"for {customer.label}")


def applied_coupons_flow(request: Request, ref: CustomerRef | None) -> Flow:
    """Coupons applied to a customer, or to everyone."""
    if ref is None:
        results = yield Step((PlannedCall.of("list_applied_coupons"),), "Listing applied coupons.")
        return count_sentence(results[0], "applied coupon")
    customer = yield from resolve_customer(request, ref)
    call = PlannedCall.of("list_applied_coupons", external_customer_id=customer.external_id)
    results = yield Step((call,), f"Listing coupons applied to {customer.label}.")
    return count_sentence(results[0], "applied coupon", f"for {customer.label}")


def apply_coupon_flow(request: Request, ref: CustomerRef, code: str) -> Flow:
    """Resolves the customer, then applies the coupon (a change: the graph asks for confirmation)."""
    customer = yield from resolve_customer(request, ref)
    call = PlannedCall.of("apply_coupon", external_customer_id=customer.external_id, coupon_code=code)
    yield Step((call,), f"Applying coupon {code} to {customer.label}.")
    return f"Applied coupon {code} to {customer.label}."


def update_email_flow(request: Request, ref: CustomerRef) -> Flow:
    """Sets a customer's billing email; asks for the address when the request has none."""
    email = find_email(request.text)
    if email is None:
        return (
            f"What should the new billing email of customer {ref.value} be? "
            f"Say e.g. 'Update the billing email for customer {ref.value} to billing@example.com'."
        )
    customer = yield from resolve_customer(request, ref)
    call = PlannedCall.of("update_customer", external_customer_id=customer.external_id, email=email)
    yield Step((call,), f"Updating the billing email of {customer.label}.")
    return f"Updated the billing email of {customer.label} to {email}."


def create_customer_flow(request: Request) -> Flow:
    """Creates a customer from an email and/or name; the external id is given or derived from the email."""
    email = find_email(request.text)
    named = _NAMED.search(request.text)
    name = named.group(1).strip() if named else None
    given_id = _EXTERNAL_ID.search(request.text)
    external_id = given_id.group(1) if given_id else _id_from_email(email)
    if external_id is None:
        return (
            "To create a customer I need at least an email or an external id, e.g. "
            "'Create a new customer with email gavin@hooli.com' or 'Create customer named Hooli with id hooli'."
        )
    call = PlannedCall.of("create_customer", external_id=external_id, email=email, name=name)
    yield Step((call,), f"Creating customer {external_id}.")
    details = ", ".join(value for value in (name, email) if value)
    return f"Created customer {external_id}" + (f" ({details})." if details else ".")


def _id_from_email(email: str | None) -> str | None:
    return re.sub(r"[^a-z0-9]+", "_", email.lower()).strip("_") if email else None


def terminate_subscription_flow(request: Request, ref: CustomerRef | None, subscription_id: str | None) -> Flow:
    """Terminates one subscription, named directly or as the customer's only active one."""
    if subscription_id is None:
        if ref is None:
            return (
                "Which subscription? Say e.g. 'Terminate subscription for Acme Corp' "
                "or 'Terminate subscription sub_123'."
            )
        customer = yield from resolve_customer(request, ref)
        subscriptions = yield from list_customer_subscriptions(request, customer)
        if not subscriptions:
            return f"{customer.label} has no active subscription to terminate."
        if len(subscriptions) > 1:
            choices = ", ".join(subscription_label(sub) for sub in subscriptions[:MAX_CHOICES])
            return (
                f"{customer.label} has {len(subscriptions)} active subscriptions: {choices}. "
                f"Which one? Say e.g. 'Terminate subscription {subscriptions[0].get('external_id')}'."
            )
        subscription_id = subscriptions[0]["external_id"]
    yield Step((PlannedCall.of("delete_subscription", external_id=subscription_id),), "Terminating the subscription.")
    return f"Terminated subscription {subscription_id}."


def remove_coupon_flow(request: Request, ref: CustomerRef, code: str) -> Flow:
    """Finds the coupon applied to the customer, then removes it (a change: confirmed by the graph)."""
    customer = yield from resolve_customer(request, ref)
    lookup = PlannedCall.of("list_applied_coupons", external_customer_id=customer.external_id, status="active")
    results = yield Step((lookup,), f"Finding coupon {code} on {customer.label}.")
    applied = [
        record
        for record in results[0].records
        if str(record.get("coupon_code", "")).casefold() == code.casefold() and isinstance(record.get("lago_id"), str)
    ]
    if not applied:
        return f"{customer.label} has no active coupon {code}; nothing to remove."
    call = PlannedCall.of(
        "remove_applied_coupon", external_customer_id=customer.external_id, applied_coupon_id=applied[0]["lago_id"]
    )
    yield Step((call,), f"Removing coupon {code} from {customer.label}.")
    return f"Removed coupon {code} from {customer.label}."


def delete_customer_flow(request: Request, ref: CustomerRef) -> Flow:
    """Resolves the customer, then deletes it (destructive: confirmed by the graph)."""
    customer = yield from resolve_customer(request, ref)
    yield Step((PlannedCall.of("delete_customer", external_id=customer.external_id),), "Deleting the customer.")
    return f"Deleted customer {customer.label}."
