"""Pricing one usage record as its provider billed it: the price in force on the record's day, cached reads at the
cached-input rate, the batch tier at its discount; injected into reconciliation as a `Pricer`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..catalog import PriceCatalog
from ..cost import UnitPrice, unit_price
from ..policy.model import Policy
from .records import UsageRecord

_MTOK = 1_000_000
#: Tiers that are the standard price under another name.
_STANDARD_TIERS = frozenset({"default", "auto", "standard", "on_demand", "on-demand"})
CACHE_WRITE_NOTE = ("cache writes priced at the input rate: the catalog has no cache-write price for this model "
                    "(providers that charge more for writes make this a lower bound)")




@dataclass(frozen=True, slots=True)
class RecordPrice:
    """What one observed call cost, by token kind, in USD."""

    #: Input tokens that were neither cache reads nor cache writes.
    input_usd: float
    cached_input_usd: float
    cache_write_usd: float
    output_usd: float
    #: Where the price came from: `catalog:ID` or `policy:PATTERN` (as cost.UnitPrice.source).
    source: str
    #: The day whose price applied (the record's own, in UTC).
    priced_on: date
    #: Which price applied: `list`, `batch`, `flex`, `policy`, with a long-context tier when one applied.
    tier: str
    #: What the price had to assume, in words a report can print.
    notes: tuple[str, ...] = ()

    @property
    def total_usd(self) -> float:
        return self.input_usd + self.cached_input_usd + self.cache_write_usd + self.output_usd


class Pricer(Protocol):
    """Prices one observed call; None when it can't (unknown model, no token counts)."""

    def price(self, record: UsageRecord) -> RecordPrice | None: ...


class CatalogPricer:
    """Prices observed calls as `cost.unit_price` prices call sites: the policy's prices and discounts over the catalog,
    at the record's own day, its long-context tier and its service tier (`batch`, `flex`, `priority`)."""

    def __init__(self, policy: Policy, catalog: PriceCatalog) -> None:
        self.policy = policy
        self.catalog = catalog
        #: Long-context thresholds per (model, provider), so a price is looked up once per tier of prompt size.
        self._thresholds: dict[tuple[str, str], tuple[int, ...]] = {}
        self._prices: dict[tuple[str, str, date, str | None, int], UnitPrice | None] = {}

    def price(self, record: UsageRecord) -> RecordPrice | None:
        model = record.model
        if model is None or (record.input_tokens is None and record.output_tokens is None):
            return None
        day = record.timestamp.date()
        provider = record.provider or "other"
        tier = _tier(record.service_tier)
        total_input = record.input_tokens or 0
        thresholds = self._thresholds.get((model, provider))
        if thresholds is None:
            entry = self.catalog.lookup(model, provider)
            listed = entry.price_on(day).standard.long_context if entry is not None else ()
            thresholds = self._thresholds[(model, provider)] = tuple(sorted(t.above_input_tokens for t in listed))
        bucket = sum(1 for threshold in thresholds if total_input > threshold)
        key = (model, provider, day, tier, bucket)
        if key not in self._prices:
            prompt = thresholds[bucket - 1] + 1 if bucket else None
            self._prices[key] = unit_price(model, provider, self.policy, self.catalog, day, prompt, tier)
        price = self._prices[key]
        if price is None:
            return None
        rates = price.rates
        input_rate = price.input_per_mtok / _MTOK
        notes: list[str] = []
        cached_rate = input_rate
        if rates is not None and rates.cached_input_per_mtok is not None:
            cached_rate = rates.cached_input_per_mtok / _MTOK
        elif record.cached_input_tokens:
            notes.append(f"no cached-input price for {model}: cached input priced at the input rate (an upper bound)")
        write_rate = input_rate
        if rates is not None and rates.cache_write_per_mtok is not None:
            write_rate = rates.cache_write_per_mtok / _MTOK
        elif record.cache_write_tokens:
            notes.append(CACHE_WRITE_NOTE)
        if price.missing_tier is not None:
            notes.append(f"service tier {price.missing_tier!r} priced at the standard rate: the catalog has no price for it")
        cached = min(record.cached_input_tokens, total_input)
        written = min(record.cache_write_tokens, total_input - cached)
        return RecordPrice(
            input_usd=(total_input - cached - written) * input_rate,
            cached_input_usd=cached * cached_rate,
            cache_write_usd=written * write_rate,
            output_usd=(record.output_tokens or 0) * price.output_per_mtok / _MTOK,
            source=price.source, priced_on=day, tier=", ".join(price.basis), notes=tuple(notes),
        )


def _tier(service_tier: str | None) -> str | None:
    """The catalog tier a record's service tier is priced at (None: standard)."""
    if service_tier is None or service_tier in _STANDARD_TIERS:
        return None
    return service_tier
