"""Tools the agent may call. They hit internal HTTP services, not LLMs."""

from __future__ import annotations

import httpx
from langchain_core.tools import tool

JIRA_URL = "https://jira.internal.acme.io/rest/api/2/search"


@tool
def search_jira(query: str) -> str:
    """Search Jira issues by text; returns keys and titles."""
    response = httpx.get(JIRA_URL, params={"jql": f'text ~ "{query}"', "maxResults": 5}, timeout=10)
    response.raise_for_status()
    return "\n".join(f"{i['key']}: {i['fields']['summary']}" for i in response.json()["issues"])


@tool
def search_changelog(query: str) -> str:
    """Search the product changelog."""
    response = httpx.post("https://changelog.internal.acme.io/search", json={"q": query}, timeout=10)
    return response.text


TOOLS = [search_jira, search_changelog]
