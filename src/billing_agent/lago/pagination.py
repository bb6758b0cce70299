"""Lago's paginated lists: `{"<plural>": [...], "meta": {...}}`."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

ItemT = TypeVar("ItemT", bound=BaseModel)


class PageMeta(BaseModel):
    """Lago's `meta` of a list (pages are 0 when the list is empty)."""

    model_config = ConfigDict(extra="allow")

    current_page: int = 0
    next_page: int | None = None
    prev_page: int | None = None
    total_pages: int = 0
    total_count: int = 0


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: its records (`items`) and Lago's pagination `meta`."""

    items: list[ItemT]
    meta: PageMeta
