"""The copilot's own registry of which models sales-ops approved, stored in Postgres (SQLAlchemy)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class GenerativeModel(Base):
    """A row per approved model; `vendor` and `name` mirror the provider's identifiers."""

    __tablename__ = "generative_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))


def approve(session: Session, vendor: str, name: str) -> GenerativeModel:
    row = GenerativeModel(vendor=vendor, name=name)
    session.add(row)
    session.commit()
    return row


def seed(session: Session) -> None:
    session.add_all([
        GenerativeModel(vendor="google", name="gemini-1.5-pro-002"),
        GenerativeModel(vendor="openai", name="gpt-4o"),
    ])
    session.commit()
