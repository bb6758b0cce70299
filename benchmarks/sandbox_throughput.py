"""Requests per second of the demo sandbox served over real HTTP (uvicorn), for a simple GET and a list.

The sandbox runs under uvicorn in this process; the load comes from N keep-alive httpx clients in a second
process, so client and server do not share one interpreter lock. On a small machine the httpx clients, not
the sandbox, are usually the bottleneck: `*_server_cpu_ms` (CPU this process spent per request) shows the
sandbox's own cost.

Usage: `python benchmarks/sandbox_throughput.py [--seconds 3] [--clients 16] [--customers 1200]`.
The last line is machine-readable, e.g.
`get_rps=812 list_rps=240 errors=0 get_server_cpu_ms=0.26 list_server_cpu_ms=3.10 clients=16 seconds=3.0`.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import httpx

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

GET_PATH = "/customers/acme_corp"
LIST_PATH = "/invoices?per_page=20&payment_overdue=true"


@dataclass
class Tally:
    """Requests completed and failed during one measurement."""

    done: int = 0
    errors: int = 0


async def _worker(client: httpx.AsyncClient, path: str, deadline: float, tally: Tally) -> None:
    while time.perf_counter() < deadline:
        response = await client.get(path)
        if response.status_code == 200:
            tally.done += 1
        else:
            tally.errors += 1


async def measure(api_url: str, path: str, clients: int, seconds: float) -> tuple[float, int]:
    """Hit `path` with `clients` concurrent keep-alive clients for `seconds`; (requests/second, errors)."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    sessions = [httpx.AsyncClient(base_url=api_url, headers=headers, timeout=30) for _ in range(clients)]
    try:
        for session in sessions:
            await session.get(path)
        tally = Tally()
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(_worker(session, path, deadline, tally) for session in sessions))
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(session.aclose() for session in sessions))
    return tally.done / elapsed, tally.errors


def _measure_in_process(api_url: str, path: str, clients: int, seconds: float) -> tuple[float, int]:
    return asyncio.run(measure(api_url, path, clients, seconds))


def main() -> None:
    """Serve the demo sandbox, measure both paths, print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--customers", type=int, default=1200)
    args = parser.parse_args()
    app = create_sandbox_app(":memory:", seed="demo", customers=args.customers)
    load = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    with SandboxServer(app) as server, load:
        run = functools.partial(_measure_in_process, server.api_url, clients=args.clients, seconds=args.seconds)
        results = {}
        for name, path in (("get", GET_PATH), ("list", LIST_PATH)):
            cpu_before = time.process_time()
            rps, errors = load.submit(run, path).result()
            server_ms = (time.process_time() - cpu_before) * 1000 / max(rps * args.seconds, 1)
            results[name] = (rps, errors, server_ms)
            print(f"GET {path}: {rps:.0f} req/s, {errors} errors, {server_ms:.2f} ms server CPU per request")
    (get_rps, get_errors, get_ms), (list_rps, list_errors, list_ms) = results["get"], results["list"]
    print(
        f"get_rps={get_rps:.0f} list_rps={list_rps:.0f} errors={get_errors + list_errors} "
        f"get_server_cpu_ms={get_ms:.2f} list_server_cpu_ms={list_ms:.2f} clients={args.clients} seconds={args.seconds}"
    )


if __name__ == "__main__":
    main()
