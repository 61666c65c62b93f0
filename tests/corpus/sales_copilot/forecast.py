"""Pipeline-forecast commentary: Vertex Gemini for the weekly deck, google-genai for ad-hoc questions."""

from __future__ import annotations

import google.generativeai as legacy_genai
import vertexai
from google import genai
from google.genai import types
from vertexai.preview.generative_models import GenerativeModel as PreviewModel
from vertexai.generative_models import GenerativeModel

from .config import Models, config

vertexai.init(project=config.gcp_project, location=config.gcp_region)

DECK_LABELS = {"team": "sales-ops", "use_case": "forecast-deck"}


def deck_commentary(table: str) -> str:
    model = GenerativeModel(Models.FORECAST_VERTEX, labels=DECK_LABELS)
    return model.generate_content(f"Comment on this pipeline table:\n{table}",
                                  generation_config={"max_output_tokens": 600}).text


def risk_flags(table: str) -> str:
    model = PreviewModel("gemini-1.5-flash-002", generation_config={"max_output_tokens": 300})
    return model.generate_content(f"List deals at risk:\n{table}").text


async def ask_forecast(question: str, table: str) -> str:
    client = genai.Client(vertexai=True, project=config.gcp_project, location=config.gcp_region)
    response = await client.aio.models.generate_content(
        model=config.gemini_model,
        contents=[table, question],
        config=types.GenerateContentConfig(max_output_tokens=500, labels={"use_case": "forecast-qa"}),
    )
    return response.text or ""


def quick_take(table: str) -> str:
    legacy_genai.configure()
    model = legacy_genai.GenerativeModel("gemini-1.5-flash-8b")
    return model.generate_content(f"One-sentence take:\n{table}").text
