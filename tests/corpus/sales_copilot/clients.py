"""Module-level clients shared by the copilot's handlers."""

from __future__ import annotations

import os

import boto3
from groq import Groq
from mistralai import Mistral
from openai import OpenAI

openai_client = OpenAI(project=os.environ.get("OPENAI_PROJECT", "proj_sales_copilot"))
groq_client = Groq()
mistral = Mistral(api_key=os.environ.get("MISTRAL_API_KEY", ""))
bedrock_runtime = boto3.Session(profile_name=os.environ.get("AWS_PROFILE", "sales")).client(
    "bedrock-runtime", region_name="us-east-1"
)
