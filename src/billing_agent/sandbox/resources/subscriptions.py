"""Sandbox routes: subscriptions (being written)."""

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
