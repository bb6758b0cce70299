"""Sandbox routes: credit_notes (being written)."""

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
