"""HTTP API. Handlers stay thin: validation here, work in services."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI, HTTPException

from .llm import aclient
from .notifications import notify_customer_sms, post_escalation
from .schemas import DraftOut, DraftRequest, TicketIn, TriageResult
from .services.replies import ReplyDrafter
from .services.triage import triage
from .settings import Settings, get_settings

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/v1")
ALLOWED_DRAFT_MODELS = frozenset({"gpt-4o", "gpt-4o-mini", "gpt-4.1-mini"})


def get_drafter() -> ReplyDrafter:
    return ReplyDrafter(client=aclient)


@router.post("/tickets/triage", response_model=TriageResult)
def triage_ticket(ticket: TicketIn, cfg: Settings = Depends(get_settings)) -> TriageResult:
    result = triage(ticket)
    if result.priority.value == "urgent":
        post_escalation(cfg, f"Urgent ticket from {ticket.customer_email}: {ticket.subject}")
        if ticket.customer_phone:
            notify_customer_sms(cfg, ticket.customer_phone, "We got your request and are on it.")
    return result


@router.post("/drafts", response_model=DraftOut)
async def create_draft(request: DraftRequest, drafter: ReplyDrafter = Depends(get_drafter)) -> DraftOut:
    if request.model and request.model not in ALLOWED_DRAFT_MODELS:
        raise HTTPException(status_code=422, detail=f"model {request.model!r} is not allowed")
    text = await drafter.draft_with(f"ticket {request.ticket_id}", request.model or ReplyDrafter.MODEL)
    return DraftOut(ticket_id=request.ticket_id, text=text, model=request.model or ReplyDrafter.MODEL)


@router.post("/tickets/{ticket_id}/title")
async def suggest_title(ticket_id: int, body: DraftRequest) -> dict[str, str]:
    """Suggest a short title; the model is whatever the admin UI sent (validated above in the UI)."""
    completion = await aclient.chat.completions.create(
        model=body.model,
        messages=[{"role": "user", "content": f"Suggest a six-word title for ticket {ticket_id}."}],
        max_tokens=20,
    )
    return {"title": (completion.choices[0].message.content or "").strip()}


def create_app() -> FastAPI:
    app = FastAPI(title="helpdesk", version="2.4.1")
    app.include_router(router)
    return app
