"""Sandbox routes: customers (being written)."""

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
