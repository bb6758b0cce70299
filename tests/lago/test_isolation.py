"""Organizations see only their own data: the other org's key sees none of the demo org's customers."""

from __future__ import annotations

import pytest

from billing_agent.lago import LagoClient, LagoNotFoundError
from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, SandboxServer


async def test_other_org_sees_none_of_the_demo_customers(sandbox_server: SandboxServer) -> None:
    async with (
        LagoClient(sandbox_server.url, DEMO_API_KEY) as demo,
        LagoClient(sandbox_server.url, OTHER_API_KEY) as other,
    ):
        demo_ids = {c.lago_id async for c in demo.iterate(demo.list_customers)}
        other_ids = {c.lago_id async for c in other.iterate(other.list_customers)}
        assert len(demo_ids) >= 60
        assert demo_ids.isdisjoint(other_ids)
        with pytest.raises(LagoNotFoundError):
            await other.get_customer("acme_corp")

        created = await other.create_customer({"external_id": "only_in_other_org", "name": "Other Co"})
        assert created.external_id == "only_in_other_org"
        with pytest.raises(LagoNotFoundError):
            await demo.get_customer("only_in_other_org")
        other_invoices = [i async for i in other.iterate(other.list_invoices)]
        assert all(i.customer is None or i.customer.external_id != "acme_corp" for i in other_invoices)
        assert len([i async for i in demo.iterate(demo.list_invoices, external_customer_id="acme_corp")]) > 0
