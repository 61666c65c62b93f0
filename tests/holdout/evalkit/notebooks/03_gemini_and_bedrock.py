# %% [markdown]
# # Gemini and Bedrock candidates

# %%
import json

import boto3
from google import genai
from google.genai import types

from evalkit.config import DEFAULT_RUN

client = genai.Client()
session = boto3.Session(profile_name="eval")
runtime = session.client("bedrock-runtime", region_name="us-west-2")
BEDROCK_MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0"

# %%
chat = client.chats.create(model="gemini-2.5-flash", config=types.GenerateContentConfig(max_output_tokens=300))
for q in ["What is a refund window?", "Can I change plans mid-cycle?"]:
    print(chat.send_message(q).text)

# %%
for chunk in client.models.generate_content_stream(model="gemini-2.5-pro", contents="Write a haiku about latency."):
    print(chunk.text, end="")
emb = client.models.embed_content(model="gemini-embedding-001", contents=["refund", "chargeback"])

# %%
models = [m.name for m in client.models.list()]
print(len(models))

# %%
stream = runtime.converse_stream(
    modelId=BEDROCK_MODEL,
    messages=[{"role": "user", "content": [{"text": "Summarise our refund policy."}]}],
    inferenceConfig={"maxTokens": DEFAULT_RUN.max_tokens},
)
for event in stream["stream"]:
    if "contentBlockDelta" in event:
        print(event["contentBlockDelta"]["delta"]["text"], end="")

# %%
body = {"prompt": "<s>[INST] Classify sentiment: great service [/INST]", "max_tokens": 20}
resp = runtime.invoke_model(modelId="mistral.mistral-7b-instruct-v0:2", body=json.dumps(body))
print(json.loads(resp["body"].read()))
