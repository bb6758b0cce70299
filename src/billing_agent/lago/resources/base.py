"""What every resource mixin builds on: `request` plus envelope helpers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, TypeVar

from billing_agent.lago.errors import LagoError
from billing_agent.lago.models.base import LagoModel
from billing_agent.lago.pagination import Page, PageMeta
from billing_agent.lago.params import segment

ModelT = TypeVar("ModelT", bound=LagoModel)


class ResourceClient(ABC):
    """The transport-facing half of `LagoClient`, shared by the resource mixins."""

    @abstractmethod
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> dict[str, Any] | None:
        """Send one request (with retries) and return the decoded JSON object, None for an empty body."""

    async def _one(
        self,
        model: type[ModelT],
        root: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> ModelT:
        """Request a single record enveloped as `{root: {...}}`."""
        data = await self.request(method, path, params=params, json=json, idempotent=idempotent)
        return model.model_validate(_field(data, root, method, path, dict))

    async def _one_or_none(
        self, model: type[ModelT], root: str, method: str, path: str, *, idempotent: bool | None = None
    ) -> ModelT | None:
        """Like `_one`, but an empty 200 body gives None (Lago's answer while work is in progress)."""
        data = await self.request(method, path, idempotent=idempotent)
        if data is None:
            return None
        return model.model_validate(_field(data, root, method, path, dict))

    async def _many(
        self,
        model: type[ModelT],
        root: str,
        method: str,
        path: str,
        *,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> list[ModelT]:
        """Request a plain list enveloped as `{root: [...]}` (no pagination)."""
        data = await self.request(method, path, json=json, idempotent=idempotent)
        return [model.model_validate(item) for item in _field(data, root, method, path, list)]

    async def _page(
        self,
        model: type[ModelT],
        root: str,
        path: str,
        filters: Mapping[str, Any],
        page: int | None,
        per_page: int | None,
    ) -> Page[ModelT]:
        """GET one page of a list enveloped as `{root: [...], "meta": {...}}`."""
        if page is not None and page < 1:
            raise ValueError(f"page must be >= 1 (got {page}); pages are numbered from 1")
        if per_page is not None and per_page < 1:
            raise ValueError(f"per_page must be >= 1 (got {per_page})")
        params = {**filters, "page": page, "per_page": per_page}
        data = await self.request("GET", path, params=params)
        items = [model.model_validate(item) for item in _field(data, root, "GET", path, list)]
        meta = PageMeta.model_validate((data or {}).get("meta") or {})
        return Page[model](items=items, meta=meta)  # type: ignore[valid-type]


def seg(value: str, name: str, example: str) -> str:
    """Shorthand for a checked, escaped path segment."""
    return segment(value, name, example)


def _field(data: dict[str, Any] | None, root: str, method: str, path: str, kind: type) -> Any:
    value = (data or {}).get(root)
    if not isinstance(value, kind):
        found = "an empty body" if data is None else f"keys {sorted(data)}"
        raise LagoError(
            f"Unexpected Lago response to {method} {path}: expected {root!r} ({kind.__name__}), got {found}; "
            "check that LAGO_API_URL points to a Lago API (…/api/v1)",
            status=200,
            method=method,
            path=path,
        )
    return value
