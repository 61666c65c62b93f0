"""LLM clients for the newsroom; created once per worker process."""

from __future__ import annotations

import os

import boto3
import cohere
from anthropic import Anthropic, AnthropicBedrock
from django.conf import settings
from groq import Groq
from mistralai import Mistral

anthropic_client = Anthropic()
bedrock_claude = AnthropicBedrock(aws_region=settings.AWS_REGION)
bedrock_runtime = boto3.client("bedrock-runtime", region_name=settings.AWS_REGION)
co = cohere.ClientV2(api_key=os.environ.get("COHERE_API_KEY"))
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
groq = Groq()

TAGGING_MODEL = "llama-3.1-8b-instant"
RERANK_MODEL = "rerank-english-v3.0"
TITAN_EMBED = "amazon.titan-embed-text-v2:0"
TRANSLATION_MODEL = "mistral-large-latest"
