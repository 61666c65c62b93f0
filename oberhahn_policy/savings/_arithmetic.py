"""The arithmetic behind a priced call, written out: tokens x rates = cost per call, x volume = cost per month.

The figures are the ones oberhahn_policy/cost.py computed (`price_call`); this module only says how,
using the same rates, cached-prefix size and cache-write share, so a reader can redo the sum.
"""

from __future__ import annotations

from ..cost import SiteCost, cache_write_share, cached_prefix_tokens, usd
from ..policy.model import UseCaseBudget


def tokens(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def rate(value: float | None) -> str:
    return "n/a" if value is None else f"${value:g}/M"


def _produces_output(cost: SiteCost) -> bool:
    entry = cost.price.entry if cost.price is not None else None
    return cost.site.site.operation != "embedding" and not (entry is not None and entry.mode == "embedding")


def per_call(cost: SiteCost, budget: UseCaseBudget, worst_case: bool = False) -> str:
    """`gpt-6-sol (list): 1,200 input tokens x $2/M + 150 output tokens x $10/M = $0.0039 per call`."""
    value = cost.worst_case_usd if worst_case else cost.expected_usd
    model = cost.site.model or cost.model_label
    if value is None:
        return f"{model}: {cost.problem or 'no output limit, so no bound'}"
    price = cost.price
    operation = cost.site.site.operation
    basis = cost.price_basis
    if basis and price is not None and price.discount:
        basis += f", {price.discount:.0%} discount"
    label = f"{model} ({basis})" if basis else model
    if price is None or budget.avg_input_tokens is None or operation in ("image", "audio"):
        return f"{label}: {usd(value)} per call"
    site = cost.site
    prompt_tokens = budget.avg_input_tokens
    cached = cached_prefix_tokens(site, price, budget)
    terms: list[str] = []
    if cached and price.rates is not None and price.rates.cached_input_per_mtok is not None:
        rates = price.rates
        share = cache_write_share(budget)
        write = rates.cache_write_per_mtok if rates.cache_write_per_mtok is not None else price.input_per_mtok
        assert rates.cached_input_per_mtok is not None and budget.tasks_per_month is not None
        effective = share * write + (1 - share) * rates.cached_input_per_mtok
        calls = budget.tasks_per_month * budget.calls_per_task
        terms.append(f"{tokens(prompt_tokens - cached)} input tokens x {rate(price.input_per_mtok)}")
        terms.append(f"{tokens(cached)} cached-prefix tokens x {rate(round(effective, 6))} ({tokens(calls * share)} "
                     f"of {tokens(calls)} calls a month write the cache at {rate(write)}, the rest read it at "
                     f"{rate(rates.cached_input_per_mtok)})")
    else:
        terms.append(f"{tokens(prompt_tokens)} input tokens x {rate(price.input_per_mtok)}")
    if _produces_output(cost) and budget.avg_output_tokens is not None:
        limit = site.max_output_tokens
        if worst_case:
            assert limit is not None
            terms.append(f"{tokens(limit)} output tokens (the limit) x {rate(price.output_per_mtok)}")
        else:
            output = budget.avg_output_tokens if limit is None else min(budget.avg_output_tokens, limit)
            capped = " (capped by the limit)" if limit is not None and limit < budget.avg_output_tokens else ""
            terms.append(f"{tokens(output)} output tokens{capped} x {rate(price.output_per_mtok)}")
    return f"{label}: {' + '.join(terms)} = {usd(value)} per call"


def per_month(now: float | None, after: float | None, budget: UseCaseBudget) -> str | None:
    """`per month: x 1 call per task x 300,000 tasks = $1,170.00 now, $58.50 after, $1,111.50 less`; None without
    the volume or an after figure (`unbounded now` when there is no figure now)."""
    tasks = budget.tasks_per_month
    if tasks is None or after is None:
        return None
    calls = budget.calls_per_task
    factor = calls * tasks
    volume = f"x {tokens(calls)} call{'s' if calls != 1 else ''} per task x {tokens(tasks)} tasks"
    if now is None:
        return f"per month: {volume} = unbounded now, {usd(after * factor)} after"
    return f"per month: {volume} = {usd(now * factor)} now, {usd(after * factor)} after, {usd((now - after) * factor)} less"
