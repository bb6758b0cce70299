"""A small in-memory billing backend exposed as LangChain tools, for graph-logic tests.

The tools follow the MCP server's names, parameters, result envelopes (`{plural: [...], "pagination"}`,
`{kind: record}`) and errors (`ToolMessage(status="error")` via ToolException), without the network.
End-to-end tests use the real MCP server and sandbox instead.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, ToolException

FRONT = "https://app.getlago.com"


def _seed() -> dict[str, dict[str, dict[str, Any]]]:
    customers = {
        "acme_corp": {"external_id": "acme_corp", "lago_id": "c-1", "name": "Acme Corp", "email": "billing@acme.test"},
        "globex": {"external_id": "globex", "lago_id": "c-2", "name": "Globex", "email": "ap@globex.test"},
    }
    for record in customers.values():
        record["dashboard_url"] = f"{FRONT}/customer/{record['lago_id']}"
    plans = {
        "enterprise": {
            "code": "enterprise",
            "name": "Enterprise",
            "interval": "monthly",
            "amount_cents": 250000,
            "amount_currency": "USD",
        }
    }
    subscriptions = {
        "sub_acme_corp": {
            "external_id": "sub_acme_corp",
            "external_customer_id": "acme_corp",
            "plan_code": "enterprise",
            "status": "active",
        }
    }
    invoices = {
        "inv-1": {
            "lago_id": "inv-1",
            "number": "INV-001",
            "status": "finalized",
            "payment_status": "pending",
            "currency": "USD",
            "total_amount_cents": 120000,
            "customer": customers["acme_corp"],
            "dashboard_url": f"{FRONT}/customer/c-1/invoice/inv-1/overview",
        },
        "inv-2": {
            "lago_id": "inv-2",
            "number": "INV-002",
            "status": "finalized",
            "payment_status": "failed",
            "currency": "USD",
            "total_amount_cents": 99900,
            "customer": customers["globex"],
            "dashboard_url": f"{FRONT}/customer/c-2/invoice/inv-2/overview",
        },
    }
    return {"customers": customers, "plans": plans, "subscriptions": subscriptions, "invoices": invoices}


class Billing:
    """State of the fake backend plus a log of every call made to it."""

    def __init__(self) -> None:
        self.data = _seed()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the data, to compare before and after."""
        return deepcopy(self.data)

    def _get(self, kind: str, key: str, label: str) -> dict[str, Any]:
        record = self.data[kind].get(key)
        if record is None:
            raise ToolException(f"No {label} '{key}' ({label.replace(' ', '_')}_not_found). List them to find it.")
        return record

    def tools(self, *, annotate: bool = True) -> list[BaseTool]:
        """The tool set; MCP-style annotations land in `tool.metadata`."""
        billing = self

        def result(structured: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            return json.dumps(structured), {"structured_content": structured}

        def listing(plural: str, items: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
            meta = {"page": 1, "total_count": len(items), "next_page": None}
            return result({plural: items, "pagination": meta})

        def logged(name: str, args: dict[str, Any]) -> None:
            billing.calls.append((name, args))

        async def list_customers(search_term: str | None = None) -> tuple[str, dict[str, Any]]:
            logged("list_customers", {"search_term": search_term})
            found = [
                c
                for c in billing.data["customers"].values()
                if not search_term or search_term.lower() in c["name"].lower()
            ]
            return listing("customers", found)

        async def get_customer(external_customer_id: str) -> tuple[str, dict[str, Any]]:
            logged("get_customer", {"external_customer_id": external_customer_id})
            return result({"customer": billing._get("customers", external_customer_id, "customer")})

        async def get_plan(code: str) -> tuple[str, dict[str, Any]]:
            logged("get_plan", {"code": code})
            return result({"plan": billing._get("plans", code, "plan")})

        async def get_subscription(external_id: str) -> tuple[str, dict[str, Any]]:
            logged("get_subscription", {"external_id": external_id})
            return result({"subscription": billing._get("subscriptions", external_id, "subscription")})

        async def list_invoices(payment_status: str | None = None) -> tuple[str, dict[str, Any]]:
            logged("list_invoices", {"payment_status": payment_status})
            found = [
                i
                for i in billing.data["invoices"].values()
                if not payment_status or i["payment_status"] == payment_status
            ]
            return listing("invoices", found)

        async def get_invoice(invoice_id: str) -> tuple[str, dict[str, Any]]:
            logged("get_invoice", {"invoice_id": invoice_id})
            return result({"invoice": billing._get("invoices", invoice_id, "invoice")})

        async def delete_subscription(external_id: str) -> tuple[str, dict[str, Any]]:
            logged("delete_subscription", {"external_id": external_id})
            sub = billing._get("subscriptions", external_id, "subscription")
            sub["status"] = "terminated"
            return result({"subscription": sub})

        async def void_invoice(lago_id: str) -> tuple[str, dict[str, Any]]:
            logged("void_invoice", {"lago_id": lago_id})
            invoice = billing._get("invoices", lago_id, "invoice")
            invoice["status"] = "voided"
            return result({"invoice": invoice})

        async def update_customer(external_id: str, email: str) -> tuple[str, dict[str, Any]]:
            logged("update_customer", {"external_id": external_id, "email": email})
            if "@" not in email:
                raise ToolException(
                    f"Invalid email '{email}' (validation_errors: email invalid_format). Ask for a valid address."
                )
            customer = billing._get("customers", external_id, "customer")
            customer["email"] = email
            return result({"customer": customer})

        read = {"readOnlyHint": True, "destructiveHint": False}
        write = {"readOnlyHint": False, "destructiveHint": False}
        destructive = {"readOnlyHint": False, "destructiveHint": True}
        specs = [
            (list_customers, read),
            (get_customer, read),
            (get_plan, read),
            (get_subscription, read),
            (list_invoices, read),
            (get_invoice, read),
            (delete_subscription, destructive),
            (void_invoice, destructive),
            (update_customer, write),
        ]
        return [
            StructuredTool.from_function(
                coroutine=fn,
                name=fn.__name__,
                description=f"{fn.__name__.replace('_', ' ')}.",
                response_format="content_and_artifact",
                handle_tool_error=True,
                metadata=hints if annotate else None,
            )
            for fn, hints in specs
        ]
