"""Count what reaches Lago: an ASGI middleware on the sandbox that logs every request that may change data."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class _WriteLog:
    def __init__(self, app: Any, log: list[tuple[str, str]]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and scope["path"].startswith("/api/v1"):
            self.log.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def log_writes(app: Starlette) -> list[tuple[str, str]]:
    """Start logging the (method, path) of every non-read Lago API request `app` receives; returns the log."""
    log: list[tuple[str, str]] = []
    app.add_middleware(_WriteLog, log=log)
    return log
