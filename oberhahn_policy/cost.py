"""Cost arithmetic: price every call site, project each use case's monthly spend, diff two projections.

Pure functions over resolved call sites, the policy and the catalog (SPEC §5):

- expected cost per call = avg_input_tokens x input price + min(avg_output_tokens, the call's
  output limit) x output price, prices per million tokens;
- worst-case cost per call = the same input cost + the call's output limit x output price; a
  call without a limit has no worst case (it is unbounded, and said so);
- cost per task = the sum over the use case's call sites of expected cost per call x
  `calls_per_task`; projected monthly spend = cost per task x `tasks_per_month`.

The price is the one the call really pays, and the report says which (`price_basis`):

- the list price in force on the day (`--today`), at the long-context tier when the average
  prompt crosses it (all of the prompt's tokens then pay that tier, as the providers bill it);
- through a batch API (operation `batch`, or an API named `...batches...`): the batch tier's
  rates; a model the catalog has no batch price for pays list price ("list, no batch price");
- with a named service tier (`service_tier=` of `price_call`): that tier's rates; flex falls back
  to list like batch, but priority/fast without a known price make the call unpriced, because
  list would understate it;
- with a cache marker (`cache_control`, `prompt_cache_key`, `cachePoint`, `cached_content`) and
  a static prefix (the system, developer and instructions parts of the prompt, estimated by
  oberhahn_policy/prompts.py) at least as long as the provider's minimum cacheable prefix: the
  prefix is read from the cache at the cached-input rate on every call but the first of each
  cache lifetime, which writes it at the cache-write rate (the input rate where the provider
  charges no write premium). The lifetime is 5 minutes (Anthropic's and Bedrock's default, the
  low end of OpenAI's and Gemini's); traffic is assumed spread evenly over a 30-day month, so a
  use case makes min(calls a month, 8,640) writes a month. The rest of the prompt pays the input
  rate. Without `tasks_per_month` the writes can't be spread, and list price applies;
- image, audio and embedding calls are priced in the unit their model is billed in: per image
  (`budget.images_per_call`, default 1), per hour of audio (`budget.avg_audio_seconds`), per
  character (`budget.avg_input_characters`), or per image/audio token with the average token
  volumes; a unit the catalog has no price for leaves the projection incomplete.

A policy price (`models.prices`) is the negotiated price and is used as is (its
`cached_input_per_mtok` for cached prefixes); a catalog list price is reduced by the policy's
discount for the provider that bills the call (`billing_provider`). A model that can't be priced
makes its use case's projection incomplete, never $0. So does a volume the budget doesn't declare
(`tasks_per_month`, the average tokens, audio seconds or characters a call needs): the use case
then has no projected figure and says "volume not declared", never $0.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Literal, Sequence

from .callsite import CallSite
from .catalog import CatalogEntry, PriceCatalog
from .modelids import matches
from .policy.model import Policy, UseCaseBudget
from .pricing.rates import Rates
from .providers import cache_facts, load_providers

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


@dataclass(frozen=True, slots=True)
class UseCaseCost:
    """A use case's projection (or the unattributed call sites', with `name` None)."""

    name: str | None
    team: str | None
    sites: tuple[SiteCost, ...]
    calls_per_task: float
    tasks_per_month: float | None
    budget_monthly_usd: float | None
    #: Known part of the cost per task; the whole when `complete`.
    cost_per_task_usd: float
    #: None when there is no figure: the volume is not declared, or no call site could be priced.
    projected_monthly_usd: float | None
    #: Every call site priced and the volume declared.
    complete: bool
    #: Why the projection is incomplete.
    gaps: tuple[str, ...]
    #: Budget fields (VOLUME_FIELDS) its call sites need that the policy does not declare: "volume not declared".
    missing_volume: tuple[str, ...] = ()

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(sorted({s.model_label for s in self.sites}))

    @property
    def cost_per_call_usd(self) -> float | None:
        """The dearest call site's expected cost per call (the figure a per-call ceiling is about)."""
        known = [s.expected_usd for s in self.sites if s.expected_usd is not None]
        return max(known) if known else None

    @property
    def worst_case_cost_per_call_usd(self) -> float | None:
        """The dearest worst case; None when any call is unbounded or unpriced."""
        if not self.sites or any(s.worst_case_usd is None for s in self.sites):
            return None
        return max(s.worst_case_usd for s in self.sites if s.worst_case_usd is not None)

    @property
    def unbounded(self) -> bool:
        return any(s.unbounded for s in self.sites)

    @property
    def headroom_usd(self) -> float | None:
        if self.budget_monthly_usd is None or self.projected_monthly_usd is None:
            return None
        return self.budget_monthly_usd - self.projected_monthly_usd


@dataclass(frozen=True, slots=True)
class TeamCost:
    name: str
    #: Known part of the team's projected spend (see `complete`).
    projected_monthly_usd: float
    budget_monthly_usd: float | None
    complete: bool
    #: The team's use cases with call sites whose volume the policy does not declare (they add nothing to the figure).
    volume_not_declared: tuple[str, ...] = ()
    #: True when at least one of its use cases with call sites has a figure (else the figure says nothing).
    projected: bool = True


@dataclass(frozen=True, slots=True)
class CostProjection:
    """Projected spend of every use case, its team, and the call sites no use case claims."""

    as_of: date
    today: date
    use_cases: tuple[UseCaseCost, ...]
    teams: tuple[TeamCost, ...]
    unattributed: UseCaseCost

    @property
    def total_monthly_usd(self) -> float:
        """Known projected spend, unattributed included; see `complete` for whether it is all of it."""
        return sum(u.projected_monthly_usd or 0.0 for u in (*self.use_cases, self.unattributed))

    @property
    def complete(self) -> bool:
        return all(u.complete for u in self.use_cases) and (self.unattributed.complete or not self.unattributed.sites)

    @property
    def volume_not_declared(self) -> tuple[UseCaseCost, ...]:
        """Use cases (and the unattributed row) with call sites whose volume the policy does not declare."""
        return tuple(u for u in (*self.use_cases, self.unattributed) if u.sites and u.missing_volume)

    @property
    def projected(self) -> bool:
        """True when `total_monthly_usd` says something: some call site's spend has a figure, or there is no call site."""
        rows = [u for u in (*self.use_cases, self.unattributed) if u.sites]
        return not rows or any(u.projected_monthly_usd is not None for u in rows)

    def use_case(self, name: str) -> UseCaseCost | None:
        return next((u for u in self.use_cases if u.name == name), None)


def _volume_needed(site: CallSite, budget: UseCaseBudget) -> tuple[str, ...]:
    """Token volumes an unpriced call will need once it can be priced, that the budget lacks (unit-priced calls: none known)."""
    operation = site.site.operation
    if operation in _UNIT_PRICED or operation in ("image", "audio"):
        return ()
    fields = ("avg_input_tokens",) if operation == "embedding" else ("avg_input_tokens", "avg_output_tokens")
    return tuple(f for f in fields if getattr(budget, f) is None)


def _project_use_case(name: str | None, team: str | None, budget: UseCaseBudget, budget_usd: float | None,
                      sites: Sequence[CallSite], policy: Policy, catalog: PriceCatalog, today: date) -> UseCaseCost:
    field_name = f"use_cases.{name}.budget" if name is not None else "unattributed.budget"
    priced = tuple(price_call(site, budget, policy, catalog, today, field_name) for site in sites)
    # what the calls need, also those unpriced for another reason (an unresolved model needs the volume all the same)
    needed = {f for p in priced if p.expected_usd is None for f in (p.missing_volume or _volume_needed(p.site, budget))}
    if priced and budget.tasks_per_month is None:
        needed.add("tasks_per_month")
    missing = tuple(f for f in VOLUME_FIELDS if f in needed)
    gaps: list[str] = []
    if missing:
        gaps.append(f"volume not declared: {field_name} declares no {', '.join(missing)}")
    for problem, count in sorted(Counter(p.problem for p in priced if p.problem and not p.missing_volume).items()):
        gaps.append(f"{count} call site{'s' if count != 1 else ''}: {problem}")
    known = [p.expected_usd for p in priced if p.expected_usd is not None]
    per_task = sum(known) * budget.calls_per_task
    tasks = budget.tasks_per_month
    # a figure only when there is one: no call site (nothing to spend), or a volume and at least one priced call
    monthly = 0.0 if not priced else (per_task * tasks if tasks is not None and known else None)
    return UseCaseCost(name=name, team=team, sites=priced, calls_per_task=budget.calls_per_task, tasks_per_month=tasks,
                       budget_monthly_usd=budget_usd, cost_per_task_usd=per_task, projected_monthly_usd=monthly,
                       complete=not gaps, gaps=tuple(gaps), missing_volume=missing)


def _team_cost(team: str, rows: Sequence[UseCaseCost], policy: Policy) -> TeamCost:
    busy = [u for u in rows if u.sites]
    return TeamCost(name=team,
                    projected_monthly_usd=sum(u.projected_monthly_usd or 0.0 for u in rows),
                    budget_monthly_usd=policy.teams[team].monthly_budget_usd if team in policy.teams else None,
                    complete=all(u.complete for u in rows),
                    volume_not_declared=tuple(u.name for u in busy if u.missing_volume and u.name is not None),
                    projected=not busy or any(u.projected_monthly_usd is not None for u in busy))


def project(call_sites: Iterable[CallSite], policy: Policy, catalog: PriceCatalog, today: date) -> CostProjection:
    """Project every declared use case's monthly spend from the call sites that serve it."""
    by_use_case: dict[str, list[CallSite]] = {name: [] for name in policy.use_cases}
    unattributed: list[CallSite] = []
    for site in sorted(call_sites, key=lambda c: (c.path, c.site.line, c.site.column)):
        if site.use_case in by_use_case:
            by_use_case[site.use_case].append(site)
        else:
            unattributed.append(site)
    use_cases = tuple(
        _project_use_case(name, policy.use_cases[name].team, policy.use_cases[name].budget,
                          policy.use_cases[name].budget.monthly_usd, sites, policy, catalog, today)
        for name, sites in sorted(by_use_case.items())
    )
    team_names = sorted(set(policy.teams) | {u.team for u in use_cases if u.team})
    teams = tuple(_team_cost(team, [u for u in use_cases if u.team == team], policy) for team in team_names)
    rest = _project_use_case(None, None, policy.unattributed.budget, policy.unattributed.budget.monthly_usd,
                             unattributed, policy, catalog, today)
    return CostProjection(as_of=catalog.as_of, today=today, use_cases=use_cases, teams=teams, unattributed=rest)


# --- diff between two projections ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteChange:
    """A call site whose cost differs between base and head (added, removed or changed)."""

    kind: Literal["added", "removed", "changed"]
    path: str
    line: int
    function: str | None
    model_before: str | None
    model_after: str | None
    cost_before_usd: float | None
    cost_after_usd: float | None


@dataclass(frozen=True, slots=True)
class UseCaseDelta:
    """A use case's projected monthly spend before and after a change."""

    name: str | None
    before_usd: float | None
    after_usd: float | None
    changes: tuple[SiteChange, ...]
    max_increase_pct: float | None

    @property
    def delta_usd(self) -> float | None:
        if self.before_usd is None or self.after_usd is None:
            return None
        return self.after_usd - self.before_usd

    @property
    def delta_pct(self) -> float | None:
        """Percent change; None without a (non-zero) base to compare with."""
        delta = self.delta_usd
        if delta is None or not self.before_usd:
            return None
        return delta / self.before_usd * 100

    @property
    def over_limit(self) -> bool:
        pct = self.delta_pct
        return self.max_increase_pct is not None and pct is not None and pct > self.max_increase_pct


def _site_key(cost: SiteCost) -> tuple[str, str, str]:
    s = cost.site.site
    return (s.path, s.function or "<module>", s.api)


def _changes(before: UseCaseCost | None, after: UseCaseCost | None) -> tuple[SiteChange, ...]:
    """Pair call sites by (file, function, API) and their order there, so moved lines don't count as changes."""
    def keyed(cost: UseCaseCost | None) -> dict[tuple[str, str, str, int], SiteCost]:
        seen: Counter[tuple[str, str, str]] = Counter()
        out: dict[tuple[str, str, str, int], SiteCost] = {}
        for site in cost.sites if cost else ():
            key = _site_key(site)
            out[(key[0], key[1], key[2], seen[key])] = site
            seen[key] += 1
        return out

    old, new = keyed(before), keyed(after)
    changes: list[SiteChange] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.expected_usd == b.expected_usd and a.site.model == b.site.model:
            continue
        kind: Literal["added", "removed", "changed"] = "added" if a is None else "removed" if b is None else "changed"
        where = (b or a)
        assert where is not None
        changes.append(SiteChange(kind=kind, path=where.site.path, line=where.site.site.line, function=where.site.site.function,
                                  model_before=a.model_label if a else None, model_after=b.model_label if b else None,
                                  cost_before_usd=a.expected_usd if a else None, cost_after_usd=b.expected_usd if b else None))
    return tuple(changes)


def diff(base: CostProjection, head: CostProjection, policy: Policy) -> tuple[UseCaseDelta, ...]:
    """Per use case (and the unattributed row last) before, after and the call sites that changed."""
    names = sorted({u.name for u in base.use_cases if u.name} | {u.name for u in head.use_cases if u.name})
    rows = []
    for name in names:
        before, after = base.use_case(name), head.use_case(name)
        declared = policy.use_cases.get(name)
        rows.append(UseCaseDelta(name, before.projected_monthly_usd if before else 0.0,
                                 after.projected_monthly_usd if after else 0.0, _changes(before, after),
                                 declared.budget.max_increase_pct if declared else None))
    rows.append(UseCaseDelta(None, base.unattributed.projected_monthly_usd, head.unattributed.projected_monthly_usd,
                             _changes(base.unattributed, head.unattributed), None))
    return tuple(rows)


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


@dataclass(frozen=True)
class CostReport:
    """What the cost reporters print: the projection, and with `--base` the base and the per-use-case diff."""

    projection: CostProjection
    base_ref: str | None = None
    base: CostProjection | None = None
    deltas: tuple[UseCaseDelta, ...] = ()

    def delta(self, name: str | None) -> UseCaseDelta | None:
        return next((d for d in self.deltas if d.name == name), None)
