"""Serve the sandbox over real HTTP: in a background thread (tests, embedded use) or in the foreground (CLI)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

from billing_agent.sandbox.admin import is_loopback, new_admin_key


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class SandboxServer:
    """Run an app under uvicorn in a daemon thread; `url` is its base (`http://127.0.0.1:PORT`).

    Use as a context manager (sync or async); `start()`/`stop()` also work. On a non-loopback host the
    app's admin routes get a random admin key unless it has one (`admin_key`).
    """

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.app = app
        self.host = host
        sandbox = getattr(app.state, "sandbox", None)
        if sandbox is not None and sandbox.admin_key is None and not is_loopback(host):
            sandbox.admin_key = new_admin_key()
        self.port = port or free_port(host)
        config = uvicorn.Config(app, host=host, port=self.port, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def admin_key(self) -> str | None:
        """The key `/_sandbox/*` needs (`X-Sandbox-Admin-Key`), None when it needs none."""
        sandbox = getattr(self.app.state, "sandbox", None)
        key = getattr(sandbox, "admin_key", None)
        return key if isinstance(key, str) else None

    @property
    def url(self) -> str:
        """Base URL of the server (without `/api/v1`)."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Base URL of the Lago API (`…/api/v1`)."""
        return f"{self.url}/api/v1"

    def start(self, timeout: float = 10.0) -> SandboxServer:
        """Start serving; returns once the port accepts connections."""
        self._thread = threading.Thread(target=self._server.run, name=f"sandbox:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"sandbox server failed to start on {self.url}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"sandbox server did not start on {self.url} within {timeout}s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        if self._thread:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> SandboxServer:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
