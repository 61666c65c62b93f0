"""A LiteLLM Router with fallbacks for the bulk re-enrichment job."""

from __future__ import annotations

import os

from litellm import Router

model_list = [
    {
        "model_name": "bulk-summary",
        "litellm_params": {"model": "azure/gpt-4o-mini-bulk", "api_base": os.environ.get("AZURE_API_BASE"),
                           "api_version": "2024-08-01-preview", "rpm": 600},
    },
    {
        "model_name": "bulk-summary",
        "litellm_params": {"model": "gpt-4o-mini", "rpm": 300},
    },
]

router = Router(model_list=model_list, routing_strategy="usage-based-routing-v2", num_retries=3)


def bulk_summary(text: str) -> str:
    response = router.completion(
        model="bulk-summary",
        messages=[{"role": "user", "content": f"Summarise in 40 words: {text}"}],
        max_tokens=80,
    )
    return response.choices[0].message.content


async def bulk_summary_async(text: str) -> str:
    response = await router.acompletion(
        model="bulk-summary",
        messages=[{"role": "user", "content": f"Summarise in 40 words: {text}"}],
        max_tokens=80,
    )
    return response.choices[0].message.content
