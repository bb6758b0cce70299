"""Every sandbox operation answers what Lago's official OpenAPI spec documents (status and body).

Each case (see `cases_billing.py`, `cases_catalog.py`) sends a real request over HTTP to a demo-seeded
sandbox and validates the response with openapi-core against the spec (`spec.py` lists the few documented
spec corrections). Cases pick their targets through the API, so they do not depend on one another's order.
Meta-tests make sure every sandbox route has a success case, a 404 case where the spec documents one, and
exists in the spec.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from openapi_core import OpenAPI
from starlette.routing import Route

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from billing_agent.sandbox.app import API_PREFIX
from billing_agent.sandbox.resources import ROUTES
from tests.sandbox import cases_billing, cases_catalog
from tests.sandbox.conformance import CASES, Api, Case
from tests.sandbox.spec import (
    SPEC_CORRECTIONS,
    load_spec,
    normalize_path,
    published_spec,
    spec_operations,
    validate_exchange,
)

CASE_MODULES = (cases_billing, cases_catalog)
CONFORMANCE_CUSTOMERS = 60
TLS = ssl.create_default_context()
"""Built once: an httpx client per test would otherwise load the CA bundle every time."""


# fixtures and tests ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lago_spec(openapi_spec_path: Path) -> OpenAPI:
    """The official spec, read once for the module (with the corrections of `spec.py`)."""
    return load_spec(openapi_spec_path)


@pytest.fixture(scope="module")
def conformance_server() -> Iterator[SandboxServer]:
    """A demo-seeded sandbox that the cases of this module change as they go."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=CONFORMANCE_CUSTOMERS)) as server:
        yield server


@pytest.fixture
async def api(conformance_server: SandboxServer) -> AsyncIterator[Api]:
    """A client of the conformance sandbox authenticated as the demo org."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with httpx.AsyncClient(base_url=conformance_server.api_url, headers=headers, verify=TLS) as client:
        yield Api(client)


def _route_pattern(route: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(API_PREFIX) + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(route)) + "$")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.route} {c.status} {c.label}")
async def test_response_matches_the_spec(case: Case, api: Api, lago_spec: OpenAPI) -> None:
    response = await case.send(api)
    assert response.request.method == case.method
    assert _route_pattern(case.route).match(response.request.url.path), response.request.url.path
    assert response.status_code == case.status, response.text[:500]
    validate_exchange(lago_spec, response)


def _sandbox_operations() -> set[tuple[str, str]]:
    return {
        (method, normalize_path(route.path.removeprefix(API_PREFIX)))
        for route in ROUTES
        if isinstance(route, Route) and route.path.startswith(API_PREFIX)
        for method in (route.methods or set()) - {"HEAD"}
    }


def _covered(statuses: Callable[[int], bool]) -> set[tuple[str, str]]:
    return {(c.method, normalize_path(c.route)) for c in CASES if statuses(c.status)}


def test_every_sandbox_operation_has_a_success_case() -> None:
    missing = _sandbox_operations() - _covered(lambda status: status < 300)
    assert not missing, f"sandbox routes without a conformance case: {sorted(missing)}"


def test_every_case_targets_a_sandbox_operation() -> None:
    unknown = _covered(lambda status: True) - _sandbox_operations()
    assert not unknown, f"cases for routes the sandbox does not serve: {sorted(unknown)}"


def test_every_sandbox_operation_is_in_the_spec(openapi_spec_path: Path) -> None:
    undocumented = _sandbox_operations() - set(spec_operations(openapi_spec_path))
    assert not undocumented, f"sandbox routes the Lago spec does not document: {sorted(undocumented)}"


def test_documented_not_found_answers_have_a_case(openapi_spec_path: Path) -> None:
    operations = spec_operations(openapi_spec_path)
    needs_404 = {op for op in _sandbox_operations() if 404 in operations.get(op, set()) and "{}" in op[1]}
    missing = needs_404 - _covered(lambda status: status == 404)
    assert not missing, f"routes whose documented 404 has no case: {sorted(missing)}"


def test_spec_corrections_each_change_the_spec(openapi_spec_path: Path) -> None:
    pristine = published_spec(openapi_spec_path)
    for correction in SPEC_CORRECTIONS:
        assert correction.reason.strip(), correction.where
        spec = published_spec(openapi_spec_path)
        correction.apply(spec)
        assert spec != pristine, f"correction {correction.where!r} no longer changes the spec; remove it"
