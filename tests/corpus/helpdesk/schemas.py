"""Request and response bodies of the public API."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Priority(str, Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketIn(BaseModel):
    subject: str = Field(max_length=300)
    body: str
    customer_email: str
    customer_phone: str | None = None


class TriageResult(BaseModel):
    category: str
    priority: Priority
    needs_human: bool
    reason: str


class DraftRequest(BaseModel):
    ticket_id: int
    tone: str = "friendly"
    #: Power users may pick a model from the admin UI; validated against an allow-list server side.
    model: str | None = None


class DraftOut(BaseModel):
    ticket_id: int
    text: str
    model: str
