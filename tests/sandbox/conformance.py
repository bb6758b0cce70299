"""The conformance-case registry: a demo-org API helper and the `@case` decorator the case modules use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

Json = dict[str, Any]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


class Api:
    """A demo-org client with helpers to find seeded records to act on."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def items(self, path: str, root: str, params: list[tuple[str, str]] | None = None) -> list[Json]:
        response = await self.client.get(path, params=[("per_page", "500"), *(params or [])])
        assert response.status_code == 200, response.text[:300]
        items: list[Json] = response.json()[root]
        return items

    async def pick(
        self,
        path: str,
        root: str,
        where: Callable[[Json], bool] = lambda _: True,
        params: list[tuple[str, str]] | None = None,
    ) -> Json:
        for item in await self.items(path, root, params):
            if where(item):
                return item
        pytest.fail(f"the demo seed has no {root} at {path} {params or ''} matching the case's needs")

    async def invoice(self, where: Callable[[Json], bool], **filters: str) -> Json:
        return await self.pick("/invoices", "invoices", where, list(filters.items()))


Sender = Callable[[Api], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Case:
    """One request and the status Lago answers it with."""

    method: str
    route: str
    status: int
    send: Sender
    label: str


CASES: list[Case] = []


def case(method: str, route: str, status: int) -> Callable[[Sender], Sender]:
    """Register a conformance case for `method route` expecting `status`."""

    def register(send: Sender) -> Sender:
        CASES.append(Case(method, route, status, send, send.__name__.removeprefix("_")))
        return send

    return register
