"""Pricing one call: the unit price a call pays on a day, its expected and worst-case cost, and money as text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..callsite import CallSite
from ..catalog import CatalogEntry, PriceCatalog
from ..modelids import matches
from ..policy.model import Policy, UseCaseBudget
from ..pricing.rates import Rates
from ..providers import cache_facts, load_providers

_MTOK = 1_000_000
#: Operations billed by a unit the catalog does not price (video seconds, realtime sessions, training).
_UNIT_PRICED = {"video": "second", "realtime": "audio token of a live session", "fine-tuning": "training token"}
#: Minutes a cached prompt prefix lives without a hit (Anthropic's and Bedrock's default; OpenAI's and Gemini's minimum).
CACHE_LIFETIME_MINUTES = 5
#: Cache lifetimes in a 30-day month: at most this many cache writes a month for evenly spread traffic.
CACHE_LIFETIMES_PER_MONTH = 30 * 24 * 60 // CACHE_LIFETIME_MINUTES
#: Smallest prefix a provider caches when oberhahn_policy/prompts.py has no figure for it.
_DEFAULT_MINIMUM_PREFIX = 1024
#: Tiers that cost less than list: without a known price, list price is an upper bound.
_CHEAPER_TIERS = frozenset({"batch", "flex"})
#: The budget fields that state a use case's volume, in the order reports name them.
VOLUME_FIELDS = ("tasks_per_month", "avg_input_tokens", "avg_output_tokens", "avg_audio_seconds", "avg_input_characters")


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """The rates a call pays, after policy overrides and discounts."""

    input_per_mtok: float
    output_per_mtok: float
    #: `catalog:ID` or `policy:PATTERN`: where the price came from.
    source: str
    #: The catalog entry, when the model is in the catalog.
    entry: CatalogEntry | None = None
    discount: float = 0.0
    #: Every rate of the tier that applies (cache, audio, image rates), discount applied.
    rates: Rates | None = None
    #: Which price applies: `list`, `policy`, `batch`, `flex`, `long-context (>200,000 input tokens)`...
    basis: tuple[str, ...] = ("list",)
    #: The price tier the call asked for that the catalog does not price (list price applies instead).
    missing_tier: str | None = None


def unit_price(model: str, provider: str, policy: Policy, catalog: PriceCatalog, today: date,
               input_tokens: float | None = None, tier: str | None = None) -> UnitPrice | None:
    """What `model` costs on `today` for prompts of `input_tokens` at `tier` (`batch`, `flex`, `priority`...; None for
    standard); None when neither the policy nor the catalog prices it."""
    entry = catalog.lookup(model, provider)
    # an exact key wins over a glob, whatever their order in the file
    override = model if model in policy.models.prices else matches(model, tuple(policy.models.prices))
    if override is not None:
        price = policy.models.prices[override]
        rates = Rates(input_per_mtok=price.input_per_mtok, output_per_mtok=price.output_per_mtok,
                      cached_input_per_mtok=price.cached_input_per_mtok)
        return UnitPrice(price.input_per_mtok, price.output_per_mtok, f"policy:{override}", entry, rates=rates,
                         basis=("policy",))
    if entry is None:
        return None
    list_price = entry.price_on(today)
    tiered = list_price.tier(tier)
    basis: list[str] = [tier] if tier is not None and tiered is not None else ["list"]
    missing = tier if tier is not None and tiered is None else None
    if tiered is None:
        tiered = list_price.standard
    rates, long_context = tiered.for_prompt(input_tokens)
    if long_context is not None:
        basis.append(f"long-context (>{long_context.above_input_tokens:,} input tokens)")
    discount = policy.models.discounts.get(billing_provider(provider, entry), 0.0)
    rates = rates.scaled(1.0 - discount)
    return UnitPrice(rates.input_per_mtok or 0.0, rates.output_per_mtok or 0.0, f"catalog:{entry.id}", entry, discount,
                     rates, tuple(basis), missing)


def billing_provider(provider: str, entry: CatalogEntry) -> str:
    """Who sends the bill, for `models.discounts`: the call's provider, unless it only carries another vendor's model.

    Bedrock and Azure bill for the models they host; but the OpenAI SDK pointed at another vendor's
    OpenAI-compatible endpoint, LiteLLM and unknown clients are billed by the model's own vendor.
    """
    info = load_providers().provider(provider)
    if info is None or info.routes or (info.compatible_api and entry.provider != provider):
        return entry.provider
    return provider


@dataclass(frozen=True, slots=True)
class SiteCost:
    """One call site, priced."""

    site: CallSite
    price: UnitPrice | None
    #: Expected cost per call in USD; None when it can't be computed (see `problem`).
    expected_usd: float | None
    #: Worst-case cost per call in USD; None when unbounded or unknown.
    worst_case_usd: float | None
    #: No output-token limit, so the worst case has no bound.
    unbounded: bool
    #: Why the call could not be priced, in words a report can print.
    problem: str | None
    #: Which price applied, in words (`list`, `batch, cached prefix (1,900 tokens)`); None when unpriced.
    price_basis: str | None = None
    #: Budget fields (VOLUME_FIELDS) the call needs to be priced that the budget does not declare.
    missing_volume: tuple[str, ...] = ()

    @property
    def model_label(self) -> str:
        return self.site.model or (f"<unresolved: {self.site.model_expression}>" if self.site.model_expression else "<unknown>")


def is_batch_call(site: CallSite) -> bool:
    """A call through a batch API: billed at the batch tier, half of list on most providers."""
    return site.site.operation == "batch" or "batches" in site.site.api.lower().split(".")


def _cached_prefix(site: CallSite, price: UnitPrice, budget: UseCaseBudget) -> int:
    """Tokens of the call's prompt read from the provider's cache (0 when caching does not apply, see the module docstring)."""
    prompt = site.prompt
    rates = price.rates
    if (prompt is None or not prompt.cache_marker or rates is None or rates.cached_input_per_mtok is None
            or budget.tasks_per_month is None or budget.avg_input_tokens is None):
        return 0
    entry_provider = price.entry.provider if price.entry is not None else site.provider
    facts = cache_facts(site.provider, site.model) or cache_facts(entry_provider, site.model)
    minimum = facts.minimum_tokens if facts is not None else _DEFAULT_MINIMUM_PREFIX
    if prompt.prefix_tokens < minimum:
        return 0
    return int(min(prompt.prefix_tokens, budget.avg_input_tokens))


def cached_prefix_tokens(site: CallSite, price: UnitPrice, budget: UseCaseBudget) -> int:
    """Tokens of the call's prompt `price_call` prices as read from the provider's cache (0 when caching doesn't apply)."""
    return _cached_prefix(site, price, budget)


def cache_write_share(budget: UseCaseBudget) -> float:
    """The fraction of a use case's calls that write the cached prefix rather than read it (see the module docstring)."""
    assert budget.tasks_per_month is not None
    calls = budget.tasks_per_month * budget.calls_per_task
    return min(calls, CACHE_LIFETIMES_PER_MONTH) / calls if calls else 1.0


def _input_usd(input_tokens: float, cached: int, rates: Rates, input_rate: float, budget: UseCaseBudget) -> float:
    """Input cost of one call: the uncached part at the input rate, the cached prefix read (or, once per cache lifetime, written)."""
    if not cached:
        return input_tokens * input_rate / _MTOK
    assert rates.cached_input_per_mtok is not None and budget.tasks_per_month is not None
    write_share = cache_write_share(budget)
    write_rate = rates.cache_write_per_mtok if rates.cache_write_per_mtok is not None else input_rate
    prefix_rate = write_share * write_rate + (1 - write_share) * rates.cached_input_per_mtok
    return ((input_tokens - cached) * input_rate + cached * prefix_rate) / _MTOK


def _per_unit(site: CallSite, price: UnitPrice, budget: UseCaseBudget | None, budget_field: str,
              ) -> tuple[float | None, str | None, str | None, str | None]:
    """(cost per call, basis, problem, the missing budget field) of an image or audio call priced per image, audio
    hour or character."""
    rates = price.rates
    operation = site.site.operation
    if rates is None:
        return None, None, None, None
    if operation == "image" and rates.per_image is not None:
        count = budget.images_per_call if budget is not None else 1
        return count * rates.per_image, f"per image ({rates.per_image:g} USD)", None, None
    if operation == "audio" and rates.per_audio_hour is not None:
        if budget is None or budget.avg_audio_seconds is None:
            return (None, None, f"{budget_field} declares no avg_audio_seconds (the model is priced per hour of audio)",
                    "avg_audio_seconds")
        return (budget.avg_audio_seconds / 3600 * rates.per_audio_hour, f"per audio hour ({rates.per_audio_hour:g} USD)",
                None, None)
    if operation == "audio" and rates.per_million_characters is not None:
        if budget is None or budget.avg_input_characters is None:
            return (None, None, f"{budget_field} declares no avg_input_characters (the model is priced per character)",
                    "avg_input_characters")
        return (budget.avg_input_characters * rates.per_million_characters / _MTOK,
                f"per character ({rates.per_million_characters:g} USD a million)", None, None)
    return None, None, None, None


def price_call(site: CallSite, budget: UseCaseBudget | None, policy: Policy, catalog: PriceCatalog, today: date,
               budget_field: str = "the use case's budget", service_tier: str | None = None) -> SiteCost:
    """Expected and worst-case cost of one call under a use case's volume assumptions (see the module docstring).

    `service_tier` is the tier the call names (`flex`, `priority`); extraction does not read it yet.
    """
    operation = site.site.operation
    # wrappers and framework bindings may name other operations; all but embeddings produce output tokens
    produces_output = operation != "embedding"
    limit = site.max_output_tokens
    unbounded = produces_output and limit is None and site.limit_expression is None
    if operation in _UNIT_PRICED:
        return SiteCost(site, None, None, None, False,
                        f"{site.site.api} is billed per {_UNIT_PRICED[operation]}, which token volumes do not project")
    if site.model is None:
        problem = (f"model `{site.model_expression}` cannot be resolved statically" if site.model_expression
                   else "the call names no model")
        return SiteCost(site, None, None, None, unbounded, problem)
    tier = "batch" if is_batch_call(site) else service_tier
    price = unit_price(site.model, site.provider, policy, catalog, today, budget.avg_input_tokens if budget else None, tier)
    if price is None:
        return SiteCost(site, None, None, None, unbounded, f"model {site.model!r} is not in the price catalog")
    basis = list(price.basis)
    if price.missing_tier is not None:
        if price.missing_tier not in _CHEAPER_TIERS:
            return SiteCost(site, price, None, None, unbounded,
                            f"model {site.model!r} has no {price.missing_tier} price in the catalog; price it under models.prices")
        basis = [f"list, no {price.missing_tier} price"]
    if operation in ("image", "audio"):
        cost, unit_basis, unit_problem, unit_missing = _per_unit(site, price, budget, budget_field)
        if unit_problem is not None:
            return SiteCost(site, price, None, None, False, unit_problem,
                            missing_volume=(unit_missing,) if unit_missing is not None else ())
        if cost is not None and unit_basis is not None:
            return SiteCost(site, price, cost, cost, False, None, ", ".join([*basis, unit_basis]))
        rates = price.rates
        if rates is None or not rates.token_priced:
            unit = "image" if operation == "image" else "second or character of audio"
            return SiteCost(site, price, None, None, False,
                            f"{site.site.api} is billed per {unit}, which the catalog does not price for {site.model!r}")
    if price.entry is not None and price.entry.mode == "embedding":
        produces_output, unbounded = False, False
    missing = tuple(name for name, needed in (("avg_input_tokens", True), ("avg_output_tokens", produces_output))
                    if needed and (budget is None or getattr(budget, name) is None))
    if missing:
        return SiteCost(site, price, None, None, unbounded, f"{budget_field} declares no {' or '.join(missing)}",
                        missing_volume=missing)
    assert budget is not None and budget.avg_input_tokens is not None
    rates = price.rates or Rates(input_per_mtok=price.input_per_mtok, output_per_mtok=price.output_per_mtok)
    input_rate, output_rate = price.input_per_mtok, price.output_per_mtok
    if operation == "audio":
        input_rate = rates.input_audio_per_mtok if rates.input_audio_per_mtok is not None else input_rate
        output_rate = rates.output_audio_per_mtok if rates.output_audio_per_mtok is not None else output_rate
        basis.append("audio tokens")
    elif operation == "image":
        output_rate = rates.output_image_per_mtok if rates.output_image_per_mtok is not None else output_rate
        basis.append("image tokens")
    cached = _cached_prefix(site, price, budget) if operation not in ("audio", "image", "embedding") else 0
    if cached:
        basis.append(f"cached prefix ({cached:,} tokens)")
    input_usd = _input_usd(budget.avg_input_tokens, cached, rates, input_rate, budget)
    label = ", ".join(basis)
    if not produces_output:
        return SiteCost(site, price, input_usd, input_usd, False, None, label)
    assert budget.avg_output_tokens is not None
    output_tokens = budget.avg_output_tokens if limit is None else min(budget.avg_output_tokens, limit)
    expected = input_usd + output_tokens * output_rate / _MTOK
    worst = None if limit is None else input_usd + limit * output_rate / _MTOK
    return SiteCost(site, price, expected, worst, unbounded, None, label)


def model_cost_per_task(model: str, provider: str | None, budget: UseCaseBudget, policy: Policy, catalog: PriceCatalog,
                        today: date) -> float | None:
    """Expected cost per task if a use case's work ran on `model`: one call with the budget's average tokens (no output
    limit, standard tier, no cached prefix), `calls_per_task` times; None when the model or the volumes are unknown.

    This is the figure evidence compares models by (`oberhahn-policy evidence`, OBH207); `provider` is who would serve
    the call (the catalog's seller of the model when None).
    """
    if budget.avg_input_tokens is None or budget.avg_output_tokens is None:
        return None
    entry = catalog.lookup(model, provider)
    seller = provider or (entry.provider if entry is not None else None)
    if seller is None:
        return None
    price = unit_price(model, seller, policy, catalog, today, budget.avg_input_tokens)
    if price is None:
        return None
    output = 0.0 if price.entry is not None and price.entry.mode == "embedding" else budget.avg_output_tokens
    per_call = (budget.avg_input_tokens * price.input_per_mtok + output * price.output_per_mtok) / _MTOK
    return per_call * budget.calls_per_task


def is_unit_priced(operation: str) -> bool:
    """True for operations billed per image, audio second or character rather than per token (OBH205 leaves them to the
    cost report, which says whether the catalog prices their unit)."""
    return operation in _UNIT_PRICED or operation in ("image", "audio")


def usd(value: float | None) -> str:
    """Money as people read it: cents for dollars, four significant digits below a dollar."""
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if amount >= 1 or amount == 0:
        return f"{sign}${amount:,.2f}"
    digits = 3 - math.floor(math.log10(amount))  # four significant digits, never scientific notation
    whole, _, decimals = f"{amount:.{digits}f}".partition(".")
    return f"{sign}${whole}.{decimals.rstrip('0').ljust(2, '0')}"
