"""Refunds and goodwill credits through Stripe, triggered from the agent console."""

from __future__ import annotations

import logging

import stripe

from .settings import settings

logger = logging.getLogger(__name__)
stripe.api_key = settings.stripe_api_key


def ensure_customer(email: str, name: str) -> str:
    existing = stripe.Customer.list(email=email, limit=1)
    if existing.data:
        return existing.data[0].id
    customer = stripe.Customer.create(email=email, name=name, metadata={"source": "helpdesk"})
    return customer.id


def goodwill_credit(customer_id: str, cents: int, ticket_id: int) -> str:
    intent = stripe.PaymentIntent.create(
        amount=cents,
        currency="usd",
        customer=customer_id,
        metadata={"ticket_id": str(ticket_id), "reason": "goodwill"},
    )
    logger.info("goodwill credit %s for ticket %s", intent.id, ticket_id)
    return intent.id
