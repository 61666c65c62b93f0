"""Legacy Vertex AI path (pre google-genai), still used for the EU tenants' executive summary."""

from __future__ import annotations

import os

import vertexai
from vertexai.generative_models import GenerationConfig, GenerativeModel

from ..clients import make_vertex_claude
from ..config import CONFIG

EXEC_MODEL = "gemini-1.5-pro-002"


def executive_summary(digests: list[str]) -> str:
    vertexai.init(project=CONFIG.vertex_project, location=CONFIG.vertex_location)
    model = GenerativeModel(
        EXEC_MODEL,
        system_instruction="You write executive summaries for a VP of Customer Success.",
        generation_config=GenerationConfig(max_output_tokens=1200, temperature=0.3),
        labels=CONFIG.labels,
    )
    response = model.generate_content("\n\n".join(digests), labels={"section": "executive"})
    return response.text


def follow_up_questions(summary: str) -> list[str]:
    model = GenerativeModel(model_name="gemini-1.5-flash-002", labels={"team": "customer-success"})
    chat = model.start_chat()
    answer = chat.send_message(f"List three follow-up questions about: {summary}")
    return [line.strip("- ") for line in answer.text.splitlines() if line.strip()]


def claude_on_vertex(summary: str) -> str:
    client = make_vertex_claude()
    message = client.messages.create(
        model="claude-3-5-sonnet-v2@20241022",
        max_tokens=600,
        messages=[{"role": "user", "content": f"Critique this summary: {summary}"}],
    )
    return message.content[0].text


def tenant_language_check(digest: str) -> str:
    """Checks the digest is in the tenant's language; the model is pinned per environment."""
    model = GenerativeModel(os.environ.get("VERTEX_LANG_MODEL", "gemini-1.5-flash-001"), labels=CONFIG.labels)
    return model.generate_content(f"Which language is this? Answer with an ISO code.\n{digest}").text.strip()
