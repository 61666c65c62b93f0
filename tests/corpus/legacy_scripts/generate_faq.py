"""Generate FAQ entries from support macros (openai 0.28 API).

Usage: python -m legacy_scripts.generate_faq macros.csv > faq.md
"""

import asyncio
import csv
import sys

import openai

from .common import CHAT_MODEL, DEFAULT_ENGINE, EMBEDDING_MODEL


def faq_entry(macro):
    response = openai.ChatCompletion.create(
        model=CHAT_MODEL,
        messages=[
            {"role": "system", "content": "Turn this support macro into a FAQ question and answer."},
            {"role": "user", "content": macro},
        ],
        max_tokens=400,
        temperature=0.3,
    )
    return response["choices"][0]["message"]["content"]


def short_title(text):
    response = openai.Completion.create(engine=DEFAULT_ENGINE, prompt=f"Title for: {text}\nTitle:", max_tokens=16)
    return response["choices"][0]["text"].strip()


def embed(texts):
    response = openai.Embedding.create(model=EMBEDDING_MODEL, input=texts)
    return [row["embedding"] for row in response["data"]]


async def faq_entry_async(macro):
    response = await openai.ChatCompletion.acreate(
        model="gpt-4",
        messages=[{"role": "user", "content": f"FAQ entry for: {macro}"}],
        max_tokens=400,
    )
    return response["choices"][0]["message"]["content"]


def main(path):
    with open(path, newline="") as handle:
        macros = [row["text"] for row in csv.DictReader(handle)]
    for macro in macros:
        print(f"### {short_title(macro)}\n\n{faq_entry(macro)}\n")
    print(asyncio.run(faq_entry_async(macros[0])) if macros else "")


if __name__ == "__main__":
    main(sys.argv[1])
