"""Calls for Lago filters the typed client methods do not take yet, through the client's low-level `request`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from billing_agent.lago import LagoClient, LagoError, Page, PageMeta
from billing_agent.lago.models import LagoModel

ModelT = TypeVar("ModelT", bound=LagoModel)


def path_segment(value: str) -> str:
    """A URL-escaped path segment."""
    return quote(value, safe="")


async def fetch_page(
    lago: LagoClient,
    model: type[ModelT],
    plural: str,
    path: str,
    filters: Mapping[str, Any],
    page: int | None,
    per_page: int | None,
) -> Page[ModelT]:
    """One page of a Lago list with any query filters (None values dropped, lists sent Rails-style)."""
    params = {**filters, "page": page, "per_page": per_page}
    data = await lago.request("GET", path, params={k: v for k, v in params.items() if v is not None})
    items = _field(data, plural, path)
    meta = PageMeta.model_validate((data or {}).get("meta") or {})
    return Page[model](items=[model.model_validate(item) for item in items], meta=meta)  # type: ignore[valid-type]


async def fetch_one(
    lago: LagoClient, model: type[ModelT], root: str, path: str, params: Mapping[str, Any] | None = None
) -> ModelT:
    """One record answered as `{root: {...}}`."""
    query = {k: v for k, v in (params or {}).items() if v is not None}
    data = await lago.request("GET", path, params=query)
    return model.model_validate(_field(data, root, path))


def _field(data: dict[str, Any] | None, root: str, path: str) -> Any:
    if not data or root not in data:
        raise LagoError(f"Lago answered GET {path} without '{root}'", status=200, method="GET", path=path)
    return data[root]
