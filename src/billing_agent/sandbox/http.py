"""Request and response helpers shared by the sandbox's resource modules: Lago's envelopes and errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from billing_agent.sandbox.store import Org, Record, SandboxStore

DEFAULT_PER_PAGE = 100

_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class LagoError(Exception):
    """Raised by handlers; rendered as Lago's JSON error envelope."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        details: dict[str, list[str]] | None = None,
        message: str = "",
    ) -> None:
        super().__init__(message or code or str(status))
        self.status = status
        self.code = code
        self.details = details
        self.message = message

    def body(self) -> dict[str, Any]:
        """The JSON body Lago sends for this error."""
        if self.status == 400:
            return {"status": 400, "error": f"BadRequest: {self.message or self.code or 'bad request'}"}
        body: dict[str, Any] = {"status": self.status, "error": _REASONS.get(self.status, "Error")}
        if self.code:
            body["code"] = self.code
        if self.details is not None:
            body["error_details"] = self.details
        return body


def not_found(resource: str) -> LagoError:
    """404 `<resource>_not_found`."""
    return LagoError(404, f"{resource}_not_found")


def validation_error(**details: list[str]) -> LagoError:
    """422 `validation_errors` with per-field codes, e.g. `validation_error(email=["invalid_format"])`."""
    return LagoError(422, "validation_errors", dict(details))


def not_allowed(code: str) -> LagoError:
    """405 with a lifecycle code such as `not_voidable` or `invalid_status`."""
    return LagoError(405, code)


def bad_request(message: str) -> LagoError:
    """400 `BadRequest: <message>`."""
    return LagoError(400, message=message)


def ok(payload: dict[str, Any], status: int = 200) -> JSONResponse:
    """A JSON response."""
    return JSONResponse(payload, status_code=status)


def empty_ok() -> Response:
    """200 with an empty body (Lago's answer to e.g. `retry_payment`)."""
    return Response(status_code=200)


class Ctx:
    """What a handler needs: the request, its organization and the store."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.org: Org = request.state.org
        self.store: SandboxStore = request.app.state.sandbox.store

    @property
    def org_id(self) -> str:
        return self.org.id

    def path(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def query(self, name: str, default: str | None = None) -> str | None:
        """A scalar query parameter."""
        value = self.request.query_params.get(name)
        return value if value not in (None, "") else default

    def query_list(self, name: str) -> list[str]:
        """A Rails-style array filter: `name[]=a&name[]=b` (also accepts `name=a,b`)."""
        values = [v for v in self.request.query_params.getlist(f"{name}[]") if v != ""]
        if not values:
            single = self.request.query_params.get(name)
            if single:
                values = [v for v in single.split(",") if v]
        return values

    def query_bool(self, name: str) -> bool | None:
        """A boolean query parameter (`true`/`false`), None when absent."""
        value = self.query(name)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise bad_request(f"{name} must be true or false")

    def query_int(self, name: str) -> int | None:
        """An integer query parameter, None when absent."""
        value = self.query(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"{name} must be an integer") from None

    async def body(self) -> dict[str, Any]:
        """The JSON body as an object (400 when it is not JSON)."""
        raw = await self.request.body()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            raise bad_request("request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise bad_request("request body must be a JSON object")
        return data

    async def envelope(self, root: str) -> dict[str, Any]:
        """The object under `root` in the body, e.g. `{"customer": {...}}` (400 when missing)."""
        body = await self.body()
        inner = body.get(root)
        if not isinstance(inner, dict):
            raise bad_request(f"param is missing or the value is empty: {root}")
        return inner


def paginate(ctx: Ctx, items: Sequence[Record]) -> tuple[list[Record], dict[str, Any]]:
    """Cut `items` to the requested `page` / `per_page` and build Lago's `meta`."""
    page = max(ctx.query_int("page") or 1, 1)
    per_page = ctx.query_int("per_page") or DEFAULT_PER_PAGE
    if per_page < 1:
        raise bad_request("per_page must be positive")
    total = len(items)
    total_pages = (total + per_page - 1) // per_page
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    if total == 0:
        meta = {"current_page": 0, "next_page": None, "prev_page": None, "total_pages": 0, "total_count": 0}
    else:
        meta = {
            "current_page": page,
            "next_page": page + 1 if page < total_pages else None,
            "prev_page": page - 1 if page > 1 else None,
            "total_pages": total_pages,
            "total_count": total,
        }
    return chunk, meta


def list_response(
    ctx: Ctx, plural: str, items: Iterable[Record], render: Callable[[Record], Record] | None = None
) -> JSONResponse:
    """`{"<plural>": [...], "meta": {...}}` for one page of `items`."""
    page, meta = paginate(ctx, list(items))
    rendered = [render(item) for item in page] if render else page
    return ok({plural: rendered, "meta": meta})
