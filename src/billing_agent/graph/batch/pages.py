"""Read every page of a list tool's selection: the first page alone, then the rest at once.

The first page gives Lago's `total_count`, so the pages still to come are known; they are read concurrently
(at most `concurrency` at a time, each under the rate limiter) and then taken in page order with the same checks
as a page-by-page walk. When Lago's `next_page` leads elsewhere than the pages read ahead (records were added or
removed meanwhile), the walk simply goes on from there.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.tools import BaseTool

from billing_agent.graph.batch.call import call_batch_tool
from billing_agent.graph.batch.errors import ResolveError
from billing_agent.graph.batch.limiter import RateLimiter
from billing_agent.graph.records import Records, extract_records


@dataclass(frozen=True)
class PageRead:
    """One page: its records and how many records of it the MCP server left out to fit its size budget."""

    found: Records
    left_out: int


@dataclass
class PagesRead:
    """All pages of one walk; `cut_to` is set when a page did not fit the result budget (walk again, smaller)."""

    kind: str = "records"
    records: list[dict[str, Any]] = field(default_factory=list)
    cut_to: int | None = None


class PageReader:
    """Calls one list tool for pages of one selection (same filters, given page size)."""

    def __init__(
        self,
        tools: Mapping[str, BaseTool],
        tool: str,
        filters: Mapping[str, Any],
        limiter: RateLimiter | None,
        concurrency: int = 1,
    ) -> None:
        self.tools, self.tool, self.filters, self.limiter = tools, tool, dict(filters), limiter
        self.concurrency = max(1, concurrency)

    async def read(self, page: int, size: int) -> PageRead:
        """One page (raises `ResolveError` when the tool fails or returns no list)."""
        if self.limiter is not None:
            await self.limiter.acquire()
        args = {**self.filters, "page": page, "per_page": size}
        outcome = await call_batch_tool(self.tools, self.tool, args, f"batch_{self.tool}_{page}")
        if not outcome.ok:
            raise ResolveError(f"Listing the targets failed: {outcome.text}")
        found = extract_records(self.tool, outcome.data)
        if found is None or found.single:
            raise ResolveError(f"{self.tool} returned no list of records; select targets with a list tool.")
        pagination = outcome.data.get("pagination") if isinstance(outcome.data, dict) else None
        left_out = pagination.get("left_out") if isinstance(pagination, dict) else None
        return PageRead(found, left_out if isinstance(left_out, int) else 0)

    async def read_many(self, pages: Iterable[int], size: int) -> dict[int, PageRead | BaseException]:
        """Several pages at once; a page that failed maps to its error (raised only if the walk reaches it)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(page: int) -> PageRead:
            async with gate:
                return await self.read(page, size)

        wanted = list(pages)
        results = await asyncio.gather(*(one(page) for page in wanted), return_exceptions=True)
        return dict(zip(wanted, results, strict=True))


class TooManyPages(ResolveError):
    """The selection holds more records than the batch may touch (`count` of them, or more)."""

    def __init__(self, kind: str, count: int) -> None:
        super().__init__(f"{count} {kind}")
        self.kind, self.count = kind, count


async def walk_pages(reader: PageReader, size: int, limit: int) -> PagesRead:
    """Every record of the selection in pages of `size`, or where a page was cut to the result budget.

    Raises:
        TooManyPages: Lago's total_count (or the records read) exceeds `limit`.
        ResolveError: a page could not be read, or the pages never end.
    """
    read = PagesRead()
    ahead: dict[int, PageRead | BaseException] = {}
    page: int | None = 1
    last_allowed = math.ceil(limit / size) + 2
    while page is not None:
        if page > last_allowed:
            raise ResolveError(f"{reader.tool} kept returning pages past {page - 1}; narrow the selection.")
        result = ahead.pop(page, None) or await reader.read(page, size)
        if isinstance(result, BaseException):
            raise result
        found = result.found
        read.kind = found.kind
        if found.total_count is not None and found.total_count > limit:
            raise TooManyPages(found.kind, found.total_count)
        if result.left_out:
            return PagesRead(kind=found.kind, cut_to=max(1, (len(found.items) * 9) // 10))
        read.records.extend(found.items)
        if len(read.records) > limit:
            raise TooManyPages(found.kind, len(read.records))
        page = found.next_page if found.items else None
        if page is not None and page not in ahead and found.total_count is not None:
            last = min(math.ceil(found.total_count / size), last_allowed)
            if last > page:
                ahead = await reader.read_many(range(page, last + 1), size)
    return read
