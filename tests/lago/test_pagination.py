"""Paging through the 1,200-customer demo org over real HTTP."""

from __future__ import annotations

from billing_agent.lago import LagoClient

DEMO_CUSTOMERS = 1200


async def test_iterate_yields_every_customer_once(demo_lago: LagoClient) -> None:
    external_ids = [c.external_id async for c in demo_lago.iterate(demo_lago.list_customers, per_page=100)]
    assert len(external_ids) == DEMO_CUSTOMERS
    assert len(set(external_ids)) == DEMO_CUSTOMERS
    assert demo_lago.stats.requests == 12


async def test_iterate_handles_a_short_last_page(demo_lago: LagoClient) -> None:
    lago_ids = [c.lago_id async for c in demo_lago.iterate(demo_lago.list_customers, per_page=500)]
    assert len(lago_ids) == len(set(lago_ids)) == DEMO_CUSTOMERS
    last = await demo_lago.list_customers(page=3, per_page=500)
    assert len(last.items) == 200
    assert (last.meta.current_page, last.meta.next_page, last.meta.prev_page) == (3, None, 2)
    assert (last.meta.total_pages, last.meta.total_count) == (3, DEMO_CUSTOMERS)


async def test_iterate_passes_filters_to_every_page(demo_lago: LagoClient) -> None:
    first = await demo_lago.list_customers(countries=["US"], per_page=50)
    us = [c async for c in demo_lago.iterate(demo_lago.list_customers, countries=["US"], per_page=50)]
    assert len(us) == first.meta.total_count >= 300
    assert {c.country for c in us} == {"US"}
    assert first.meta.total_pages > 1


async def test_empty_list_has_zero_pages(demo_lago: LagoClient) -> None:
    page = await demo_lago.list_customers(search_term="no-customer-matches-this-zzz")
    assert page.items == []
    assert (page.meta.current_page, page.meta.total_pages, page.meta.total_count) == (0, 0, 0)
    assert [
        c async for c in demo_lago.iterate(demo_lago.list_customers, search_term="no-customer-matches-this-zzz")
    ] == []
