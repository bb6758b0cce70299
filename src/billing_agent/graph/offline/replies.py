"""Short, factual answers: counts from tool results, the help text, bulk and too-long notices."""

from __future__ import annotations

from billing_agent.graph.offline.results import ToolResult

EXAMPLES = (
    "Show me overdue invoices for the last 30 days",
    "Show invoices over $1,000 from last month",
    "What are the number of invoices generated last week?",
    "Download invoice INV-001",
    "Void / finalize / refresh / retry invoice INV-001",
    "What is the current usage for customer Acme Corp?",
    "Show me payment history for customer ID acme_corp",
    "Show me all subscriptions created this month",
    "Terminate subscription for Acme Corp",
    "Apply coupon SUMMER20 to customer Acme Corp",
    "Create a new customer with email gavin@hooli.com",
    "Update the billing email for customer acme_corp to billing@acme.com",
    "What plans are available? / List coupons / List customers",
    "List the latest activity logs / Show API logs",
    "Preview the next invoice for customer Acme Corp",
    "Remove coupon SUMMER20 from customer Acme Corp",
    "Tell me more about the first one / Show the next page (after a list)",
)

BULK_NOT_AVAILABLE = (
    "Bulk operations (one action on many records) are not available in offline mode yet. "
    "Name one record at a time, e.g. 'Retry invoice INV-001' or 'Apply coupon SUMMER20 to customer acme_corp'."
)

BULK_EXAMPLES = (
    "Apply coupon SUMMER20 to all US customers",
    "Generate invoice previews for all customers with active subscriptions",
    "List all overdue invoices and retry payments",
    "Retry all failed invoices from last week",
    "Retry all of these (after a list of invoices)",
    "Retry the failed ones / Undo that / Show me the failures (after a batch)",
)


def bulk_help(request: str) -> str:
    """Says that this bulk request was not understood offline, with the bulk requests that are."""
    shown = " ".join(request.split())[:80]
    examples = "\n".join(f"- {example}" for example in BULK_EXAMPLES)
    return (
        f"I can't run the bulk request '{shown}' in offline mode. Offline I understand bulk requests like:\n{examples}"
    )


NOTHING_PENDING = "Nothing is waiting for confirmation. Ask for an action first, then type CONFIRM when I ask."


def help_text(request: str, *, change: bool = False) -> str:
    """Says plainly that the request was not understood and lists what the offline planner understands."""
    shown = " ".join(request.split())[:80]
    if not shown:
        intro = "Your message was empty."
    elif change:
        intro = f"I can't make the change '{shown}' in offline mode."
    else:
        intro = f"I couldn't match '{shown}' to a billing request."
    examples = "\n".join(f"- {example}" for example in EXAMPLES)
    return f"{intro} In offline mode I understand requests like:\n{examples}"


def too_long_text(length: int, limit: int) -> str:
    """Asks for a shorter request."""
    return (
        f"That message is {length:,} characters long; offline mode reads requests of up to {limit:,}. "
        "Please shorten it."
    )


def plural(count: int, noun: str) -> str:
    """ "1 invoice", "3 invoices", "2 activity logs"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {_plural_noun(noun)}"


def _plural_noun(noun: str) -> str:
    head, _, tail = noun.rpartition(" ")
    word = tail or noun
    word = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{head} {word}" if head else word


def count_sentence(result: ToolResult, noun: str, qualifier: str = "") -> str:
    """ "Found 12 overdue invoices issued from … to …." (total from pagination, else the records shown)."""
    shown = len(result.records)
    total = result.total_count if result.total_count is not None else shown
    suffix = f" {qualifier}" if qualifier else ""
    if total == 0:
        return f"No {_plural_noun(noun)}{suffix}."
    sentence = f"Found {plural(total, noun)}{suffix}."
    if total > shown > 0:
        sentence += f" Showing the first {shown:,}; ask for the next page to see more."
    return sentence
