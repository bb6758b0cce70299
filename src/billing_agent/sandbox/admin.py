"""The sandbox admin key: `/_sandbox/*` (reset, faults, health) needs it when the sandbox listens beyond loopback."""

from __future__ import annotations

import ipaddress
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

ADMIN_KEY_HEADER = "X-Sandbox-Admin-Key"
_HOW = (
    f"send the sandbox admin key in the {ADMIN_KEY_HEADER} header (`billing-agent sandbox serve` prints it when "
    "the sandbox listens on a non-loopback host)"
)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_admin_key() -> str:
    """A fresh random admin key."""
    return secrets.token_urlsafe(24)


def admin_refusal(request: Request, admin_key: str | None) -> Response | None:
    """401 without the key, 403 with a wrong one, None when the request may use the admin routes."""
    if admin_key is None:
        return None
    given = request.headers.get(ADMIN_KEY_HEADER)
    if not given:
        body = {"status": 401, "error": "Unauthorized", "message": f"The sandbox admin routes are locked: {_HOW}."}
        return JSONResponse(body, status_code=401)
    if not secrets.compare_digest(given.encode(), admin_key.encode()):
        body = {"status": 403, "error": "Forbidden", "message": f"Wrong sandbox admin key: {_HOW}."}
        return JSONResponse(body, status_code=403)
    return None
