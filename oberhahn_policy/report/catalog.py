"""The `models` listing: the price catalog for people (text) and programs (json)."""

from __future__ import annotations

import json
from datetime import date

from ..catalog import CatalogModel, PriceCatalog


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _retirement(model: CatalogModel, today: date) -> str:
    if model.retires is None:
        return ""
    state = "retired" if model.retires <= today else "retires"
    return f"{state} {model.retires.isoformat()}" + (f" -> {model.successor}" if model.successor else "")


def catalog_text(catalog: PriceCatalog, today: date) -> str:
    headers = ("model", "provider", "mode", "input", "output", "cached", "context", "max out", "retirement")
    rows: list[tuple[str, ...]] = []
    for model in sorted(catalog.models, key=lambda m: (m.provider, m.id)):
        price = model.price_on(today)
        rows.append((model.id, model.provider, model.mode, _price(price.input_per_mtok), _price(price.output_per_mtok),
                     _price(price.cached_input_per_mtok), f"{model.context_window:,}" if model.context_window else "-",
                     f"{model.max_output_tokens:,}" if model.max_output_tokens else "-", _retirement(model, today)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    right = {3, 4, 5, 6, 7}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    lines = [f"Model price catalog as of {catalog.as_of.isoformat()}: USD per million tokens, prices in force on "
             f"{today.isoformat()} ({len(catalog.models)} models; `--format json` adds aliases, price history and sources)", "",
             line(headers), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)]
    return "\n".join(lines) + "\n"


def catalog_json(catalog: PriceCatalog) -> str:
    document = {"as_of": catalog.as_of.isoformat(),
                "models": [m.model_dump(mode="json", by_alias=True, exclude_none=True) for m in catalog.models]}
    return json.dumps(document, indent=2) + "\n"
