"""Monthly churn report through our Azure OpenAI resource (openai 0.28, api_type=azure)."""

import os

import openai

openai.api_type = "azure"
openai.api_base = os.environ.get("AZURE_OPENAI_ENDPOINT", "https://acme-eastus.openai.azure.com/")
openai.api_version = "2023-05-15"
openai.api_key = os.environ.get("AZURE_OPENAI_KEY")

REPORT_DEPLOYMENT = "gpt35-turbo-reports"


def narrate(table_markdown):
    response = openai.ChatCompletion.create(
        engine=REPORT_DEPLOYMENT,
        messages=[
            {"role": "system", "content": "You narrate churn tables for executives."},
            {"role": "user", "content": table_markdown},
        ],
        max_tokens=800,
    )
    return response["choices"][0]["message"]["content"]


def headline(table_markdown):
    response = openai.ChatCompletion.create(
        deployment_id="gpt4-reports",
        messages=[{"role": "user", "content": f"One-line headline:\n{table_markdown}"}],
        max_tokens=30,
    )
    return response["choices"][0]["message"]["content"]
