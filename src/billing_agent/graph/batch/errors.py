"""Why a batch's targets could not be resolved: errors whose message says what to change."""

from __future__ import annotations

TOO_MANY = (
    "That would run `{action}` on {count:,} {noun}s; one batch may touch at most {limit:,} "
    "(BILLING_AGENT_BATCH_MAX_ITEMS). Narrow the selection — add a filter such as a country, currency, status, "
    "plan or date range — or split it into smaller requests (e.g. one country at a time)."
)


class ResolveError(ValueError):
    """The targets could not be resolved; the message says what to change."""


class TooManyItems(ResolveError):
    """More targets than `BILLING_AGENT_BATCH_MAX_ITEMS`; the message says how to narrow them."""


def noun_of(kind: str) -> str:
    """ "customers" → "customer", "applied_coupons" → "applied coupon"."""
    singular = kind[:-1] if kind.endswith("s") else kind
    return singular.replace("_", " ")


def too_many(action: str, count: int, kind: str, limit: int) -> TooManyItems:
    """The refusal for `count` targets of `kind` when a batch may touch at most `limit`."""
    return TooManyItems(TOO_MANY.format(action=action, count=count, noun=noun_of(kind), limit=limit))
