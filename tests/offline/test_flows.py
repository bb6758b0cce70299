"""Multi-step flows: names resolved first, then the action; answers from the results; failures stated."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from .helpers import SYSTEM, answer, calls_of, converse, customers, step
from .schemas import OFFICIAL_TOOLS, OUR_TOOLS

ACME = customers(("acme_corp", "Acme Corp"))
ACTIVE_SUB = {
    "subscriptions": [{"external_id": "sub_acme", "status": "active", "plan_code": "enterprise"}],
    "pagination": {"total_count": 1},
}


def test_apply_coupon_resolves_the_customer_then_applies() -> None:
    _, final_call = converse(OUR_TOOLS, "Apply coupon SUMMER20 to customer Acme Corp", [[ACME]])

    assert calls_of(final_call) == [("apply_coupon", {"external_customer_id": "acme_corp", "coupon_code": "SUMMER20"})]


def test_apply_coupon_answers_once_applied() -> None:
    applied = {"applied_coupon": {"lago_id": "ac-1", "coupon_code": "SUMMER20", "external_customer_id": "acme_corp"}}
    _, final = converse(OUR_TOOLS, "Apply coupon SUMMER20 to customer Acme Corp", [[ACME], [applied]])

    assert final.tool_calls == []
    assert final.content == "Applied coupon SUMMER20 to Acme Corp (acme_corp)."


def test_a_declined_change_is_reported_and_not_retried() -> None:
    messages, apply_call = converse(OUR_TOOLS, "Apply coupon SUMMER20 to customer Acme Corp", [[ACME]])
    declined = ToolMessage(
        content="The user declined `apply_coupon`; it was NOT run. Do not call it again unless the user asks.",
        tool_call_id=apply_call.tool_calls[0]["id"],
        name="apply_coupon",
        status="error",
    )
    final = step(OUR_TOOLS, [*messages, apply_call, declined])

    assert final.tool_calls == []
    assert final.content == "`apply_coupon` was declined, so nothing was changed."


def test_a_failed_lookup_is_said_plainly() -> None:
    messages = [SYSTEM, HumanMessage(content="Download invoice INV-404")]
    find = step(OUR_TOOLS, messages)
    error = "No invoice with number 'INV-404' (invoice_not_found). Use list_invoices with search_term to find it."
    final = step(OUR_TOOLS, [*messages, find, *answer(find, [error], error=True)])

    assert final.tool_calls == []
    assert final.content == f"`find_invoice_by_number` did not complete: {error}"


def test_unknown_customer_gets_a_clear_answer() -> None:
    _, final = converse(OUR_TOOLS, "Apply coupon SUMMER20 to customer Nobody Inc", [[customers()]])

    assert final.tool_calls == []
    assert final.content.startswith("No customer matches 'Nobody Inc'.")


def test_ambiguous_customer_asks_which_one_and_changes_nothing() -> None:
    two = customers(("acme_us", "Acme US"), ("acme_eu", "Acme EU"))
    _, final = converse(OUR_TOOLS, "Apply coupon SUMMER20 to customer Acme", [[two]])

    assert final.tool_calls == []
    assert "Several customers match 'Acme': Acme US (acme_us), Acme EU (acme_eu)" in final.content


def test_exact_external_id_wins_over_other_search_hits() -> None:
    hits = customers(("xyz_old", "XYZ Old"), ("xyz", "XYZ Corp"))
    _, final_call = converse(OUR_TOOLS, "Update the billing email for customer xyz to billing@xyz.io", [[hits]])

    assert calls_of(final_call) == [("update_customer", {"external_customer_id": "xyz", "email": "billing@xyz.io"})]


def test_terminate_subscription_lists_the_customers_subscriptions_then_terminates_the_active_one() -> None:
    messages, lookup = converse(OUR_TOOLS, "Terminate subscription for Acme Corp", [[ACME]])
    assert calls_of(lookup) == [("list_customer_subscriptions", {"external_customer_id": "acme_corp"})]

    terminate = step(OUR_TOOLS, [*messages, lookup, *answer(lookup, [ACTIVE_SUB])])
    assert calls_of(terminate) == [("delete_subscription", {"external_id": "sub_acme"})]


def test_terminate_with_the_official_tool_set_uses_list_customer_subscriptions() -> None:
    acme = {"customer": {"external_id": "acme_corp", "name": "Acme Corp"}}
    _, lookup = converse(OFFICIAL_TOOLS, "Terminate subscription for Acme Corp", [[acme]])

    assert calls_of(lookup) == [("list_customer_subscriptions", {"external_customer_id": "acme_corp"})]


def test_official_tool_set_resolves_customers_with_get_customer() -> None:
    first = step(OFFICIAL_TOOLS, [SYSTEM, HumanMessage(content="Apply coupon SUMMER20 to customer acme_corp")])

    assert calls_of(first) == [("get_customer", {"external_customer_id": "acme_corp"})]


def test_terminate_with_several_active_subscriptions_asks_which() -> None:
    subs = {
        "subscriptions": [
            {"external_id": "sub_a", "status": "active", "plan_code": "basic"},
            {"external_id": "sub_b", "status": "active", "plan_code": "pro"},
        ]
    }
    _, final = converse(OUR_TOOLS, "Terminate subscription for Acme Corp", [[ACME], [subs]])

    assert final.tool_calls == []
    assert "has 2 active subscriptions: sub_a (plan basic, active), sub_b (plan pro, active)" in final.content


def test_terminate_with_no_active_subscription_says_so() -> None:
    subs = {"subscriptions": [{"external_id": "sub_old", "status": "terminated"}]}
    _, final = converse(OUR_TOOLS, "Terminate subscription for Acme Corp", [[ACME], [subs]])

    assert final.content == "Acme Corp (acme_corp) has no active subscription to terminate."


def test_current_usage_asks_for_each_active_subscription() -> None:
    _, usage = converse(OUR_TOOLS, "What is the current usage for customer Acme Corp?", [[ACME], [ACTIVE_SUB]])

    assert calls_of(usage) == [
        ("get_customer_current_usage", {"external_customer_id": "acme_corp", "external_subscription_id": "sub_acme"})
    ]


def test_download_invoice_finds_it_by_number_then_downloads_and_gives_the_link() -> None:
    found = {"invoice": {"lago_id": "inv-uuid-1", "number": "INV-001", "status": "finalized"}}
    pdf = {"invoice": {"lago_id": "inv-uuid-1", "number": "INV-001", "file_url": "https://files.example/inv.pdf"}}
    messages, download = converse(OUR_TOOLS, "Download invoice INV-001", [[found]])
    assert calls_of(download) == [("download_invoice", {"lago_id": "inv-uuid-1"})]

    final = step(OUR_TOOLS, [*messages, download, *answer(download, [pdf])])
    assert final.content == "Invoice INV-001 PDF: https://files.example/inv.pdf"


def test_download_while_the_pdf_is_generated_says_to_ask_again() -> None:
    found = {"invoice": {"lago_id": "inv-uuid-1", "number": "INV-001"}}
    _, final = converse(OUR_TOOLS, "Download invoice INV-001", [[found], [{}]])

    assert "generating the PDF of invoice INV-001" in final.content


def test_invoice_count_comes_from_the_pagination_total() -> None:
    page = {"invoices": [{"lago_id": "i1"}], "pagination": {"current_page": 1, "total_count": 37}}
    _, final = converse(OUR_TOOLS, "What are the number of invoices generated last week?", [[page]])

    assert final.content == "37 invoices issued from 2026-11-16 to 2026-11-22."


def test_overdue_list_answer_counts_and_mentions_the_range() -> None:
    page = {"invoices": [{"lago_id": "i1"}, {"lago_id": "i2"}], "pagination": {"total_count": 2}}
    _, final = converse(OUR_TOOLS, "Show me overdue invoices for the last 30 days", [[page]])

    assert final.content == "Found 2 overdue invoices issued from 2026-10-27 to 2026-11-26."


def test_list_answer_says_when_more_pages_exist() -> None:
    page = {"plans": [{"code": "basic"}, {"code": "pro"}], "pagination": {"total_count": 140}}
    _, final = converse(OUR_TOOLS, "What plans are available?", [[page]])

    assert final.content == "Found 140 plans. Showing the first 2; ask for the next page to see more."


def test_empty_list_answer() -> None:
    _, final = converse(OUR_TOOLS, "Show invoices over $1,000 from last month", [[{"invoices": []}]])

    assert final.content == "No invoices of at least 1,000.00 in total issued from 2026-10-01 to 2026-10-31."


def test_subscriptions_created_this_month_are_counted_from_created_at_when_the_server_cannot_filter() -> None:
    subs = {
        "subscriptions": [
            {"external_id": "sub_new", "created_at": "2026-11-03T10:00:00Z"},
            {"external_id": "sub_old", "created_at": "2026-09-03T10:00:00Z"},
        ]
    }
    _, final = converse(OUR_TOOLS, "Show me all subscriptions created this month", [[subs]])

    assert final.content == "1 subscription created from 2026-11-01 to 2026-11-26: sub_new."


def test_created_this_month_says_when_only_the_first_page_was_checked() -> None:
    subs = {
        "subscriptions": [{"external_id": f"sub_{i}", "created_at": "2026-11-03T10:00:00Z"} for i in range(12)],
        "pagination": {"page": 1, "total_count": 250, "next_page": 2},
    }
    _, final = converse(OUR_TOOLS, "Show me all subscriptions created this month", [[subs]])

    assert final.content == (
        "12 subscriptions created from 2026-11-01 to 2026-11-26: sub_0, sub_1, sub_2, sub_3, sub_4, sub_5, sub_6, "
        "sub_7, sub_8, sub_9 and 2 more. I checked the first 12 of 250 subscriptions; ask for the next page to check "
        "more."
    )


def test_text_only_tool_results_are_parsed_as_json() -> None:
    messages = [SYSTEM, HumanMessage(content="Apply coupon SUMMER20 to customer Acme Corp")]
    lookup = step(OUR_TOOLS, messages)
    text_only = ToolMessage(
        content='{"customers": [{"external_id": "acme_corp", "name": "Acme Corp"}]}',
        tool_call_id=lookup.tool_calls[0]["id"],
        name="list_customers",
    )
    apply = step(OUR_TOOLS, [*messages, lookup, text_only])

    assert calls_of(apply)[0][1]["external_customer_id"] == "acme_corp"


def test_a_call_without_a_result_counts_as_failed() -> None:
    messages = [SYSTEM, HumanMessage(content="Apply coupon SUMMER20 to customer Acme Corp")]
    lookup = step(OUR_TOOLS, messages)
    final = step(OUR_TOOLS, [*messages, lookup, AIMessage(content="(tool results received)")])

    assert final.tool_calls == []
    assert "did not complete: no result was recorded" in final.content


def test_a_missing_tool_is_named_instead_of_guessed() -> None:
    first = step(OFFICIAL_TOOLS, [SYSTEM, HumanMessage(content="Show me overdue invoices for the last 30 days")])

    assert first.tool_calls == []
    assert "is `list_invoices` accepting payment_overdue" in first.content


def test_remove_coupon_finds_the_applied_coupon_then_removes_it() -> None:
    applied = {
        "applied_coupons": [
            {"lago_id": "ac-other", "coupon_code": "WELCOME10"},
            {"lago_id": "ac-summer", "coupon_code": "SUMMER20"},
        ]
    }
    messages, lookup = converse(OUR_TOOLS, "Remove coupon SUMMER20 from customer Acme Corp", [[ACME]])
    remove = step(OUR_TOOLS, [*messages, lookup, *answer(lookup, [applied])])

    assert calls_of(lookup) == [("list_applied_coupons", {"external_customer_id": "acme_corp", "status": "active"})]
    assert calls_of(remove) == [
        ("remove_applied_coupon", {"external_customer_id": "acme_corp", "applied_coupon_id": "ac-summer"})
    ]


def test_remove_a_coupon_the_customer_does_not_have() -> None:
    _, final = converse(
        OUR_TOOLS, "Remove coupon SUMMER20 from customer Acme Corp", [[ACME], [{"applied_coupons": []}]]
    )

    assert final.content == "Acme Corp (acme_corp) has no active coupon SUMMER20; nothing to remove."


def test_delete_customer_resolves_then_deletes() -> None:
    _, delete = converse(OUR_TOOLS, "Delete customer Acme Corp", [[ACME]])

    assert calls_of(delete) == [("delete_customer", {"external_id": "acme_corp"})]


def test_possessive_customer_names_are_resolved() -> None:
    page = {"invoices": [], "pagination": {"total_count": 0}}
    messages, listing = converse(OUR_TOOLS, "Show me Acme Corp's invoices", [[ACME]])
    final = step(OUR_TOOLS, [*messages, listing, *answer(listing, [page])])

    assert calls_of(listing) == [("list_invoices", {"customer_external_id": "acme_corp"})]
    assert final.content == "No invoices for Acme Corp (acme_corp)."


def test_preview_uses_the_customers_active_subscriptions() -> None:
    _, preview = converse(OUR_TOOLS, "Preview the next invoice for customer Acme Corp", [[ACME], [ACTIVE_SUB]])

    assert calls_of(preview) == [
        ("preview_invoice", {"customer_external_id": "acme_corp", "subscriptions": {"external_ids": ["sub_acme"]}})
    ]


def test_a_lago_error_that_mentions_declined_is_not_taken_for_a_user_decline() -> None:
    messages = [SYSTEM, HumanMessage(content="Retry payment for invoice 5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f")]
    retry = step(OUR_TOOLS, messages)
    error = "Payment provider error: card declined (payment_failed)."
    final = step(OUR_TOOLS, [*messages, retry, *answer(retry, [error], error=True)])

    assert calls_of(retry) == [("retry_invoice_payment", {"lago_id": "5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f"})]
    assert final.content == f"`retry_invoice_payment` did not complete: {error}"


def test_a_call_the_graph_did_not_run_is_reported_as_not_run() -> None:
    messages = [SYSTEM, HumanMessage(content="Void invoice 5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f")]
    void = step(OUR_TOOLS, messages)
    not_run = "`void_invoice` changes data and was not confirmed by the user, so it was not run."
    final = step(OUR_TOOLS, [*messages, void, *answer(void, [not_run], error=True)])

    assert final.content.startswith("`void_invoice` was not run, so nothing was changed")
