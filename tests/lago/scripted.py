"""A scripted Lago look-alike served over real HTTP, for failures the sandbox cannot produce on demand.

Each route answers from a queue of canned responses (the last one repeats) and records what it received.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Canned:
    """One scripted answer."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Received:
    """One request the scripted server saw."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class ScriptedLago:
    """A Starlette app under `/api/v1/{path}` whose answers are scripted per `METHOD /path`."""

    def __init__(self) -> None:
        self.scripts: dict[str, deque[Canned]] = defaultdict(deque)
        self.received: list[Received] = []
        self.app = Starlette(
            routes=[Route("/api/v1/{rest:path}", self._answer, methods=["GET", "POST", "PUT", "DELETE"])]
        )

    def script(self, key: str, *answers: Canned) -> None:
        """Queue answers for `key` (`"GET /customers"`); the last one keeps being served."""
        self.scripts[key].extend(answers)

    def count(self, key: str) -> int:
        """How many requests `key` received."""
        return sum(1 for r in self.received if f"{r.method} {r.path}" == key)

    async def _answer(self, request: Request) -> Response:
        path = "/" + request.path_params["rest"]
        key = f"{request.method} {path}"
        self.received.append(
            Received(request.method, path, request.url.query, dict(request.headers), await request.body())
        )
        queue = self.scripts.get(key)
        if not queue:
            return Response(b"no script for " + key.encode(), status_code=599, media_type="text/plain")
        canned = queue.popleft() if len(queue) > 1 else queue[0]
        if canned.delay:
            await asyncio.sleep(canned.delay)
        return Response(canned.body, status_code=canned.status, headers=canned.headers, media_type=canned.content_type)
