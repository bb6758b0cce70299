"""Intent rules: each maps a request to the flow that serves it; the first rule that matches wins."""

from __future__ import annotations

import re
from collections.abc import Callable

from billing_agent.graph.offline import customer_flows, invoice_flows, listing_flows
from billing_agent.graph.offline.bulk_flows import BATCH_TOOL, batch_followup, bulk_flow
from billing_agent.graph.offline.entities import (
    find_coupon_code,
    find_customer,
    find_invoice_ref,
    find_subscription_id,
)
from billing_agent.graph.offline.flows import Flow
from billing_agent.graph.offline.followups import followup_flow, followup_position, page_flow, page_request
from billing_agent.graph.offline.replies import BULK_NOT_AVAILABLE, bulk_help, help_text
from billing_agent.graph.offline.request import Request

Rule = Callable[[Request], Flow | None]

_CHANGE = (
    r"(?:retry|retries|apply|void|terminate|cancel|delete|remove|update|change|set|finali[sz]e|refresh|generate|"
    r"create|send|charge|refund|issue|preview|download|top up|add)"
)
_BULK = re.compile(
    rf"\b{_CHANGE}\b.*\b(?:all|every|each|these|those|them)\b|\b(?:all|every|each|these|those)\b.*\b{_CHANGE}\b"
)
_CHANGE_VERB = re.compile(
    r"^(?:please\s+)?(?:can you\s+|could you\s+)?(?:retry|apply|void|terminate|cancel|delete|remove|update|change|"
    r"set|finali[sz]e|refresh|generate|create|send|charge|refund|issue|add|edit|modify|top up|credit|pay|mark)\b"
)
_CUSTOMER_WORD = re.compile(r"\bcustomers?\b")
_LIST_WORD = re.compile(
    r"\b(?:list|show|display|find|search|get|which|what|who|view|see|give|how many|count|number of)\b"
)


def answer_flow(request: Request) -> Flow:
    """The flow for the request, or a flow that answers with the help text."""
    for rule in RULES:
        flow = rule(request)
        if flow is not None:
            return flow
    return _reply(help_text(request.text))


def _reply(text: str) -> Flow:
    """A flow that makes no call and answers `text`."""
    return text
    yield  # pragma: no cover - makes this a generator


def _bulk(request: Request) -> Flow | None:
    if not _BULK.search(request.lower):
        return None
    if not request.catalog.bound or not request.catalog.has(BATCH_TOOL):
        return _reply(BULK_NOT_AVAILABLE)
    return bulk_flow(request) or _reply(bulk_help(request.text))


def _batch_followup(request: Request) -> Flow | None:
    if not request.catalog.has(BATCH_TOOL):
        return None
    return batch_followup(request)


def _followup(request: Request) -> Flow | None:
    position = followup_position(request.lower)
    return followup_flow(request, position) if position is not None else None


def _paging(request: Request) -> Flow | None:
    wanted = page_request(request.lower)
    return page_flow(request, wanted) if wanted is not None else None


def _usage(request: Request) -> Flow | None:
    if "usage" not in request.lower:
        return None
    ref = find_customer(request.text)
    if ref is None:
        return _reply("Whose usage? Say e.g. 'What is the current usage for customer Acme Corp?'.")
    return customer_flows.usage_flow(request, ref)


def _coupon(request: Request) -> Flow | None:
    if "coupon" not in request.lower:
        return None
    ref = find_customer(request.text)
    if re.search(r"\b(?:apply|give|add)\b", request.lower):
        code = find_coupon_code(request.text)
        if code is None or ref is None:
            return _reply("Which coupon and customer? Say e.g. 'Apply coupon SUMMER20 to customer Acme Corp'.")
        return customer_flows.apply_coupon_flow(request, ref, code)
    if re.search(r"\b(?:remove|detach|unapply|revoke)\b", request.lower):
        code = find_coupon_code(request.text)
        if code is None or ref is None:
            return _reply("Which coupon and customer? Say e.g. 'Remove coupon SUMMER20 from customer Acme Corp'.")
        return customer_flows.remove_coupon_flow(request, ref, code)
    if "applied" in request.lower:
        target = re.search(r"\bapplied to\s+(.+)$", request.text, re.IGNORECASE)
        if ref is None and target is not None:
            ref = find_customer(f"customer {target.group(1)}")
        return customer_flows.applied_coupons_flow(request, ref)
    return listing_flows.simple_list_flow(request, "list_coupons")


def _billing_email(request: Request) -> Flow | None:
    if "email" not in request.lower or not re.search(r"\b(?:update|change|set|replace|modify)\b", request.lower):
        return None
    ref = find_customer(request.text)
    if ref is None:
        return _reply("Whose email? Say e.g. 'Update the billing email for customer acme_corp to billing@acme.com'.")
    return customer_flows.update_email_flow(request, ref)


def _delete_customer(request: Request) -> Flow | None:
    if not re.search(r"\b(?:delete|remove)\b", request.lower) or not _CUSTOMER_WORD.search(request.lower):
        return None
    ref = find_customer(request.text)
    if ref is None:
        return _reply("Which customer? Say e.g. 'Delete customer ID acme_corp'.")
    return customer_flows.delete_customer_flow(request, ref)


def _unsupported_change(request: Request) -> Flow | None:
    """A change no rule above understood is refused plainly, never turned into a guess or a listing."""
    if not _CHANGE_VERB.search(request.lower):
        return None
    return _reply(help_text(request.text, change=True))


def _create_customer(request: Request) -> Flow | None:
    if re.search(r"\b(?:create|add|new|register|onboard)\b", request.lower) and _CUSTOMER_WORD.search(request.lower):
        return customer_flows.create_customer_flow(request)
    return None


def _terminate(request: Request) -> Flow | None:
    if "subscription" not in request.lower or not re.search(
        r"\b(?:terminate|cancel|end|stop|delete|remove)\b", request.lower
    ):
        return None
    return customer_flows.terminate_subscription_flow(
        request, find_customer(request.text), find_subscription_id(request.text)
    )


def _invoice_by_ref(request: Request) -> Flow | None:
    ref = find_invoice_ref(request.text)
    if ref is None:
        return None
    action = invoice_flows.invoice_action_tool(request.lower)
    if action is not None:
        return invoice_flows.invoice_action_flow(request, ref, *action)
    return invoice_flows.show_invoice_flow(request, ref)


def _preview(request: Request) -> Flow | None:
    if not re.search(r"\bpreviews?\b|\bupcoming invoice\b|\bnext invoice\b", request.lower):
        return None
    ref = find_customer(request.text)
    if ref is None:
        return _reply("Whose invoice? Say e.g. 'Preview the next invoice for customer Acme Corp'.")
    return invoice_flows.preview_flow(request, ref)


def _payments(request: Request) -> Flow | None:
    if not re.search(r"\bpayments?\b", request.lower) or "invoice" in request.lower:
        return None
    return customer_flows.payments_flow(request, find_customer(request.text))


def _logs(request: Request) -> Flow | None:
    if not re.search(r"\blogs?\b|\baudit\b|\bactivit(?:y|ies)\b", request.lower):
        return None
    return listing_flows.logs_flow(request, api=bool(re.search(r"\bapi\b|\brequests?\b", request.lower)))


def _subscriptions(request: Request) -> Flow | None:
    if "subscription" not in request.lower:
        return None
    return listing_flows.subscriptions_flow(request, find_customer(request.text))


def _invoices(request: Request) -> Flow | None:
    return invoice_flows.list_invoices_flow(request) if re.search(r"\binvoices?\b", request.lower) else None


def _wallets(request: Request) -> Flow | None:
    if not re.search(r"\bwallets?\b|\bcredits? balance\b", request.lower):
        return None
    return listing_flows.wallets_flow(request, find_customer(request.text))


def _simple_lists(request: Request) -> Flow | None:
    keywords = (
        (r"\bplans?\b|\bpricing\b", "list_plans"),
        (r"\bbillable metrics?\b|\bmetrics?\b", "list_billable_metrics"),
        (r"\bcredit notes?\b|\brefunds?\b", "list_credit_notes"),
        (r"\bevents?\b", "list_events"),
    )
    for pattern, tool in keywords:
        if re.search(pattern, request.lower):
            return listing_flows.simple_list_flow(request, tool)
    return None


def _customers(request: Request) -> Flow | None:
    if not _CUSTOMER_WORD.search(request.lower):
        return None
    ref = find_customer(request.text)
    if ref is not None and (ref.explicit_id or not re.search(r"\bcustomers\b", request.lower)):
        return customer_flows.show_customer_flow(request, ref)
    if ref is None and not _LIST_WORD.search(request.lower):
        return None
    search = re.search(r"\b(?:named|matching|called|like)\s+[`'\"]?([^`'\"?]{1,80})", request.text)
    return customer_flows.list_customers_flow(request, search.group(1).strip() if search else None)


RULES: tuple[Rule, ...] = (
    _batch_followup,
    _bulk,
    _followup,
    _paging,
    _usage,
    _coupon,
    _billing_email,
    _terminate,
    _invoice_by_ref,
    _preview,
    _create_customer,
    _delete_customer,
    _unsupported_change,
    _payments,
    _logs,
    _subscriptions,
    _invoices,
    _wallets,
    _simple_lists,
    _customers,
)
