"""The agent knows its MCP servers' tools: at a session's first turn the runtime lists the tools of
each of the agent's servers with the session's vault credential; the offline model's ``/tools`` and
``/mcp <server>`` answer with them, and a server that cannot be listed is reported, not waited on."""

from __future__ import annotations

from app.runtime import mcp_tools
from app.runtime.store import Store
from tests.runtime.mcp_support import TOKEN, glossary_server
from tests.runtime.test_conformance_sdk import final, start_turn
from tests.runtime.test_mcp_tools import silent_server  # noqa: F401 (a fixture)

ALLOW = {"type": "always_allow"}
UNREACHABLE = "http://127.0.0.1:9/mcp"


def answer(events) -> str:
    return "".join(block.text for block in final(events, "agent.message").content)


def two_server_session(sdk, url: str):
    """A session of an agent with the glossary server (its credential in the session's vault), an
    unreachable one, a custom tool, and the built-in bash only."""
    vault = sdk.beta.vaults.create(display_name="keys")
    sdk.beta.vaults.credentials.create(vault.id, auth={"type": "static_bearer", "mcp_server_url": url, "token": TOKEN})
    agent = sdk.beta.agents.create(
        name="researcher",
        model="claude-sonnet-4-6",
        mcp_servers=[
            {"type": "url", "name": "glossary", "url": url},
            {"type": "url", "name": "gone", "url": UNREACHABLE},
        ],
        tools=[
            {
                "type": "agent_toolset_20260401",
                "default_config": {"enabled": False},
                "configs": [{"name": "bash", "enabled": True}],
            },
            {"type": "mcp_toolset", "mcp_server_name": "glossary", "default_config": {"permission_policy": ALLOW}},
            {"type": "mcp_toolset", "mcp_server_name": "gone"},
            {"type": "custom", "name": "lookup", "description": "Look a word up", "input_schema": {"type": "object"}},
        ],
    )
    env = sdk.beta.environments.create(name="box")
    return sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=[vault.id])


def test_tools_lists_the_builtin_custom_and_each_mcp_servers_tools(live_sdk):
    with glossary_server() as url:
        session = two_server_session(live_sdk, url)
        _, events = start_turn(live_sdk, session.id, "/tools")
        text = answer(events)
        assert "**Built-in:** `bash`." in text
        assert "- `lookup`: Look a word up" in text
        assert "**MCP server `glossary`:**\n- `define`: Define a word of the glossary." in text
        assert f"**MCP server `gone`:**\nunavailable: MCP server at {UNREACHABLE} is not reachable" in text

        _, events = start_turn(live_sdk, session.id, "/mcp glossary")
        assert answer(events) == "## Tools of MCP server `glossary`\n\n- `define`: Define a word of the glossary."
        _, events = start_turn(live_sdk, session.id, "/mcp nowhere")
        assert answer(events) == "This agent has no MCP server called `nowhere`. Its MCP servers: `glossary`, `gone`."
        _, events = start_turn(live_sdk, session.id, '/mcp glossary define {"word": "vault"}')
        assert final(events, "agent.mcp_tool_result").is_error is False


def test_without_the_credential_the_listing_says_the_server_refused(live_sdk):
    with glossary_server() as url:
        agent = live_sdk.beta.agents.create(
            name="bare",
            model="claude-sonnet-4-6",
            mcp_servers=[{"type": "url", "name": "glossary", "url": url}],
            tools=[{"type": "mcp_toolset", "mcp_server_name": "glossary"}],
        )
        env = live_sdk.beta.environments.create(name="box")
        session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
        _, events = start_turn(live_sdk, session.id, "/mcp glossary")
        assert "unavailable: " in answer(events) and "refused the request (HTTP 401)" in answer(events)


async def test_a_server_that_never_answers_is_reported_within_the_deadline(tmp_path, silent_server):  # noqa: F811
    store = Store(tmp_path / "db.sqlite3")
    agent = {"mcp_servers": [{"type": "url", "name": "slow", "url": silent_server}]}
    try:
        listed = await mcp_tools.catalog(store, agent, {}, {"type": "unrestricted"}, deadline=0.5)
    finally:
        store.close()
    assert list(listed) == ["slow"]
    assert listed["slow"].startswith(f"MCP server at {silent_server} did not answer within")
