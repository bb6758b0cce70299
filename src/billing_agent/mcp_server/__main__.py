"""`python -m billing_agent.mcp_server`: serve over stdio with LAGO_API_URL / LAGO_API_KEY from the environment."""

from __future__ import annotations

import asyncio
import sys

from billing_agent.mcp_server.server import create_mcp_server
from billing_agent.mcp_server.transports import run_stdio


def main() -> int:
    """Run the stdio server; a missing LAGO_API_URL is reported on stderr with exit code 2."""
    try:
        server = create_mcp_server()
    except ValueError as error:
        print(f"billing_agent.mcp_server: {error}", file=sys.stderr)
        return 2
    asyncio.run(run_stdio(server))
    return 0


if __name__ == "__main__":
    sys.exit(main())
