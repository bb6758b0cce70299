"""Result shape through the real protocol: records, dashboard links, pagination, the size budget, error mapping."""

from __future__ import annotations

import httpx
import pytest

from billing_agent.mcp_server import ResultBudget, connect_in_process, create_mcp_server
from billing_agent.mcp_server.links import DashboardLinks
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, free_port
from billing_agent.settings import Settings

from .conftest import FRONT_URL, call, langchain_tools, make_server, structured, text_of


async def _customers_in_api_order(sandbox: SandboxServer, per_page: int = 100) -> list[str]:
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.api_url, headers=headers) as http:
        response = await http.get("/customers", params={"per_page": per_page})
    return [c["external_id"] for c in response.json()["customers"]]


async def test_invoice_record_embeds_a_linked_customer(read_only_sandbox: SandboxServer) -> None:
    async with langchain_tools(make_server(read_only_sandbox)) as tools:
        listed = structured(await call(tools, "list_invoices", {"per_page": 1}))
        invoice_id = listed["invoices"][0]["lago_id"]
        message = await call(tools, "get_invoice", {"invoice_id": invoice_id})
    invoice = structured(message)["invoice"]
    customer = invoice["customer"]
    assert invoice["lago_id"] == invoice_id
    assert {"number", "status", "payment_status", "total_amount_cents", "currency", "fees"} <= set(invoice)
    assert invoice["dashboard_url"] == f"{FRONT_URL}/customer/{customer['lago_id']}/invoice/{invoice_id}/overview"
    assert customer["dashboard_url"] == f"{FRONT_URL}/customer/{customer['lago_id']}"
    text = text_of(message)
    assert text.startswith(f"invoice: number={invoice['number']}")
    assert invoice["dashboard_url"] in text
    assert '"fees":[' in text, "the compact JSON keeps the fees a model needs for credit notes"


async def test_list_pagination_and_the_next_page_line(read_only_sandbox: SandboxServer) -> None:
    async with langchain_tools(make_server(read_only_sandbox)) as tools:
        message = await call(tools, "list_customers", {"per_page": 7})
        second = structured(await call(tools, "list_customers", {"per_page": 7, "page": 2}))
    content = structured(message)
    assert content["pagination"] == {
        "page": 1,
        "per_page": 7,
        "total_pages": 9,
        "total_count": 60,
        "next_page": 2,
        "prev_page": None,
        "returned": 7,
        "left_out": 0,
    }
    lines = text_of(message).splitlines()
    assert lines[0] == (
        "customers: 7 shown of total_count 60 (page 1 of 9, per_page 7). "
        "More: call list_customers with page=2 per_page=7 (same filters)."
    )
    assert len(lines) == 8 and all(line.startswith("- external_id=") for line in lines[1:])
    assert not {c["lago_id"] for c in content["customers"]} & {c["lago_id"] for c in second["customers"]}


async def test_a_list_over_budget_is_cut_with_a_line_that_pages_on(read_only_sandbox: SandboxServer) -> None:
    server = make_server(read_only_sandbox, budget=ResultBudget(max_text_chars=1500))
    order = await _customers_in_api_order(read_only_sandbox)
    async with langchain_tools(server) as tools:
        message = await call(tools, "list_customers", {"per_page": 20})
        content = structured(message)
        shown = content["pagination"]["returned"]
        assert 0 < shown < 20
        assert content["pagination"]["left_out"] == 20 - shown
        assert [c["external_id"] for c in content["customers"]] == order[:shown]
        last_line = text_of(message).splitlines()[-1]
        assert last_line.startswith(f"{20 - shown} more records of this page left out to fit the size budget")
        assert f"call list_customers again with per_page={shown} page=2" in last_line
        following = structured(await call(tools, "list_customers", {"per_page": shown, "page": 2}))
    assert following["customers"][0]["external_id"] == order[shown], "the hint continues right after the cut"


async def test_a_single_record_over_budget_says_where_the_rest_is(read_only_sandbox: SandboxServer) -> None:
    server = make_server(read_only_sandbox, budget=ResultBudget(max_text_chars=300))
    async with langchain_tools(server) as tools:
        invoice_id = structured(await call(tools, "list_invoices", {"per_page": 1}))["invoices"][0]["lago_id"]
        message = await call(tools, "get_invoice", {"invoice_id": invoice_id})
    assert "[cut at 300 characters; the full record is in the structured result]" in text_of(message)
    assert structured(message)["invoice"]["fees"], "structured content stays whole"


async def test_empty_list_says_so(read_only_sandbox: SandboxServer) -> None:
    async with langchain_tools(make_server(read_only_sandbox)) as tools:
        message = await call(tools, "list_customers", {"search_term": "no-such-customer-anywhere"})
    assert text_of(message) == "No customers match (total_count 0)."
    assert structured(message)["customers"] == []


async def test_wrong_api_key_is_an_actionable_error(read_only_sandbox: SandboxServer) -> None:
    async with langchain_tools(make_server(read_only_sandbox, api_key="not-a-key")) as tools:
        message = await call(tools, "list_plans", {})
    assert message.status == "error"
    assert "Lago rejected the API key (401 Unauthorized)" in text_of(message)
    assert "LAGO_API_KEY" in text_of(message)


async def test_unreachable_lago_is_an_actionable_error() -> None:
    settings = Settings(lago_max_retries=0)
    server = create_mcp_server(settings, api_url=f"http://127.0.0.1:{free_port()}", api_key="k")
    async with langchain_tools(server) as tools:
        message = await call(tools, "list_plans", {})
    assert message.status == "error"
    assert text_of(message).startswith("Could not reach Lago for list_plans")
    assert "LAGO_API_URL" in text_of(message)


async def test_unknown_tool_and_raw_protocol_errors_are_tool_errors(read_only_sandbox: SandboxServer) -> None:
    async with connect_in_process(make_server(read_only_sandbox)) as session:
        unknown = await session.call_tool("void_invoices", {"lago_id": "x"})
        typo = await session.call_tool("get_customer", {"external_id": "acme"})
    assert unknown.isError and "There is no tool named 'void_invoices'. Did you mean void_invoice" in _text(unknown)
    assert typo.isError and "'external_id' (did you mean 'external_customer_id'?)" in _text(typo)


def _text(result: object) -> str:
    content = result.content  # type: ignore[attr-defined]
    return "\n".join(block.text for block in content)


def test_server_refuses_to_start_without_a_lago_url() -> None:
    with pytest.raises(ValueError, match="set LAGO_API_URL"):
        create_mcp_server()


@pytest.mark.parametrize(
    ("kind", "record", "path"),
    [
        ("customer", {"lago_id": "c1"}, "/customer/c1"),
        ("invoice", {"lago_id": "i1", "customer": {"lago_id": "c1"}}, "/customer/c1/invoice/i1/overview"),
        ("invoice", {"lago_id": "i1"}, "/invoices"),
        ("credit_note", {"lago_id": "n1", "customer": {"lago_id": "c1"}}, "/customer/c1/credit-notes/n1"),
        ("subscription", {"lago_id": "s1", "lago_customer_id": "c1"}, "/customer/c1/subscription/s1/overview"),
        ("wallet", {"lago_id": "w1", "lago_customer_id": "c1"}, "/customer/c1/wallet-details/w1/overview"),
        ("plan", {"lago_id": "p1"}, "/plan/p1/overview"),
        ("coupon", {"lago_id": "k1"}, "/coupon/k1/overview"),
        ("billable_metric", {"lago_id": "b1"}, "/billable-metric/b1/overview"),
        ("payment", {"lago_id": "y1"}, "/payment/y1"),
        ("event", {"transaction_id": "evt 1/a"}, "/devtool/events/evt%201%2Fa"),
        ("activity_log", {"activity_id": "a1"}, "/devtool/activity-logs/a1"),
        ("api_log", {"request_id": "r1"}, "/devtool/api-logs/r1"),
        ("applied_coupon", {"lago_id": "x", "lago_customer_id": "c1"}, "/customer/c1/coupons"),
    ],
)
def test_dashboard_paths_follow_the_lago_front_router(kind: str, record: dict[str, object], path: str) -> None:
    links = DashboardLinks("https://app.getlago.com/")
    assert links.attach(kind, dict(record))["dashboard_url"] == f"https://app.getlago.com{path}"
