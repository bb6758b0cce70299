"""The transport half of `LagoClient`: one pooled httpx client, auth, retries, decoding, pagination."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json as jsonlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel

from billing_agent.lago.errors import MAYBE_APPLIED, NOT_REPEATED, LagoError, connection_error, error_from_response
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import encode_params
from billing_agent.lago.resources.base import ResourceClient
from billing_agent.lago.retry import RetryPolicy
from billing_agent.lago.stats import ClientStats, RetryEvent

logger = logging.getLogger("billing_agent.lago")

API_PREFIX = "/api/v1"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Errors raised before any byte of the request left: repeating cannot apply anything twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# After a lost attempt these may only mean that it worked (e.g. finalize answers 404 once the draft is finalized).
_MAY_HIDE_SUCCESS = frozenset({404, 405, 422})

ItemT = TypeVar("ItemT", bound=BaseModel)
RetryHook = Callable[[RetryEvent], None]


def api_root(api_url: str) -> str:
    """`api_url` with `/api/v1` appended unless already there, without a trailing slash."""
    url = api_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"api_url must start with http:// or https:// (got {api_url!r}); e.g. 'http://127.0.0.1:8088'")
    return url if url.endswith(API_PREFIX) else url + API_PREFIX


class NoCookies(http.cookiejar.CookieJar):
    """A cookie jar that keeps nothing: Lago's API authenticates every request by its bearer token.

    httpx runs every response through its jar; skipping that saves about 0.1 ms of CPU per request, which bulk
    work (a thousand requests in a row) feels.
    """

    def extract_cookies(self, response: Any, request: Any) -> None:
        """Ignore the cookies a response sets."""

    def add_cookie_header(self, request: Any) -> None:
        """Send no cookies."""


def user_agent() -> str:
    """`lago-billing-agent/<installed version>`."""
    try:
        return f"lago-billing-agent/{version('lago-billing-agent')}"
    except PackageNotFoundError:
        return "lago-billing-agent/0+unknown"


class LagoSession(ResourceClient):
    """Sends requests to one Lago organization's API over a pooled connection.

    Args:
        api_url: Lago URL, with or without `/api/v1` (e.g. `http://127.0.0.1:8088`).
        api_key: the organization's API key (sent as a bearer token; never logged or put in errors).
        transport: an httpx transport, e.g. `httpx.ASGITransport(app)` for an in-process sandbox.
        timeout: seconds per request attempt.
        retry: bounds and pacing of retries.
        max_connections: size of the connection pool (bulk work runs many requests at once).
        on_retry: called with each retry decision (also counted in `stats`).
    """

    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 64,
        on_retry: RetryHook | None = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValueError("api_key is empty; set LAGO_API_KEY to your organization's Lago API key")
        self.base_url = api_root(api_url)
        self.retry_policy = retry or RetryPolicy()
        self.stats = ClientStats()
        self.on_retry = on_retry
        self._rng = random.Random()
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {api_key.strip()}",
                "User-Agent": user_agent(),
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(timeout),
            limits=limits,
            transport=transport,
            cookies=NoCookies(),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        """True once `aclose` ran."""
        return self._http.is_closed

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> dict[str, Any] | None:
        """Send a request to `<api root><path>` and return its JSON object (None for an empty body).

        Args:
            method: HTTP method.
            path: path under the API root, e.g. `/customers/acme_corp` (segments already escaped).
            params: query filters; lists are sent Rails-style (`key[]=…`), None values dropped.
            json: request body.
            idempotent: whether repeating the request is harmless; default: True for GET/PUT/DELETE, False
                for POST. Only idempotent requests are retried after a 5xx or a broken connection.

        Raises:
            LagoError: a subclass matching the failure (see `billing_agent.lago.errors`).
        """
        method = method.upper()
        path = path if path.startswith("/") else f"/{path}"
        repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        query = encode_params(params)
        policy = self.retry_policy
        failures = rate_limits = 0
        while True:
            retries = failures + rate_limits
            self.stats.requests += 1
            started = time.perf_counter()
            try:
                # An absolute URL: httpx would otherwise parse and merge it with its base URL on every request.
                response = await self._http.request(method, self.base_url + path, params=query, json=json)
            except httpx.TransportError as error:
                self.stats.connection_errors += 1
                safe = repeatable or isinstance(error, _NOT_SENT)
                if not safe or failures >= policy.max_retries:
                    note = None if safe else NOT_REPEATED
                    raise connection_error(error, self.base_url, method, path, retries, note) from error
                await self._wait(RetryEvent(method, path, "connection_error", 0, retries + 1, self._backoff(failures)))
                failures += 1
                continue
            status = response.status_code
            logger.debug("%s %s -> %s in %.1f ms", method, path, status, (time.perf_counter() - started) * 1000)
            if status == 429:
                self.stats.rate_limited += 1
                delay, asked = policy.rate_limit_wait(response.headers, rate_limits, self._rng)
                if rate_limits >= policy.rate_limit_retries or (asked or 0.0) > policy.max_rate_limit_wait:
                    raise error_from_response(response, method, path, retries=retries, retry_after=asked)
                await self._wait(RetryEvent(method, path, "rate_limited", status, retries + 1, delay, asked))
                rate_limits += 1
                continue
            if status >= 500:
                self.stats.server_errors += 1
                if repeatable and failures < policy.max_retries:
                    delay = self._backoff(failures)
                    await self._wait(RetryEvent(method, path, "server_error", status, retries + 1, delay))
                    failures += 1
                    continue
            if status >= 400:
                raise error_from_response(
                    response, method, path, retries=retries, note=_note(status, repeatable, failures)
                )
            return _decode(response, method, path)

    async def iterate(
        self,
        list_method: Callable[..., Awaitable[Page[ItemT]]],
        /,
        **filters: Any,
    ) -> AsyncIterator[ItemT]:
        """Every record of a list, page after page (following `meta.next_page`).

        Example: `async for customer in client.iterate(client.list_customers, countries=["US"], per_page=100)`.
        """
        page: int | None = filters.pop("page", None) or 1
        seen: set[int] = set()
        while page is not None:
            if page in seen:
                raise LagoError(f"Lago pagination loops back to page {page}; stop and report it", status=200)
            seen.add(page)
            result = await list_method(page=page, **filters)
            for item in result.items:
                yield item
            page = result.meta.next_page

    def _backoff(self, failures: int) -> float:
        return self.retry_policy.backoff(failures, self._rng)

    async def _wait(self, event: RetryEvent) -> None:
        self.stats.record_retry(event)
        logger.info(
            "Lago %s on %s %s: retry %d in %.2fs", event.reason, event.method, event.path, event.retry, event.delay
        )
        if self.on_retry is not None:
            self.on_retry(event)
        await asyncio.sleep(event.delay)


def _note(status: int, repeatable: bool, failures: int) -> str | None:
    """What the user should know beyond the status: a write not repeated, or one that may have been applied."""
    if status >= 500 and not repeatable:
        return NOT_REPEATED
    if failures and status in _MAY_HIDE_SUCCESS:
        return MAYBE_APPLIED
    return None


def _decode(response: httpx.Response, method: str, path: str) -> dict[str, Any] | None:
    if not response.content.strip():
        return None
    try:
        data = response.json()
    except (jsonlib.JSONDecodeError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "unknown type")
        raise LagoError(
            f"Lago answered {method} {path} with {response.status_code} but a non-JSON body ({kind}); "
            "check that LAGO_API_URL points to the Lago API, not the web app",
            status=response.status_code,
            method=method,
            path=path,
        ) from None
    if not isinstance(data, dict):
        raise LagoError(
            f"Lago answered {method} {path} with a JSON {type(data).__name__}, expected an object; "
            "check that LAGO_API_URL points to the Lago API",
            status=response.status_code,
            method=method,
            path=path,
        )
    return data
