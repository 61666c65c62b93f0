"""Client factories. Jobs call these instead of constructing SDK clients themselves."""

from __future__ import annotations

import os

from anthropic import Anthropic, AnthropicBedrock, AnthropicVertex
from google import genai

from .config import BEDROCK_REGION, CONFIG


def make_anthropic() -> Anthropic:
    return Anthropic(
        api_key=os.environ["ANTHROPIC_API_KEY"],
        max_retries=5,
        default_headers={"X-Oberhahn-Use-Case": "nightly-digest"},
    )


def make_bedrock_claude() -> AnthropicBedrock:
    return AnthropicBedrock(aws_region=BEDROCK_REGION)


def make_vertex_claude() -> AnthropicVertex:
    return AnthropicVertex(project_id=CONFIG.vertex_project, region="europe-west1")


gemini = genai.Client(api_key=os.environ.get("GEMINI_API_KEY"))
