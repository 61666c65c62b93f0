"""`python -m evalkit.run` — runs every candidate over the question set and writes a CSV."""

from __future__ import annotations

import argparse
import asyncio
import csv
from pathlib import Path

from openai import AsyncOpenAI, AzureOpenAI

from . import judges, providers
from .config import DEFAULT_RUN

azure = AzureOpenAI(
    azure_endpoint="https://evalkit.openai.azure.com", azure_deployment="eval-gpt4o-mini", api_version="2024-10-21"
)


def ask_azure(prompt: str) -> str:
    out = azure.chat.completions.create(model="eval-gpt4o-mini", messages=[{"role": "user", "content": prompt}])
    return out.choices[0].message.content or ""


async def ask_many(prompts: list[str]) -> list[str]:
    async with AsyncOpenAI() as client:
        outs = await asyncio.gather(*[
            client.chat.completions.create(model=DEFAULT_RUN.candidate_model, messages=[{"role": "user", "content": p}],
                                           max_completion_tokens=DEFAULT_RUN.max_tokens)
            for p in prompts
        ])
    return [o.choices[0].message.content or "" for o in outs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", type=Path)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    questions = args.questions.read_text().splitlines()
    rows = []
    for question in questions:
        answers = {
            "together": providers.ask_together(question),
            "local": providers.ask_ollama(question),
            "azure": ask_azure(question),
        }
        if args.model:
            answers["custom"] = providers.ask_any(args.model, question)
        verdicts = {name: judges.grade(question, text).score for name, text in answers.items()}
        rows.append({"question": question, **verdicts})
    batch = asyncio.run(ask_many(questions))
    with open("out/results.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(batch)} async answers")


if __name__ == "__main__":
    main()
