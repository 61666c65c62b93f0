"""Outbound notifications: SMS, e-mail and payment follow-ups (no LLMs here)."""

from __future__ import annotations

import os

import stripe
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail
from twilio.rest import Client

from .settings import get_settings

stripe.api_key = os.environ.get("STRIPE_SECRET_KEY", "")
twilio = Client(os.environ["TWILIO_SID"], os.environ["TWILIO_TOKEN"])
sendgrid = SendGridAPIClient(os.environ.get("SENDGRID_API_KEY"))


def text_customer(phone: str, body: str) -> str:
    message = twilio.messages.create(to=phone, from_=get_settings().twilio_from, body=body)
    return message.sid


def email_transcript(to: str, transcript: str) -> int:
    mail = Mail(from_email="support@chatdesk.example", to_emails=to, subject="Your chat", plain_text_content=transcript)
    response = sendgrid.send(mail)
    return response.status_code


def refund(charge_id: str, amount: int) -> str:
    refund = stripe.Refund.create(charge=charge_id, amount=amount)
    return refund.id


def open_invoice(customer: str, price: str) -> str:
    stripe.InvoiceItem.create(customer=customer, price=price)
    invoice = stripe.Invoice.create(customer=customer, auto_advance=True)
    return invoice.id
