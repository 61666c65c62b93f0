"""genai-prices as the price source: its bundled snapshot, its model matching, mapped onto our providers.

What the library does, read from the source of genai-prices 0.2.5 (the version checked, and the
dependency's floor: 0.2.3 lacks `gemini-4-hydrogen`, a row of the reference price table):

- On import, `genai_prices/__init__.py` imports `genai_prices.update_prices`, which imports the
  HTTP client `httpx2` and `threading` and creates one module-level `_SharedUpdater` (a lock and
  two events). No thread starts, nothing is requested, no file is written and no environment
  variable is read by the library (httpx2 reads proxy variables only when a client is built).
- The network is used only by `UpdatePrices.fetch()` (a GET of the project's `data.json` on
  GitHub), which runs in a daemon thread that only `UpdatePrices.start()` (or `with
  UpdatePrices()`) launches, and which then swaps the process-wide snapshot through
  `data_snapshot.set_custom_snapshot`. This module never calls either, and it reads the bundled
  `genai_prices.data.providers` list directly rather than `get_snapshot()`, so a snapshot that
  other code in the process fetched is not used either: prices are always the wheel's.
- Lookups (`Provider.find_model`, `ModelInfo.is_match`, `ModelInfo.get_prices`) are pure
  functions of the bundled data and the timestamp passed in; the library's own memo of lookups
  (`DataSnapshot._lookup_cache`) lives in memory. Nothing is cached on disk (the interpreter may
  write `__pycache__/*.pyc` for the library's modules, as for any import).
- `calc_price` defaults the request time to now; this module never calls it, and always passes
  the day being priced to `get_prices`.
- Importing `genai_prices` and its `data` module (2,344 models in 47 providers) costs about 0.25 s
  in a fresh interpreter on the 2-core reference machine and 0.07-0.15 s once pydantic is loaded
  (as it is in oberhahn-policy), most of it `genai_prices.types` building pydantic adapters;
  `oberhahn_policy.catalog` therefore imports it on the first lookup only, and indexing it here
  takes about 0.01 s.

Providers: the library's provider ids map onto ours (SPEC §7) where one exists: `aws` is
`aws-bedrock`, `azure` is `azure-openai`, and `x-ai` is `xai` (LangChain's and LiteLLM's name for
it); the others keep the library's id (`deepseek`, `fireworks`, `openrouter`, `perplexity`...), so
`models.discounts` can name them. Matching follows the library: within a provider the first model
whose match clause accepts the id wins, then the provider's `fallback_model_providers` (Azure sells
OpenAI's models, Google Vertex Anthropic's), then the compact-date spelling (`-20251211` as
`-2025-12-11`). Clauses are indexed here (exact names in a dict, the rest tried in order), which
gives the library's answer without scanning every model on every lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import metadata
from typing import TYPE_CHECKING, Any, Iterator, Literal

from .rates import ListPrice, LongContextPrice, Rates, TieredRates

if TYPE_CHECKING:  # the library is imported on first use only (see the module docstring)
    from genai_prices.types import ModelInfo, ModelPrice, Provider

PACKAGE = "genai-prices"

Mode = Literal["chat", "embedding", "image", "audio"]

#: Library provider id -> ours, where they differ (SPEC §7 ids, and `xai` as LangChain and LiteLLM spell it).
_OUR_PROVIDER = {"aws": "aws-bedrock", "azure": "azure-openai", "x-ai": "xai"}
_LIBRARY_PROVIDER = {ours: theirs for theirs, ours in _OUR_PROVIDER.items()}

#: Vendors that sell their own models: tried first when the code does not say who serves the call.
FIRST_PARTY = ("openai", "anthropic", "google", "mistral", "cohere", "x-ai", "deepseek", "meta", "moonshotai",
               "zhipuai", "zai", "minimax", "voyageai", "elevenlabs", "arcee", "perplexity", "typesafe")
#: Resellers of many vendors' models, tried last: their prices carry the reseller's margin.
AGGREGATORS = ("openrouter", "github-copilot", "cursor")

#: A Bedrock model id: optional inference-profile region, then the vendor, a dot and the vendor's model.
_BEDROCK_ID = re.compile(
    r"^(?:(?:us|eu|apac|global|us-gov|jp|au|ca|in|regional)\.)?"
    r"(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|openai|qwen|writer|google|nvidia|moonshotai|zai|twelvelabs)"
    r"\.[a-z0-9]")

#: Library price keys -> our rate fields (the first key present wins where two map to one field).
_RATE_KEYS: tuple[tuple[str, str], ...] = (
    ("input_mtok", "input_per_mtok"), ("output_mtok", "output_per_mtok"), ("cache_read_mtok", "cached_input_per_mtok"),
    ("cache_write_mtok", "cache_write_per_mtok"), ("cache_write_1h_mtok", "cache_write_1h_per_mtok"),
    ("input_audio_mtok", "input_audio_per_mtok"), ("output_audio_mtok", "output_audio_per_mtok"),
    ("output_image_mtok", "output_image_per_mtok"), ("input_audio_hours", "per_audio_hour"),
    ("audio_hours", "per_audio_hour"), ("input_mchars", "per_million_characters"),
)
#: Request context of a library price variant -> our tier name (`service_tier: default` is the standard price).
_VARIANT_TIERS = {("processing", "batch"): "batch", ("service_tier", "flex"): "flex",
                  ("service_tier", "priority"): "priority", ("service_tier", "fast"): "fast", ("speed", "fast"): "fast"}
#: The day prices before the first dated change are read on.
_EARLIEST = date(2000, 1, 1)


def our_provider(library_id: str) -> str:
    return _OUR_PROVIDER.get(library_id, library_id)


def library_provider(ours: str) -> str:
    return _LIBRARY_PROVIDER.get(ours, ours)


def looks_like_bedrock(model: str) -> bool:
    """`us.anthropic.claude-...-v1:0`, `meta.llama3-...`: an id only Bedrock uses."""
    return _BEDROCK_ID.match(model.lower()) is not None


def installed_version() -> str | None:
    """The installed genai-prices version (read from its metadata, without importing it); None when absent."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None


# --- matching ---------------------------------------------------------------------------------


def _exact_names(clause: Any) -> Iterator[str]:
    """The ids a clause accepts by equality (through `or`), lowercased."""
    from genai_prices.types import ClauseEquals, ClauseOr

    if isinstance(clause, ClauseEquals):
        yield clause.equals.lower()
    elif isinstance(clause, ClauseOr):
        for inner in clause.or_:
            yield from _exact_names(inner)


def _only_exact(clause: Any) -> bool:
    from genai_prices.types import ClauseEquals, ClauseOr

    if isinstance(clause, ClauseEquals):
        return True
    return isinstance(clause, ClauseOr) and all(_only_exact(inner) for inner in clause.or_)


def pattern_names(clause: Any) -> Iterator[str]:
    """Every literal a clause names (equal-to, starts-with, contains, ends-with), for glob matching of policy patterns."""
    from genai_prices.types import (
        ClauseAnd,
        ClauseContains,
        ClauseEndsWith,
        ClauseEquals,
        ClauseOr,
        ClauseStartsWith,
    )

    if isinstance(clause, ClauseEquals):
        yield clause.equals.lower()
    elif isinstance(clause, ClauseStartsWith):
        yield clause.starts_with.lower()
    elif isinstance(clause, ClauseContains):
        yield clause.contains.lower()
    elif isinstance(clause, ClauseEndsWith):
        yield clause.ends_with.lower()
    elif isinstance(clause, (ClauseOr, ClauseAnd)):
        for inner in (clause.or_ if isinstance(clause, ClauseOr) else clause.and_):
            yield from pattern_names(inner)


@dataclass(slots=True)
class ProviderIndex:
    """One library provider's models, indexed so that a lookup gives the library's first-match answer cheaply."""

    provider: Provider
    #: Exact (lowercased) name -> position of the first model accepting it by equality.
    exact: dict[str, int] = field(default_factory=dict)
    #: (position, model) of models whose clause is more than a list of equalities, in order.
    loose: list[tuple[int, ModelInfo]] = field(default_factory=list)

    @classmethod
    def build(cls, provider: Provider) -> ProviderIndex:
        index = cls(provider)
        for position, model in enumerate(provider.models):
            for name in _exact_names(model.match):
                index.exact.setdefault(name, position)
            if not _only_exact(model.match):
                index.loose.append((position, model))
        return index

    def own_match(self, ref: str) -> ModelInfo | None:
        """The first of this provider's models that accepts `ref` (lowercased)."""
        position = self.exact.get(ref)
        limit = len(self.provider.models) if position is None else position
        for index, model in self.loose:
            if index >= limit:
                break
            if model.is_match(ref):
                return model
        return None if position is None else self.provider.models[position]


def _compact_date(ref: str) -> str:
    """`gpt-5.2-20251211` as the library's data spells it (`gpt-5.2-2025-12-11`); the library's own fallback."""
    from genai_prices.types import _normalize_compact_dated_ref

    return _normalize_compact_dated_ref(ref)


@dataclass(frozen=True, slots=True)
class LibraryMatch:
    """A library model and who serves it: its own provider, or one that resells it through the library's fallback."""

    model: ModelInfo
    #: The library provider that lists the model.
    owner: str
    #: The library provider the lookup went through; differs from `owner` for a fallback (Azure selling OpenAI's).
    seller: str


class LibrarySnapshot:
    """The bundled snapshot, indexed per provider; built once per process on first use."""

    def __init__(self) -> None:
        from genai_prices.data import providers

        self.providers: tuple[Provider, ...] = tuple(providers)
        self.indexes: dict[str, ProviderIndex] = {p.id: ProviderIndex.build(p) for p in self.providers}
        self.version = installed_version() or "unknown"
        order = [*FIRST_PARTY, *(p.id for p in self.providers if p.id not in FIRST_PARTY and p.id not in AGGREGATORS),
                 *AGGREGATORS]
        #: Providers in the order a model with no provider named is looked up in.
        self.routing: tuple[str, ...] = tuple(p for p in order if p in self.indexes)

    def match_in(self, provider_id: str, ref: str, exact_only: bool = False) -> LibraryMatch | None:
        """The library's answer for `ref` at one provider: its own models, its fallback providers, the compact date.

        `exact_only` accepts a model only by an id it equals: a host's prefix patterns (Bedrock's regional models
        accept a bare `gpt-6.1-sol...`) are meant for calls known to go to that host, not for guessing one.
        """
        index = self.indexes.get(provider_id)
        if index is None:
            return None
        ref = ref.lower()
        for candidate in dict.fromkeys((ref, _compact_date(ref))):
            if exact_only:
                position = index.exact.get(candidate)
                if position is not None:
                    return LibraryMatch(index.provider.models[position], provider_id, provider_id)
                continue
            model = index.own_match(candidate)
            if model is not None:
                return LibraryMatch(model, provider_id, provider_id)
            for fallback in index.provider.fallback_model_providers or ():
                other = self.indexes.get(fallback)
                model = other.own_match(candidate) if other is not None else None
                if model is not None:
                    return LibraryMatch(model, fallback, provider_id)
        return None

    def routed(self, ref: str) -> tuple[tuple[str, bool], ...]:
        """(provider, exact only) to try for a model nobody named the provider of: Bedrock for a Bedrock id and the
        providers whose own model pattern accepts it (the library's routing), with their full matching; then
        first-party vendors, inference hosts and aggregators, by exact id only."""
        lowered = ref.lower()
        first = ["aws"] if looks_like_bedrock(lowered) else []
        first += [p.id for p in self.providers if p.model_match is not None and p.model_match.is_match(lowered)]
        full = tuple(dict.fromkeys(first))
        return (*((p, False) for p in full), *((p, True) for p in self.routing if p not in full))


# --- prices -----------------------------------------------------------------------------------


def _float(value: Decimal) -> float:
    return float(value)


def _tiered(price: ModelPrice) -> TieredRates:
    """A library price (flat or threshold-tiered per key) as base rates plus long-context tiers."""
    from genai_prices.types import TieredPrices

    values: dict[str, Any] = {}
    for key, name in _RATE_KEYS:
        value = getattr(price, key, None)
        if value is not None and name not in values:
            values[name] = value
    thresholds = sorted({tier.start for value in values.values() if isinstance(value, TieredPrices) for tier in value.tiers})

    def at(threshold: int | None) -> Rates:
        rates: dict[str, float] = {}
        for name, value in values.items():
            if isinstance(value, TieredPrices):
                chosen = value.base
                for tier in value.tiers:
                    if threshold is not None and tier.start <= threshold:
                        chosen = tier.price
                rates[name] = _float(chosen)
            else:
                rates[name] = _float(value)
        return Rates(**rates)

    return TieredRates(at(None), tuple(LongContextPrice(t, at(t)) for t in thresholds))


def _max_rates(options: list[TieredRates]) -> TieredRates:
    """Per rate the dearest of prices that alternate within a day (DeepSeek's peak and off-peak hours)."""
    if len(options) == 1:
        return options[0]

    def dearest(rates: list[Rates]) -> Rates:
        merged: dict[str, float] = {}
        for name in Rates.__slots__:
            known = [getattr(r, name) for r in rates if getattr(r, name) is not None]
            if known:
                merged[name] = max(known)
        return Rates(**merged)

    thresholds = sorted({t.above_input_tokens for o in options for t in o.long_context})
    return TieredRates(dearest([o.base for o in options]),
                       tuple(LongContextPrice(t, dearest([o.for_prompt(t + 1)[0] for o in options])) for t in thresholds))


def _change_days(model: ModelInfo, with_tiers: bool) -> tuple[list[date], list[time]]:
    """Days a price or tier changes on, and times of day at which prices alternate."""
    from genai_prices.types import StartDateConstraint, TimeOfDateConstraint

    constraints: list[Any] = [c.constraint for c in model.prices] if isinstance(model.prices, list) else []
    if with_tiers:
        constraints += [v.constraint for v in model.price_variants or ()]
    days = sorted({c.start_date for c in constraints if isinstance(c, StartDateConstraint)})
    times = sorted({t for c in constraints if isinstance(c, TimeOfDateConstraint) for t in (c.start_time, c.end_time)},
                   key=lambda t: (t.replace(tzinfo=None), str(t.tzinfo)))
    return days, times


def _instants(day: date, times: list[time]) -> list[datetime]:
    if not times:
        return [datetime(day.year, day.month, day.day, 12, tzinfo=UTC)]
    return [datetime.combine(day, t if t.tzinfo is not None else t.replace(tzinfo=UTC)) for t in times]


def _variant_contexts(model: ModelInfo) -> list[tuple[str, dict[str, str]]]:
    names: dict[str, dict[str, str]] = {}
    for variant in model.price_variants or ():
        for key, value in variant.when.items():
            tier = _VARIANT_TIERS.get((key, value))
            if tier is not None and len(variant.when) == 1:
                names.setdefault(tier, dict(variant.when))
    return list(names.items())


def _price_on(model: ModelInfo, day: date, times: list[time], contexts: list[tuple[str, dict[str, str]]],
              ) -> tuple[TieredRates, tuple[tuple[str, TieredRates], ...]]:
    instants = _instants(day, times)
    standard = _max_rates([_tiered(model.get_prices(at)) for at in instants])
    tiers: list[tuple[str, TieredRates]] = []
    for name, context in contexts:
        rates = _max_rates([_tiered(model.get_prices(at, context)) for at in instants])
        if rates != standard:
            tiers.append((name, rates))
    return standard, tuple(tiers)


def price_history(model: ModelInfo, with_tiers: bool = True) -> tuple[ListPrice, ...]:
    """The model's prices over time, one `ListPrice` per period between changes (of a price or of a tier).

    `with_tiers=False` for a model sold by another provider through the library's fallback: the
    library applies price variants (batch, service tiers) only to a provider's own models.
    Prices that alternate by time of day are read at their dearest (a projection can't know the hour).
    """
    days, times = _change_days(model, with_tiers)
    contexts = _variant_contexts(model) if with_tiers else []
    starts: list[date | None] = [None, *days]
    periods: list[ListPrice] = []
    for start in starts:
        read_on = start if start is not None else (min(days) - timedelta(days=1) if days else _EARLIEST)
        standard, tiers = _price_on(model, read_on, times, contexts)
        if periods and periods[-1].standard == standard and periods[-1].tiers == tiers:
            continue
        if periods:
            periods[-1] = ListPrice(periods[-1].from_, start, periods[-1].standard, periods[-1].tiers)
        periods.append(ListPrice(start, None, standard, tiers))
    return tuple(periods)


def mode_of(model: ModelInfo) -> Mode:
    """What the model is for, from the units it is priced in and its id (the library does not say)."""
    price = model.prices if not isinstance(model.prices, list) else model.prices[-1].prices
    keys = {key for key, value in price.__dict__.items() if value is not None}
    ident = model.id.lower()
    if keys & {"audio_hours", "input_audio_hours", "input_mchars"} or re.search(r"whisper|tts|transcribe|speech", ident):
        return "audio"
    if "output_image_mtok" in keys or re.search(r"dall-e|imagen|(^|[-/.])image($|[-.])", ident):
        return "image"
    if "output_mtok" not in keys and "input_mtok" in keys:
        return "embedding"
    return "chat"


def exact_names(model: ModelInfo) -> tuple[str, ...]:
    """The ids the library matches the model by equality, its own id first."""
    return tuple(dict.fromkeys((model.id.lower(), *_exact_names(model.match))))

