"""Prices as the cost arithmetic reads them: the rates of one tier, long-context tiers, price tiers, validity dates.

A model's price on a day is a `ListPrice`: its standard `TieredRates` (base rates plus the
higher rates above an input-token threshold) and, where the source knows them, the rates of
named price tiers: `batch` (a batch API), `flex`, `priority`, `fast` (service tiers). Every
figure is USD; token rates are per million tokens. A rate the source does not give is None,
never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date


@dataclass(frozen=True, slots=True)
class Rates:
    """The rates of one price tier, each None when the source does not price that unit."""

    #: Input (prompt) tokens.
    input_per_mtok: float | None = None
    #: Output (completion) tokens, reasoning included.
    output_per_mtok: float | None = None
    #: Input tokens read from the provider's prompt cache.
    cached_input_per_mtok: float | None = None
    #: Input tokens written to the prompt cache with the default lifetime (Anthropic: 5 minutes).
    cache_write_per_mtok: float | None = None
    #: Input tokens written to the prompt cache for one hour (Anthropic's `ttl: 1h`).
    cache_write_1h_per_mtok: float | None = None
    #: Audio input tokens (speech-to-text and audio chat models priced per token).
    input_audio_per_mtok: float | None = None
    #: Audio output tokens (text-to-speech models priced per token).
    output_audio_per_mtok: float | None = None
    #: Image output tokens (image models priced per token).
    output_image_per_mtok: float | None = None
    #: Per hour of input audio (Whisper).
    per_audio_hour: float | None = None
    #: Per million input characters (text-to-speech priced per character).
    per_million_characters: float | None = None
    #: Per generated image, at the size and quality the source states (DALL·E).
    per_image: float | None = None

    def scaled(self, factor: float) -> Rates:
        """Every rate multiplied by `factor` (a discount is `1 - fraction`)."""
        if factor == 1:
            return self
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return Rates(**{name: None if value is None else value * factor for name, value in values.items()})

    @property
    def token_priced(self) -> bool:
        return self.input_per_mtok is not None or self.output_per_mtok is not None


@dataclass(frozen=True, slots=True)
class LongContextPrice:
    """The rates a prompt pays once its input crosses a threshold (all of its tokens, not only those above it)."""

    #: The tier applies to prompts of more than this many input tokens.
    above_input_tokens: int
    rates: Rates


@dataclass(frozen=True, slots=True)
class TieredRates:
    """Base rates and the long-context tiers above them, in increasing threshold order."""

    base: Rates
    long_context: tuple[LongContextPrice, ...] = ()

    def for_prompt(self, input_tokens: float | None) -> tuple[Rates, LongContextPrice | None]:
        """The rates a prompt of `input_tokens` pays and the long-context tier it falls in (short context when unknown)."""
        if input_tokens is not None:
            for tier in reversed(self.long_context):
                if input_tokens > tier.above_input_tokens:
                    return tier.rates, tier
        return self.base, None

    def scaled(self, factor: float) -> TieredRates:
        if factor == 1:
            return self
        return TieredRates(self.base.scaled(factor),
                           tuple(replace(t, rates=t.rates.scaled(factor)) for t in self.long_context))


#: Price tiers a call can name: a batch API, or a service tier of the provider.
TIER_NAMES = ("batch", "flex", "priority", "fast")


@dataclass(frozen=True, slots=True)
class ListPrice:
    """The list price in force from `from_` (or from the start) until the day before `until` (or for good)."""

    from_: date | None
    #: The first day this price no longer applies; None while it is current.
    until: date | None
    standard: TieredRates
    #: (name, rates) of the price tiers the source prices: `batch`, `flex`, `priority`, `fast`.
    tiers: tuple[tuple[str, TieredRates], ...] = ()

    def tier(self, name: str | None) -> TieredRates | None:
        """The rates of a named tier (`batch`, `flex`...); the standard rates for None; None when not priced."""
        if name is None or name == "standard":
            return self.standard
        return next((rates for tier, rates in self.tiers if tier == name), None)

    def for_prompt(self, input_tokens: float | None) -> tuple[float, float]:
        """(input, output) per million tokens for a prompt of `input_tokens` at the standard tier (0 for unpriced)."""
        rates, _ = self.standard.for_prompt(input_tokens)
        return rates.input_per_mtok or 0.0, rates.output_per_mtok or 0.0

    @property
    def input_per_mtok(self) -> float | None:
        return self.standard.base.input_per_mtok

    @property
    def output_per_mtok(self) -> float | None:
        return self.standard.base.output_per_mtok

    @property
    def cached_input_per_mtok(self) -> float | None:
        return self.standard.base.cached_input_per_mtok

    @property
    def cache_write_per_mtok(self) -> float | None:
        return self.standard.base.cache_write_per_mtok

    @property
    def long_context(self) -> tuple[LongContextPrice, ...]:
        return self.standard.long_context

    @property
    def batch(self) -> TieredRates | None:
        return self.tier("batch")


def price_in_force(prices: tuple[ListPrice, ...], day: date) -> ListPrice:
    """The price of `prices` (in date order) in force on `day`; the earliest known one for days before it."""
    current = prices[0]
    for price in prices:
        if price.from_ is None or price.from_ <= day:
            current = price
    return current
