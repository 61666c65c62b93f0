"""Editor-facing views."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from .llm import anthropic_client
from .models import Article
from .tasks import enqueue_enrichment


@require_POST
def publish(request: HttpRequest, article_id: int) -> JsonResponse:
    article = Article.objects.get(pk=article_id)
    enqueue_enrichment(article)
    return JsonResponse({"queued": True})


@require_POST
def rewrite_lede(request: HttpRequest, article_id: int) -> JsonResponse:
    article = Article.objects.get(pk=article_id)
    style = request.POST.get("style", "neutral")
    with anthropic_client.messages.stream(
        model="claude-3-7-sonnet-20250219",
        max_tokens=400,
        messages=[{"role": "user", "content": f"Rewrite the first paragraph in a {style} tone:\n{article.body}"}],
    ) as stream:
        text = stream.get_final_text()
    Article.objects.filter(pk=article_id).update(body=text + article.body)
    return JsonResponse({"lede": text})


@require_POST
def draft_from_notes(request: HttpRequest) -> JsonResponse:
    model = request.POST["model"]
    message = anthropic_client.messages.create(
        model=model, max_tokens=2000, messages=[{"role": "user", "content": request.POST["notes"]}]
    )
    article = Article.objects.create(title=request.POST["title"], body=message.content[0].text)
    return JsonResponse({"id": article.pk})
