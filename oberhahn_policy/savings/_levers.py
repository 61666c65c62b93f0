"""Finding the levers: each one re-prices call sites of the cost projection with one thing changed.

"Now" is always the projection's own figure for the call (`cost.project`, what `cost` prints); "after"
is `cost.price_call` on the same call with the change applied: another model (routing), the batch
or flex tier (an offline use case), a cache marker (an uncached static prefix), a lower output
limit (worst case only), a shorter static prompt. So every figure comes from one arithmetic.

Thresholds (the policy has no keys for them yet):

- an output limit is "far above the need" at `OUTPUT_LIMIT_FACTOR` (4) times `budget.avg_output_tokens`
  or more, and the suggested cap is `OUTPUT_CAP_HEADROOM` (2) times the average, so that answers twice
  the average still fit; a call without a limit is bounded by the model's own maximum output where
  the catalog gives one, else unbounded;
- a static prefix is cacheable from the provider's minimum (data/providers.yaml `cache`), and worth caching only
  when the cache stays warm: below one call per 5-minute cache lifetime every call writes the cache, which costs
  more than ordinary input where the provider charges a write premium (Anthropic), so there is no lever.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Iterable

from ..callsite import CallSite
from ..catalog import PriceCatalog
from ..cost import (
    CostProjection,
    SiteCost,
    UseCaseCost,
    cached_prefix_tokens,
    is_batch_call,
    price_call,
    unit_price,
)
from ..evidence import EvidenceReport, canonical_model, cheaper_model
from ..policy.model import Policy, UseCase, UseCaseBudget
from ..providers import cache_facts, load_providers
from ._arithmetic import per_call, per_month, rate, tokens
from ._model import KIND_ORDER, Lever, LeverKind, LeverSite, Measure, SavingsReport

#: An output limit at least this many times the average answer is far above the need.
OUTPUT_LIMIT_FACTOR = 4
#: The suggested output cap, as a multiple of the average answer.
OUTPUT_CAP_HEADROOM = 2
#: Operations a batch or flex tier serves (chat, text completions, embeddings).
_BATCHABLE = frozenset({"chat", "completion", "embedding"})
#: Operations that send a prompt and produce text: the ones caching, output caps and prompt trims concern.
_TEXT = frozenset({"chat", "completion"})
_ESTIMATE = ("token counts of static prompts are estimates without a tokenizer (within -19%..+12% of OpenAI's "
             "tokenizers on the project's fixture prompts)")


class _Pricing:
    """What re-pricing a call needs: the policy, the catalog, the day, and the row's budget."""

    def __init__(self, policy: Policy, catalog: PriceCatalog, today: date, row: UseCaseCost) -> None:
        self.policy, self.catalog, self.today, self.row = policy, catalog, today, row
        self.use_case: UseCase | None = policy.use_cases.get(row.name) if row.name is not None else None
        self.budget: UseCaseBudget = self.use_case.budget if self.use_case is not None else policy.unattributed.budget
        self.field = "the use case's budget" if row.name is not None else "unattributed.budget"

    def price(self, site: CallSite, budget: UseCaseBudget | None = None, tier: str | None = None) -> SiteCost:
        return price_call(site, budget or self.budget, self.policy, self.catalog, self.today, self.field, service_tier=tier)

    def monthly(self, per_call_usd: float | None) -> float | None:
        tasks = self.budget.tasks_per_month
        if per_call_usd is None or tasks is None:
            return None
        return per_call_usd * self.budget.calls_per_task * tasks

    def lever_site(self, now: SiteCost, after: SiteCost, worst_case: bool = False,
                   after_budget: UseCaseBudget | None = None, now_note: str | None = None,
                   after_note: str | None = None) -> LeverSite:
        now_usd = now.worst_case_usd if worst_case else now.expected_usd
        after_usd = None if after_note is not None else after.worst_case_usd if worst_case else after.expected_usd
        lines = [f"now: {now_note or per_call(now, self.budget, worst_case)}",
                 f"after: {after_note or per_call(after, after_budget or self.budget, worst_case)}"]
        month = per_month(now_usd, after_usd, self.budget)
        if month is not None:
            lines.append(month)
        return LeverSite(now.site, now_usd, after_usd, self.monthly(now_usd), self.monthly(after_usd), tuple(lines))

    def unpriced_reason(self, now: SiteCost | None = None) -> str | None:
        """Why a lever on this call has no $/month figure: the call is unpriced, or the volume is not declared."""
        if now is not None and now.expected_usd is None:
            return now.problem or "the call can't be priced"
        if self.budget.tasks_per_month is None:
            return f"{self.field} declares no tasks_per_month"
        return None

    def lever(self, kind: LeverKind, rule: str | None, measure: Measure, change: str, basis: str,
              sites: Iterable[LeverSite], unpriced: str | None = None, caveats: Iterable[str] = (),
              evidence_file: str | None = None) -> Lever:
        return Lever(kind, rule, self.row.name, measure, change, basis, tuple(sites), self.budget.calls_per_task,
                     self.budget.tasks_per_month, unpriced, tuple(caveats), evidence_file)


def _routing(pricing: _Pricing, evidence: EvidenceReport | None) -> list[Lever]:
    """OBH207: a model that meets the use case's quality bar costs less per task than the one a call uses."""
    row = pricing.row
    use_case = evidence.get(row.name) if evidence is not None and row.name is not None else None
    if use_case is None:
        return []
    groups: dict[tuple[str, str], list[LeverSite]] = {}
    bases: dict[tuple[str, str], tuple[str, str]] = {}
    for now in row.sites:
        site = now.site
        if site.model is None or now.expected_usd is None:
            continue
        used = canonical_model(site.model, pricing.catalog, site.provider)
        fact = cheaper_model(use_case, used)
        if fact is None:
            continue
        entry = pricing.catalog.lookup(fact.cheaper_model, site.provider)
        provider = entry.provider if entry is not None else site.provider
        after = pricing.price(replace(site, model=fact.cheaper_model, site=replace(site.site, provider=provider)))
        if after.expected_usd is None or after.expected_usd >= now.expected_usd:
            continue
        key = (used, fact.cheaper_model)
        groups.setdefault(key, []).append(pricing.lever_site(now, after))
        bar = use_case.bar
        current = use_case.get(used)
        was = (f"; {used!r} scores {current.score:.3g}" if current is not None and current.score is not None
               else f"; {used!r} has no result")
        result = fact.evidence
        details = ", ".join([result.tool, *([f"{result.samples:,} samples"] if result.samples is not None else []),
                             *([result.day.isoformat()] if result.day is not None else [])])
        bases[key] = (f"{fact.cheaper_model!r} scores {bar.metric} {result.score:.3g} >= {bar.min:g} ({details}){was}",
                      result.file)
    caveat = "the evaluation measured the use case's task: check that these calls do that work before switching them"
    return [pricing.lever("routing", "OBH207", "expected", f"use {cheaper!r} instead of {used!r}", bases[(used, cheaper)][0],
                          sites, pricing.unpriced_reason(), (caveat,), evidence_file=bases[(used, cheaper)][1])
            for (used, cheaper), sites in groups.items()]


def _batch_tier(pricing: _Pricing, untiered: list[tuple[str, CallSite]]) -> list[Lever]:
    """OBH306: an offline use case calls a synchronous endpoint where a batch (or flex) price exists."""
    use_case, name = pricing.use_case, pricing.row.name
    if use_case is None or name is None or use_case.latency != "offline":
        return []
    groups: dict[tuple[str, str], list[LeverSite]] = {}
    details: dict[tuple[str, str], tuple[str, str | None]] = {}
    for now in pricing.row.sites:
        site = now.site
        if site.site.operation not in _BATCHABLE or is_batch_call(site) or site.model is None:
            continue
        tiers: list[tuple[str, SiteCost, str]] = []
        for tier in ("batch", "flex"):
            price = unit_price(site.model, site.provider, pricing.policy, pricing.catalog, pricing.today,
                               pricing.budget.avg_input_tokens, tier)
            if price is None or price.missing_tier is not None or tier not in price.basis:
                continue
            tiers.append((tier, pricing.price(site, tier=tier),
                          f"{tier} price {rate(price.input_per_mtok)} input, {rate(price.output_per_mtok)} output"))
        if not tiers:
            untiered.append((name, site))
            continue
        tier, after, tier_price = min(tiers, key=lambda t: (t[1].expected_usd if t[1].expected_usd is not None else math.inf,
                                                            t[0] != "batch"))
        other = next((t for t in tiers if t[0] != tier), None)
        standard = now.price
        listed = (f" against {rate(standard.input_per_mtok)} and {rate(standard.output_per_mtok)} now"
                  if standard is not None else "")
        source = now.price.source if now.price is not None else site.model
        key = (site.model, tier)
        groups.setdefault(key, []).append(pricing.lever_site(now, after))
        also = None
        if other is not None and other[1].expected_usd is not None and after.expected_usd is not None:
            also = (f"the {other[0]} tier is priced too ({other[2]}): "
                    f"{per_call(other[1], pricing.budget)}")
        details[key] = (f"{source} {tier_price}{listed}", also)
    levers = []
    for (model, tier), sites in groups.items():
        basis, also = details[(model, tier)]
        change = ("send these calls through the provider's batch API (the batch tier)" if tier == "batch"
                  else 'pass service_tier="flex" (the flex tier)')
        first = next(s for s in pricing.row.sites if s.site is sites[0].site)
        levers.append(pricing.lever("batch-tier", "OBH306", "expected", change, basis, sites, pricing.unpriced_reason(first),
                                    tuple(c for c in (also,) if c is not None)))
    return levers


def _prompt_caching(pricing: _Pricing) -> list[Lever]:
    """OBH307: a static prefix at least as long as the provider's minimum cacheable prefix, without a cache marker."""
    levers = []
    providers = load_providers()
    for now in pricing.row.sites:
        site = now.site
        prompt = site.prompt
        if prompt is None or prompt.cache_marker or site.site.operation not in _TEXT:
            continue
        entry = now.price.entry if now.price is not None else None
        facts = cache_facts(site.provider, site.model) or (cache_facts(entry.provider, site.model) if entry else None)
        if facts is None or prompt.prefix_tokens < facts.minimum_tokens:
            continue
        marked = replace(site, prompt=replace(prompt, cache_marker=True))
        after = pricing.price(marked)
        cached = after.price is not None and cached_prefix_tokens(marked, after.price, pricing.budget) > 0
        if cached and now.expected_usd is not None and after.expected_usd is not None \
                and after.expected_usd >= now.expected_usd:
            continue  # too few calls to keep the cache warm: every call would write it, which costs more than input
        reason = pricing.unpriced_reason(now)
        rates = now.price.rates if now.price is not None else None
        if reason is None and not cached:
            reason = (f"the catalog has no cached-input price for {site.model!r}"
                      if rates is None or rates.cached_input_per_mtok is None
                      else f"{pricing.field} declares no avg_input_tokens")
        info = providers.provider(site.provider)
        name = info.name if info is not None else site.provider
        write = rates.cache_write_per_mtok if rates is not None else None
        basis = (f"the static prefix (about {prompt.prefix_tokens:,} tokens, estimated) is above {name}'s minimum "
                 f"cacheable size ({facts.minimum_tokens:,} tokens); cached input "
                 f"{rate(rates.cached_input_per_mtok if rates else None)}"
                 + (f", cache writes {rate(write)}" if write is not None else "")
                 + f", against {rate(now.price.input_per_mtok) if now.price is not None else 'n/a'} input")
        change = (f"set `{facts.marker}` so the calls share {name}'s prompt cache" if facts.automatic
                  else f"mark the static prefix for caching with `{facts.marker}`")
        caveats = [_ESTIMATE, "calls are assumed spread evenly over the month: one cache write per 5-minute cache lifetime"]
        if facts.automatic:
            caveats.insert(0, f"{name} caches long prefixes without being asked, so part of this saving may already "
                              "happen; the projection (and `now`) assumes no cache hits")
        after_note = None if cached else f"can't be priced: {reason}"
        levers.append(pricing.lever("prompt-caching", "OBH307", "expected", change, basis,
                                    [pricing.lever_site(now, after, after_note=after_note)], reason, caveats))
    return levers


def _output_caps(pricing: _Pricing) -> list[Lever]:
    """Output limits far above the use case's average answer: worst-case exposure a lower cap removes."""
    average = pricing.budget.avg_output_tokens
    if not average:
        return []
    cap = math.ceil(average * OUTPUT_CAP_HEADROOM)
    levers = []
    for now in pricing.row.sites:
        site = now.site
        limit = site.max_output_tokens
        entry = now.price.entry if now.price is not None else None
        if (site.site.operation not in _TEXT or now.price is None or (entry is not None and entry.mode != "chat")
                or (limit is None and site.limit_expression is not None)
                or (limit is not None and limit < OUTPUT_LIMIT_FACTOR * average)):
            continue
        after = pricing.price(replace(site, max_output_tokens=cap, limit_expression=str(cap)))
        note = None
        if limit is None:
            maximum = entry.max_output_tokens if entry is not None else None
            if maximum is not None:
                now = pricing.price(replace(site, max_output_tokens=maximum, limit_expression=str(maximum)))
                note = (f"no output limit; the model's own maximum of {maximum:,} output tokens (catalog) bounds it: "
                        f"{per_call(now, pricing.budget, worst_case=True).split(': ', 1)[1]}")
            else:
                note = "no output limit, and the catalog gives no maximum output for the model: unbounded"
            change = f"set an output limit of {cap:,} tokens ({OUTPUT_CAP_HEADROOM} x budget.avg_output_tokens)"
            ratio = ""
        else:
            change = (f"lower the output limit from {limit:,} to {cap:,} tokens "
                      f"({OUTPUT_CAP_HEADROOM} x budget.avg_output_tokens)")
            ratio = f"; the limit is {limit / average:.1f} times that"
        basis = (f"budget.avg_output_tokens {tokens(average)}{ratio}; output price "
                 f"{rate(now.price.output_per_mtok) if now.price is not None else 'n/a'}")
        reason = pricing.unpriced_reason(now)
        caveat = (f"worst case: every call's answer runs to its limit; expected spend does not change, since the average "
                  f"answer ({tokens(average)} tokens) fits under the cap")
        levers.append(pricing.lever("output-cap", None, "worst-case", change, basis,
                                    [pricing.lever_site(now, after, worst_case=True, now_note=note)], reason, (caveat,)))
    return levers


def _prompt_trim(pricing: _Pricing) -> list[Lever]:
    """OBH401: a static prompt above `instrumentation.max_static_prompt_tokens`, trimmed to the limit."""
    limit = pricing.policy.instrumentation.max_static_prompt_tokens
    if limit is None:
        return []
    levers = []
    budget = pricing.budget
    for now in pricing.row.sites:
        site = now.site
        prompt = site.prompt
        if prompt is None or prompt.tokens <= limit:
            continue
        excess = prompt.tokens - limit
        caveats = [_ESTIMATE]
        average = budget.avg_input_tokens
        trimmed_budget = budget
        if average is not None:
            removed = min(excess, average)
            trimmed_budget = budget.model_copy(update={"avg_input_tokens": average - removed})
            caveats.append(f"the prompt's tokens are taken to be part of budget.avg_input_tokens "
                           f"({tokens(average)} per call)")
            if excess > average:
                caveats.append(f"the static prompt alone (about {prompt.tokens:,} tokens) is larger than "
                               f"budget.avg_input_tokens: the budget understates input, and only {tokens(average)} "
                               "tokens were taken off")
        trimmed = replace(site, prompt=replace(prompt, tokens=limit, prefix_tokens=min(prompt.prefix_tokens, limit)))
        after = pricing.price(trimmed, trimmed_budget)
        source = f" (from {', '.join(prompt.files)})" if prompt.files else ""
        basis = (f"instrumentation.max_static_prompt_tokens {limit:,}; input price "
                 f"{rate(now.price.input_per_mtok) if now.price is not None else 'n/a'}")
        levers.append(pricing.lever(
            "prompt-trim", "OBH401", "expected",
            f"trim the static prompt{source} from about {prompt.tokens:,} to {limit:,} tokens ({excess:,} fewer per call)",
            basis, [pricing.lever_site(now, after, after_budget=trimmed_budget)], pricing.unpriced_reason(now), caveats))
    return levers


def _sort_key(lever: Lever) -> tuple[int, int, float, int, str, str, int]:
    """Expected-spend levers first, then worst-case ones; in each, by saving (largest first), those without one last."""
    saving = lever.saving_usd
    first = lever.sites[0].site
    return (0 if lever.measure == "expected" else 1, 0 if saving is not None else 1, -(saving or 0.0),
            KIND_ORDER.index(lever.kind), lever.use_case or "~", first.path, first.site.line)


def _overlaps(levers: Iterable[Lever]) -> list[tuple[CallSite, tuple[LeverKind, ...]]]:
    """Priced expected-spend levers that touch the same call: their savings don't add up."""
    kinds: dict[tuple[str, int, int], tuple[CallSite, list[LeverKind]]] = {}
    for lever in levers:
        if lever.measure != "expected" or lever.saving_usd is None:
            continue
        for entry in lever.sites:
            site = entry.site
            kinds.setdefault((site.path, site.site.line, site.site.column), (site, []))[1].append(lever.kind)
    return [(site, tuple(found)) for _, (site, found) in sorted(kinds.items(), key=lambda item: item[0]) if len(found) > 1]


def find_savings(projection: CostProjection, policy: Policy, catalog: PriceCatalog, today: date,
                 evidence: EvidenceReport | None = None) -> SavingsReport:
    """Every lever of the projected call sites, priced now and after, largest saving first."""
    levers: list[Lever] = []
    untiered: list[tuple[str, CallSite]] = []
    for row in (*projection.use_cases, projection.unattributed):
        if not row.sites:
            continue
        pricing = _Pricing(policy, catalog, today, row)
        levers += _routing(pricing, evidence)
        levers += _batch_tier(pricing, untiered)
        levers += _prompt_caching(pricing)
        levers += _output_caps(pricing)
        levers += _prompt_trim(pricing)
    levers.sort(key=_sort_key)
    return SavingsReport(today=today, catalog_as_of=projection.as_of, projected_monthly_usd=projection.total_monthly_usd,
                         projection_complete=projection.complete, levers=tuple(levers), overlaps=tuple(_overlaps(levers)),
                         untiered=tuple(untiered))
