"""Sandbox routes: logs (being written)."""

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
