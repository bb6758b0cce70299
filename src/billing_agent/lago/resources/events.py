"""Usage events: send one or a batch, get, list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from billing_agent.lago.models import Event
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

MAX_BATCH_EVENTS = 100


class EventsMixin(ResourceClient):
    """Event operations (events are addressed by `transaction_id`).

    Sending is not retried after a 5xx: a repeat of an applied event answers 422 `value_already_exist`.
    """

    async def create_event(self, event: Mapping[str, Any]) -> Event:
        """Send one usage event (`transaction_id`, `external_subscription_id`, `code`, `timestamp`, `properties`)."""
        require_fields(event, "event", "transaction_id", "code")
        return await self._one(Event, "event", "POST", "/events", json={"event": as_body(event, "event")})

    async def send_events_batch(self, events: Sequence[Mapping[str, Any]]) -> list[Event]:
        """Send up to 100 usage events in one request."""
        if isinstance(events, Mapping | str) or not events:
            raise ValueError("events must be a non-empty list of event dicts")
        if len(events) > MAX_BATCH_EVENTS:
            raise ValueError(
                f"Lago accepts at most {MAX_BATCH_EVENTS} events per batch (got {len(events)}); split the list"
            )
        bodies = []
        for index, event in enumerate(events):
            require_fields(event, f"events[{index}]", "transaction_id", "code")
            bodies.append(as_body(event, f"events[{index}]"))
        return await self._many(Event, "events", "POST", "/events/batch", json={"events": bodies})

    async def get_event(self, transaction_id: str) -> Event:
        """The event with this `transaction_id`."""
        path = f"/events/{seg(transaction_id, 'transaction_id', 'txn_0001')}"
        return await self._one(Event, "event", "GET", path)

    async def list_events(
        self,
        *,
        external_subscription_id: str | None = None,
        code: str | None = None,
        timestamp_from: datetime | str | None = None,
        timestamp_to: datetime | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Event]:
        """One page of events."""
        filters = {
            "external_subscription_id": external_subscription_id,
            "code": code,
            "timestamp_from": timestamp_from,
            "timestamp_to": timestamp_to,
        }
        return await self._page(Event, "events", "/events", filters, page, per_page)
