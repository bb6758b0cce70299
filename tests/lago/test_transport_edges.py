"""Client behaviour at the HTTP edge against a scripted server over real HTTP (uvicorn on a free port).

The sandbox cannot produce these on demand: 403, non-JSON error bodies, HTML on success, slow responses,
a 429 with only `Retry-After`, or a refused connection.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from billing_agent.lago import (
    LagoClient,
    LagoConnectionError,
    LagoError,
    LagoForbiddenError,
    LagoNotFoundError,
    LagoRateLimitError,
    LagoServerError,
    RetryEvent,
    RetryPolicy,
)
from billing_agent.sandbox import SandboxServer, free_port

from .scripted import Canned, ScriptedLago

SECRET = "lago-secret-key-do-not-leak"
FAST = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.02)
CUSTOMER = {"lago_id": "c-1", "external_id": "acme", "name": "Acme", "brand_new_field": {"x": 1}}


@pytest.fixture
def scripted() -> Iterator[tuple[ScriptedLago, SandboxServer]]:
    fake = ScriptedLago()
    with SandboxServer(fake.app) as server:  # type: ignore[arg-type]
        yield fake, server


@pytest.fixture
async def client(scripted: tuple[ScriptedLago, SandboxServer]) -> AsyncIterator[LagoClient]:
    async with LagoClient(scripted[1].url + "/api/v1/", SECRET, retry=FAST, timeout=2.0) as lago:
        yield lago


def _json(payload: object) -> str:
    return json.dumps(payload)


async def test_requests_carry_bearer_auth_user_agent_and_rails_arrays(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script("GET /customers", Canned(body=_json({"customers": [CUSTOMER], "meta": {"current_page": 1}})))
    page = await client.list_customers(countries=["US", "FR"], search_term="acme", per_page=5)
    seen = fake.received[0]
    assert seen.headers["authorization"] == f"Bearer {SECRET}"
    assert seen.headers["user-agent"].startswith("lago-billing-agent/")
    assert seen.query == "search_term=acme&countries%5B%5D=US&countries%5B%5D=FR&per_page=5"
    assert page.items[0].model_dump(mode="json")["brand_new_field"] == {"x": 1}
    assert page.meta.next_page is None


async def test_forbidden_maps_to_its_type_with_code(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    body = {"status": 403, "error": "Forbidden", "code": "write_action_not_allowed_for_customer"}
    fake.script("POST /customers", Canned(403, _json(body)))
    with pytest.raises(LagoForbiddenError) as caught:
        await client.create_customer({"external_id": "acme"})
    error = caught.value
    assert (error.status, error.code, error.method, error.path) == (
        403,
        "write_action_not_allowed_for_customer",
        "POST",
        "/customers",
    )
    assert str(error).startswith("Lago 403 write_action_not_allowed_for_customer on POST /customers: use a key")
    assert SECRET not in str(error)


async def test_non_json_5xx_is_retried_for_reads_then_raised_with_a_snippet(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    html = "<html><body><h1>502 Bad Gateway</h1> nginx</body></html>"
    fake.script("GET /plans/startup", Canned(502, html, content_type="text/html"))
    with pytest.raises(LagoServerError) as caught:
        await client.get_plan("startup")
    assert fake.count("GET /plans/startup") == 1 + FAST.max_retries
    assert caught.value.status == 502 and caught.value.code is None
    assert "502 Bad Gateway" in str(caught.value) and "after 2 retries" in str(caught.value)
    assert client.stats.server_errors == 3 and client.stats.retries == 2


async def test_get_recovers_when_a_5xx_is_followed_by_success(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script(
        "GET /customers/acme",
        Canned(503, _json({"status": 503, "error": "Service Unavailable"})),
        Canned(200, _json({"customer": CUSTOMER})),
    )
    customer = await client.get_customer("acme")
    assert customer.external_id == "acme"
    assert fake.count("GET /customers/acme") == 2
    assert [e.reason for e in client.stats.events] == ["server_error"]


async def test_post_create_is_sent_once_after_a_5xx(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script("POST /applied_coupons", Canned(500, _json({"status": 500, "error": "Internal Server Error"})))
    with pytest.raises(LagoServerError, match="not repeated automatically because it may have been applied"):
        await client.apply_coupon({"external_customer_id": "acme", "coupon_code": "SUMMER20"})
    assert fake.count("POST /applied_coupons") == 1
    assert client.stats.retries == 0


async def test_a_404_after_a_lost_attempt_says_the_first_may_have_worked(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script(
        "PUT /invoices/inv-1/finalize",
        Canned(502, "bad gateway", content_type="text/plain"),
        Canned(404, _json({"status": 404, "error": "Not Found", "code": "invoice_not_found"})),
    )
    with pytest.raises(LagoNotFoundError, match="may already have applied this; fetch the record to check"):
        await client.finalize_invoice("inv-1")
    assert fake.count("PUT /invoices/inv-1/finalize") == 2


async def test_idempotent_posts_are_retried(scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient) -> None:
    fake, _ = scripted
    invoice = {"lago_id": "inv-1", "number": "INV-001", "file_url": "http://x/inv.pdf"}
    fake.script(
        "POST /invoices/inv-1/download",
        Canned(500, _json({"status": 500, "error": "boom"})),
        Canned(200, _json({"invoice": invoice})),
    )
    downloaded = await client.download_invoice("inv-1")
    assert downloaded is not None and downloaded.file_url == "http://x/inv.pdf"
    assert fake.count("POST /invoices/inv-1/download") == 2


async def test_empty_bodies_return_none(scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient) -> None:
    fake, _ = scripted
    fake.script("POST /invoices/inv-1/download", Canned(200, b""))
    fake.script("POST /invoices/inv-1/retry_payment", Canned(200, b""))
    assert await client.download_invoice("inv-1") is None
    assert await client.retry_invoice_payment("inv-1") is None


async def test_html_on_success_says_the_url_is_wrong(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script("GET /customers/acme", Canned(200, "<!doctype html><title>Lago</title>", content_type="text/html"))
    with pytest.raises(LagoError, match=r"non-JSON body .*LAGO_API_URL points to the Lago API"):
        await client.get_customer("acme")


async def test_missing_envelope_is_reported_not_silently_empty(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    fake.script("GET /customers/acme", Canned(200, _json({"customers": []})))
    with pytest.raises(LagoError, match=r"expected 'customer' \(dict\), got keys \['customers'\]"):
        await client.get_customer("acme")


async def test_429_with_only_retry_after_waits_that_long(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    limited = Canned(429, _json({"status": 429, "error": "Too Many Requests"}), headers={"Retry-After": "1"})
    fake.script("GET /coupons/SUMMER20", limited, Canned(200, _json({"coupon": {"lago_id": "k", "code": "SUMMER20"}})))
    events: list[RetryEvent] = []
    client.on_retry = events.append
    started = time.perf_counter()
    coupon = await client.get_coupon("SUMMER20")
    elapsed = time.perf_counter() - started
    assert coupon.code == "SUMMER20"
    assert [(e.reason, e.asked) for e in events] == [("rate_limited", 1.0)]
    assert 1.0 <= events[0].delay <= 1.3
    assert elapsed >= 1.0


async def test_429_asking_for_too_long_raises_at_once_with_retry_after(
    scripted: tuple[ScriptedLago, SandboxServer], client: LagoClient
) -> None:
    fake, _ = scripted
    headers = {"X-RateLimit-Reset": "3600", "X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0"}
    fake.script("POST /events", Canned(429, _json({"status": 429, "error": "Too Many Requests"}), headers=headers))
    started = time.perf_counter()
    with pytest.raises(LagoRateLimitError) as caught:
        await client.create_event({"transaction_id": "t1", "code": "api_calls", "external_subscription_id": "s"})
    assert time.perf_counter() - started < 0.5
    assert caught.value.retry_after == 3600.0
    assert fake.count("POST /events") == 1


async def test_rate_limit_retries_are_bounded(scripted: tuple[ScriptedLago, SandboxServer]) -> None:
    fake, server = scripted
    fake.script("GET /plans", Canned(429, _json({"status": 429, "error": "x"}), headers={"X-RateLimit-Reset": "0.01"}))
    policy = RetryPolicy(rate_limit_retries=3)
    async with LagoClient(server.url, SECRET, retry=policy) as lago:
        with pytest.raises(LagoRateLimitError, match=r"on GET /plans \(after 3 retries\): slow down"):
            await lago.list_plans()
        assert lago.stats.rate_limited == 4
    assert fake.count("GET /plans") == 4


async def test_read_timeout_retries_reads_but_not_creates(scripted: tuple[ScriptedLago, SandboxServer]) -> None:
    fake, server = scripted
    slow = Canned(200, _json({"plan": {"lago_id": "p", "code": "startup"}}), delay=0.5)
    fake.script("GET /plans/startup", slow)
    fake.script("POST /plans", slow)
    async with LagoClient(server.url, SECRET, retry=FAST, timeout=0.1) as lago:
        with pytest.raises(LagoConnectionError, match=r"ReadTimeout.* after 2 retries: check LAGO_API_URL"):
            await lago.get_plan("startup")
        with pytest.raises(LagoConnectionError, match="not repeated automatically because it may have been applied"):
            await lago.create_plan({"code": "startup", "name": "Startup"})
    assert fake.count("GET /plans/startup") == 3
    assert fake.count("POST /plans") == 1


async def test_refused_connection_is_retried_even_for_posts_since_nothing_was_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with LagoClient(url, SECRET, retry=FAST) as lago:
        with pytest.raises(LagoConnectionError) as caught:
            await lago.create_plan({"code": "startup"})
        assert lago.stats.connection_errors == 3 and lago.stats.retries == 2
    message = str(caught.value)
    assert message.startswith(f"Could not get a response from Lago at {url}/api/v1 for POST /plans (ConnectError")
    assert "may have been applied" not in message
    assert SECRET not in message and SECRET not in repr(lago)


async def test_constructor_checks_url_and_key() -> None:
    with pytest.raises(ValueError, match="LAGO_API_KEY"):
        LagoClient("http://127.0.0.1:8088", "  ")
    with pytest.raises(ValueError, match="must start with http"):
        LagoClient("127.0.0.1:8088", "k")
    for url in ("http://h:1", "http://h:1/", "http://h:1/api/v1", "http://h:1/api/v1/"):
        async with LagoClient(url, "k") as lago:
            assert lago.base_url == "http://h:1/api/v1"
        assert lago.closed
