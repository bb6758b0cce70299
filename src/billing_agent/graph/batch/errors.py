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


class NotCrashSafe(ResolveError):
    """A write the batch cannot run exactly-once across a crash (no probe, not harmless to repeat)."""

    def __init__(self, action: str) -> None:
        """The refusal of `action`, saying why and what to do instead."""
        super().__init__(
            f"`{action}` cannot run as a batch: if the run were cut off (a crash, kill -9), there is no way to "
            "tell which items Lago had already applied, so some would be done twice. Nothing was run. Do it one "
            "call at a time (each one is confirmed), or choose an action the batch can check in Lago."
        )


def noun_of(kind: str) -> str:
    """ "customers" → "customer", "applied_coupons" → "applied coupon"."""
    singular = kind[:-1] if kind.endswith("s") else kind
    return singular.replace("_", " ")


def too_many(action: str, count: int, kind: str, limit: int) -> TooManyItems:
    """The refusal for `count` targets of `kind` when a batch may touch at most `limit`."""
    return TooManyItems(TOO_MANY.format(action=action, count=count, noun=noun_of(kind), limit=limit))
