"""Celery tasks that enrich articles after they are saved."""

from __future__ import annotations

import json

import boto3
from celery import shared_task
from django.conf import settings

from . import llm
from .llm import TAGGING_MODEL, anthropic_client, bedrock_claude, bedrock_runtime, co, groq, mistral
from .models import Article, Headline, Translation

s3 = boto3.client("s3")
sqs = boto3.client("sqs", region_name=settings.AWS_REGION)


@shared_task(bind=True, max_retries=3)
def write_headlines(self, article_id: int) -> list[str]:
    article = Article.objects.get(pk=article_id)
    message = anthropic_client.messages.create(
        model=settings.HEADLINE_MODEL,
        max_tokens=200,
        system="Write three alternative headlines, one per line.",
        messages=[{"role": "user", "content": article.body[:8000]}],
    )
    lines = [line.strip() for line in message.content[0].text.splitlines() if line.strip()]
    for line in lines:
        Headline.objects.create(article=article, text=line, model=settings.HEADLINE_MODEL)
    return lines


@shared_task
def summarise(article_id: int) -> None:
    article = Article.objects.get(pk=article_id)
    response = bedrock_runtime.converse(
        modelId=settings.BEDROCK_SUMMARY_MODEL,
        messages=[{"role": "user", "content": [{"text": article.body}]}],
        inferenceConfig={"maxTokens": 300, "temperature": 0.2},
        requestMetadata={"task": "summarise", "article": str(article_id)},
    )
    article.summary = response["output"]["message"]["content"][0]["text"]
    article.save(update_fields=["summary"])
    embed_article.delay(article_id)


@shared_task
def embed_article(article_id: int) -> None:
    article = Article.objects.get(pk=article_id)
    response = bedrock_runtime.invoke_model(
        modelId=llm.TITAN_EMBED,
        body=json.dumps({"inputText": article.summary or article.body[:4000]}),
        contentType="application/json",
    )
    vector = json.loads(response["body"].read())["embedding"]
    s3.put_object(Bucket=settings.MEDIA_BUCKET, Key=f"vectors/{article_id}.json", Body=json.dumps(vector))
    sqs.send_message(QueueUrl="https://sqs.us-east-1.amazonaws.com/123/indexer", MessageBody=str(article_id))


@shared_task
def fact_check(article_id: int) -> str:
    article = Article.objects.get(pk=article_id)
    msg = bedrock_claude.messages.create(
        model="anthropic.claude-3-5-sonnet-20240620-v1:0",
        max_tokens=800,
        messages=[{"role": "user", "content": f"List factual claims needing verification:\n{article.body}"}],
    )
    return msg.content[0].text


@shared_task
def translate(article_id: int, language: str) -> None:
    article = Article.objects.get(pk=article_id)
    result = mistral.chat.complete(
        model=llm.TRANSLATION_MODEL,
        messages=[{"role": "user", "content": f"Translate to {language}:\n{article.body}"}],
        max_tokens=4000,
    )
    Translation.objects.create(article=article, language=language, body=result.choices[0].message.content)


@shared_task
def tag(article_id: int) -> list[str]:
    article = Article.objects.get(pk=article_id)
    completion = groq.chat.completions.create(
        model=TAGGING_MODEL,
        messages=[{"role": "user", "content": f"Comma-separated topic tags for:\n{article.title}"}],
        max_tokens=50,
    )
    return (completion.choices[0].message.content or "").split(",")


@shared_task
def rank_related(article_id: int, candidates: list[str]) -> list[int]:
    article = Article.objects.get(pk=article_id)
    reranked = co.rerank(model=llm.RERANK_MODEL, query=article.title, documents=candidates, top_n=5)
    return [r.index for r in reranked.results]


@shared_task
def write_teaser(article_id: int) -> str:
    article = Article.objects.get(pk=article_id)
    response = co.chat(model="command-r-plus-08-2024", messages=[{"role": "user", "content": article.body[:3000]}])
    return response.message.content[0].text


def enqueue_enrichment(article: Article) -> None:
    write_headlines.delay(article.pk)
    summarise.apply_async(args=[article.pk], countdown=10)
    for language in ("de", "fr"):
        translate.delay(article.pk, language)
