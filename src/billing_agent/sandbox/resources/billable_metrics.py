"""Sandbox routes: billable_metrics (being written)."""

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
