"""Shared setup for the old scripts: module-level API key and defaults."""

import os

import openai

openai.api_key = os.getenv("OPENAI_API_KEY")
openai.organization = os.getenv("OPENAI_ORG", "org-acme-research")

DEFAULT_ENGINE = "text-davinci-003"
CHAT_MODEL = "gpt-3.5-turbo"
EMBEDDING_MODEL = "text-embedding-ada-002"
