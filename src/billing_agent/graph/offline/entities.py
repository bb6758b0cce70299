"""Entities named in a request: customers, invoices, coupons, subscriptions, emails, amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID_RE = re.compile(rf"^{UUID}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_TOKEN = r"[`'\"]?([A-Za-z0-9][A-Za-z0-9_.:-]{0,99})[`'\"]?"
_COUPON = re.compile(rf"\bcoupon(?:\s+code)?\s+{_TOKEN}", re.IGNORECASE)
_INVOICE = re.compile(rf"\binvoice(?:\s+(?:number|no\.?|id|#))?\s+#?{_TOKEN}", re.IGNORECASE)
_SUBSCRIPTION = re.compile(rf"\bsubscription(?:\s+id)?\s+{_TOKEN}", re.IGNORECASE)
_QUOTED = r"[`'\"“”‘’]([^`'\"“”‘’\n]{1,100})[`'\"“”‘’]"
_CUSTOMER_ID = re.compile(
    rf"\b(?:customer[\s_]+(?:external[\s_]+)?id|external[\s_]+(?:customer[\s_]+)?id)\s*[:=]?\s*{_TOKEN}", re.IGNORECASE
)
_CUSTOMER_QUOTED = re.compile(rf"\b(?:customer|for|of|to)\s+{_QUOTED}", re.IGNORECASE)
_CUSTOMER_NAME = re.compile(r"\b(?:customer|for|of)\s+([A-Za-z0-9][\w.&' -]{0,99})", re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"\b((?:[A-Z0-9][\w.&-]*\s){0,4}[A-Z0-9][\w.&-]*)['’]s\s+(?:invoices?|subscriptions?|payments?|usage|wallets?|"
    r"coupons?|e-?mail|billing|plan|details|account)\b"
)
_LEADING_VERB = re.compile(r"^(?:show|list|get|display|give|find|fetch|view|what|tell|see)\s+", re.IGNORECASE)
_NAME_STOP = re.compile(
    r"\s+(?:to|with|from|in|since|over|under|above|below|between|last|this|created|issued|during|and|on|"
    r"who|that|please)\b.*$|[?!,;:].*$|\.\s.*$|\.$",
    re.IGNORECASE,
)
_NOT_A_NAME = {"customer", "customers", "me", "all", "the", "a", "an", "it", "them", "these", "this", "that", "us"}
_NOT_A_NAME_START = re.compile(
    r"^(?:invoices?|subscriptions?|payments?|plans?|coupons?|logs?|activity|api|usage|events?|credit|wallets?|"
    r"all|my|our|every|each|any|new|a|an|the (?:first|second|third|last|latest)|at (?:least|most)|over|under|"
    r"above|below|more|less|up to|between|exactly|around|about)\b|^[$€£\d]",
    re.IGNORECASE,
)
_AMOUNT = r"(?:\$|usd\s*|eur\s*|€|£)?\s?(\d{1,3}(?:,\d{3})+|\d{1,12})(?:\.(\d{1,2}))?\s?(k\b)?"
_OVER = re.compile(rf"\b(?:over|above|more than|greater than|at least|exceeding)\s+{_AMOUNT}", re.IGNORECASE)
_UNDER = re.compile(rf"\b(?:under|below|less than|at most|up to)\s+{_AMOUNT}", re.IGNORECASE)
_BETWEEN = re.compile(rf"\bbetween\s+{_AMOUNT}\s+and\s+{_AMOUNT}", re.IGNORECASE)


@dataclass(frozen=True)
class CustomerRef:
    """A customer as the user named it; `explicit_id` when they said "customer ID xyz"."""

    value: str
    explicit_id: bool


@dataclass(frozen=True)
class AmountRange:
    """Total amount bounds in cents (either may be None)."""

    from_cents: int | None
    to_cents: int | None


def is_uuid(value: str) -> bool:
    """True for a Lago id (UUID)."""
    return bool(_UUID_RE.match(value))


def find_email(text: str) -> str | None:
    """The first email address in the text."""
    match = _EMAIL.search(text)
    return match.group(0) if match else None


def find_coupon_code(text: str) -> str | None:
    """The code after "coupon" ("Apply coupon SUMMER20 …" → "SUMMER20")."""
    return _token_after(_COUPON, text, skip={"to", "code", "for", "on"})


def find_invoice_ref(text: str) -> str | None:
    """An invoice number ("INV-001") or Lago id named after "invoice"; words without digits don't count."""
    for match in _INVOICE.finditer(text):
        token = match.group(1).rstrip(".:")
        if any(ch.isdigit() for ch in token):
            return token
    return None


def find_subscription_id(text: str) -> str | None:
    """A subscription external id named right after "subscription" (must contain a digit, `_` or `-`)."""
    for match in _SUBSCRIPTION.finditer(text):
        token = match.group(1).rstrip(".:")
        if any(ch.isdigit() or ch in "_-" for ch in token):
            return token
    return None


def find_customer(text: str) -> CustomerRef | None:
    """The customer named in the text: "customer ID xyz", "customer 'Acme Corp'", "for Acme Corp"."""
    match = _CUSTOMER_ID.search(text)
    if match:
        return CustomerRef(match.group(1).rstrip(".:"), explicit_id=True)
    match = _CUSTOMER_QUOTED.search(text)
    if match and match.group(1).strip() and not _EMAIL.fullmatch(match.group(1).strip()):
        return CustomerRef(match.group(1).strip(), explicit_id=False)
    match = _POSSESSIVE.search(text)
    if match:
        name = _LEADING_VERB.sub("", match.group(1)).strip()
        if _plausible_name(name):
            return CustomerRef(name, explicit_id=False)
    for match in _CUSTOMER_NAME.finditer(text):
        name = _NAME_STOP.sub("", " " + match.group(1)).strip().strip("'`\"")
        name = re.sub(r"^(?:customer|the customer)\s+", "", name, flags=re.IGNORECASE).strip()
        if _plausible_name(name):
            return CustomerRef(name, explicit_id=False)
    return None


def find_amount_range(text: str) -> AmountRange | None:
    """Amount bounds such as "over $1,000" (→ from 100000 cents) or "between $10 and $50"."""
    between = _BETWEEN.search(text)
    if between:
        return AmountRange(_cents(*between.groups()[:3]), _cents(*between.groups()[3:]))
    over, under = _OVER.search(text), _UNDER.search(text)
    if not over and not under:
        return None
    return AmountRange(_cents(*over.groups()) if over else None, _cents(*under.groups()) if under else None)


def _cents(whole: str, fraction: str | None, thousands: str | None) -> int:
    cents = int(whole.replace(",", "")) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
    return cents * 1000 if thousands else cents


def _token_after(pattern: re.Pattern[str], text: str, skip: set[str]) -> str | None:
    for match in pattern.finditer(text):
        token = match.group(1).rstrip(".:")
        if token.lower() not in skip:
            return token
    return None


def _plausible_name(name: str) -> bool:
    return bool(
        name
        and name.lower() not in _NOT_A_NAME
        and not _NOT_A_NAME_START.match(name)
        and not _is_range_word(name)
        and not _EMAIL.fullmatch(name)
    )


def _is_range_word(name: str) -> bool:
    return bool(re.match(r"^(?:last|this|the last|the past|past|q[1-4]|today|yesterday)\b", name, re.IGNORECASE))
