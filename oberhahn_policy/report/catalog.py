"""The `models` listing: the merged price catalog for people (text) and programs (json), with the source of each row.

`select_models` is the filter behind `--search TEXT` and `--provider`; the JSON document is a
pydantic model so that its schema is published (`oberhahn-policy schema catalog`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..catalog import CatalogEntry, PriceCatalog
from ..pricing.library import our_provider
from ..pricing.rates import ListPrice, Rates, TieredRates
from ..published_schema import published_schema


def select_models(catalog: PriceCatalog, search: str | None = None, provider: str | None = None) -> tuple[CatalogEntry, ...]:
    """Entries whose id or an alias contains `search` (case-insensitive) and that `provider` sells (our id or the library's)."""
    wanted = our_provider(provider.strip().lower()) if provider else None
    needle = search.strip().lower() if search else None
    return tuple(m for m in catalog.models
                 if (wanted is None or m.provider == wanted)
                 and (needle is None or any(needle in name.lower() for name in m.names)))


# --- text ------------------------------------------------------------------------------------


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _retirement(model: CatalogEntry, today: date) -> str:
    if model.retires is None:
        return ""
    state = "retired" if model.retires <= today else "retires"
    return f"{state} {model.retires.isoformat()}" + (f" -> {model.successor}" if model.successor else "")


def _units(rates: Rates) -> str:
    """Non-token prices, for rows whose input/output columns are empty."""
    parts = []
    if rates.per_image is not None:
        parts.append(f"{rates.per_image:g}/image")
    if rates.per_audio_hour is not None:
        parts.append(f"{rates.per_audio_hour:g}/audio hour")
    if rates.per_million_characters is not None:
        parts.append(f"{rates.per_million_characters:g}/M chars")
    return ", ".join(parts)


def _origin(model: CatalogEntry) -> str:
    return "ours" if model.origin.endswith(".yaml") else "library"


def catalog_text(catalog: PriceCatalog, today: date, models: tuple[CatalogEntry, ...] | None = None) -> str:
    """A table of `models` (the whole catalog by default) at the prices in force on `today`."""
    shown = catalog.models if models is None else models
    headers = ("model", "provider", "mode", "input", "output", "cached", "batch in/out", "context", "from", "retirement")
    rows: list[tuple[str, ...]] = []
    for model in sorted(shown, key=lambda m: (m.provider, m.id)):
        price = model.price_on(today)
        base = price.standard.base
        batch = price.batch
        batch_text = f"{_price(batch.base.input_per_mtok)}/{_price(batch.base.output_per_mtok)}" if batch else "-"
        units = _units(base)
        rows.append((model.id, model.provider, model.mode, units or _price(base.input_per_mtok),
                     "" if units else _price(base.output_per_mtok), _price(base.cached_input_per_mtok), batch_text,
                     f"{model.context_window:,}" if model.context_window else "-", _origin(model), _retirement(model, today)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    right = {3, 4, 5, 6, 7}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    ours = sorted({m.origin for m in shown if _origin(m) == "ours"})
    lines = [f"Model price catalog as of {catalog.as_of.isoformat()}: USD per million tokens, prices in force on "
             f"{today.isoformat()} ({len(shown)} of {len(catalog.models)} models)",
             f"Sources: library = {catalog.library} snapshot; ours = {', '.join(ours) or 'oberhahn_policy/data'}; "
             "retirements from oberhahn_policy/data/retirements.yaml. `--format json` adds aliases, price history, "
             "tiers and the source of every row.", "",
             line(headers), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)]
    return "\n".join(lines) + "\n"


# --- json ------------------------------------------------------------------------------------


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CatalogRates(_Document):
    """Rates in USD (token rates per million tokens); absent when the source does not price the unit."""

    input_per_mtok: Optional[float] = None
    output_per_mtok: Optional[float] = None
    cached_input_per_mtok: Optional[float] = None
    cache_write_per_mtok: Optional[float] = None
    cache_write_1h_per_mtok: Optional[float] = None
    input_audio_per_mtok: Optional[float] = None
    output_audio_per_mtok: Optional[float] = None
    output_image_per_mtok: Optional[float] = None
    per_audio_hour: Optional[float] = None
    per_million_characters: Optional[float] = None
    per_image: Optional[float] = None


class CatalogLongContext(CatalogRates):
    above_input_tokens: int


class CatalogTier(CatalogRates):
    long_context: list[CatalogLongContext] = Field(default_factory=list)


class CatalogPrice(CatalogTier):
    """A price and the dates it is valid between (`until` is the first day it no longer applies)."""

    from_: Optional[str] = Field(default=None, alias="from")
    until: Optional[str] = None
    tiers: dict[str, CatalogTier] = Field(default_factory=dict, description="batch, flex, priority, fast")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CatalogRow(_Document):
    id: str
    provider: str
    mode: str
    aliases: list[str]
    context_window: Optional[int] = None
    max_output_tokens: Optional[int] = None
    prices: list[CatalogPrice]
    retires: Optional[str] = None
    successor: Optional[str] = None
    retirement_source: Optional[str] = None
    deprecated: bool
    origin: str = Field(description="`genai-prices VERSION` or the path of our data file the row comes from.")
    source: str


class CatalogDocument(_Document):
    """`oberhahn-policy models --format json`."""

    as_of: str
    library: str
    count: int
    models: list[CatalogRow]


def _rates(rates: Rates) -> dict[str, float]:
    return {name: getattr(rates, name) for name in Rates.__slots__ if getattr(rates, name) is not None}


def _tier(tiered: TieredRates) -> dict[str, Any]:
    return {**_rates(tiered.base),
            "long_context": [{"above_input_tokens": t.above_input_tokens, **_rates(t.rates)} for t in tiered.long_context]}


def _price_row(price: ListPrice) -> CatalogPrice:
    return CatalogPrice.model_validate({
        "from": price.from_.isoformat() if price.from_ else None, "until": price.until.isoformat() if price.until else None,
        **_tier(price.standard), "tiers": {name: _tier(rates) for name, rates in price.tiers}})


def catalog_document(catalog: PriceCatalog, models: tuple[CatalogEntry, ...] | None = None) -> CatalogDocument:
    shown = catalog.models if models is None else models
    rows = [CatalogRow(id=m.id, provider=m.provider, mode=m.mode, aliases=list(m.aliases), context_window=m.context_window,
                       max_output_tokens=m.max_output_tokens, prices=[_price_row(p) for p in m.prices],
                       retires=m.retires.isoformat() if m.retires else None, successor=m.successor,
                       retirement_source=m.retirement_source, deprecated=m.deprecated, origin=m.origin, source=m.source)
            for m in shown]
    return CatalogDocument(as_of=catalog.as_of.isoformat(), library=catalog.library, count=len(rows), models=rows)


def catalog_json(catalog: PriceCatalog, models: tuple[CatalogEntry, ...] | None = None) -> str:
    document = catalog_document(catalog, models).model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(document, indent=1) + "\n"


def catalog_document_schema() -> dict[str, Any]:
    """The published schema of `models --format json`."""
    return published_schema(CatalogDocument, "catalog", mode="serialization")
