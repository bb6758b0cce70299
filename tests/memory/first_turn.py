"""Run the first turn of a conversation in its own process (used by the resume test): prints the thread id.

Usage: python first_turn.py DATABASE_URL LAGO_API_URL ORG_ID USER_ID MESSAGE
"""

from __future__ import annotations

import asyncio
import sys

from billing_agent.agent import create_agent
from billing_agent.cli.session import ChatSession
from billing_agent.graph import Context
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.memory import ConversationIndex, open_memory
from billing_agent.sandbox import DEMO_API_KEY
from billing_agent.settings import Settings
from billing_agent.tenancy import Principal
from billing_agent.tools.connect import InProcessServer


async def main(database_url: str, api_url: str, org_id: str, user_id: str, message: str) -> None:
    settings = Settings(BILLING_AGENT_DATABASE_URL=database_url)
    who = Principal(org_id=org_id, user_id=user_id)
    async with (
        open_memory(settings) as memory,
        create_agent(
            settings,
            model=OfflinePlanner(),
            checkpointer=memory.checkpointer,
            store=memory.store,
            mcp=InProcessServer(api_url=api_url, api_key=DEMO_API_KEY),
        ) as graph,
    ):
        session = ChatSession(graph, Context(principal=who), index=ConversationIndex(memory.store))
        result = await session.send(message)
    print(result.thread_id, "waiting" if result.request else "answered")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
