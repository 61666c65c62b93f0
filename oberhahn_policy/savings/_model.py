"""What the savings report holds: every lever, priced now and after the change, with the arithmetic written out.

Computed once (`find_savings`) and printed by each format; the rules OBH207, OBH306, OBH307 and
OBH401 report the same levers at their call sites, so a finding and the report always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..callsite import CallSite
from ..cost import usd

#: `routing`: a cheaper evaluated model (OBH207); `batch-tier`: an offline use case on a synchronous endpoint (OBH306);
#: `prompt-caching`: an uncached static prefix (OBH307); `output-cap`: an output limit far above the average answer;
#: `prompt-trim`: a static prompt above `instrumentation.max_static_prompt_tokens` (OBH401).
LeverKind = Literal["routing", "batch-tier", "prompt-caching", "output-cap", "prompt-trim"]
#: `expected`: projected spend; `worst-case`: what the calls could cost if every answer ran to its limit.
Measure = Literal["expected", "worst-case"]

#: The order kinds are listed in when savings tie.
KIND_ORDER: tuple[LeverKind, ...] = ("routing", "batch-tier", "prompt-caching", "prompt-trim", "output-cap")


def _total(values: list[float | None]) -> float | None:
    return None if not values or any(v is None for v in values) else sum(v for v in values if v is not None)


@dataclass(frozen=True, slots=True)
class LeverSite:
    """One call site a lever applies to, priced now and after the change."""

    site: CallSite
    #: USD per call now and after the change (expected; the worst case for `worst-case` levers); None when unbounded
    #: or unpriced.
    per_call_now_usd: float | None
    per_call_after_usd: float | None
    #: Per call x `calls_per_task` x `tasks_per_month`; None without the volume (or when the per-call figure is None).
    monthly_now_usd: float | None
    monthly_after_usd: float | None
    #: How the figures are computed, one line each: now, after, per month.
    arithmetic: tuple[str, ...]

    @property
    def monthly_saving_usd(self) -> float | None:
        if self.monthly_now_usd is None or self.monthly_after_usd is None:
            return None
        return self.monthly_now_usd - self.monthly_after_usd


@dataclass(frozen=True, slots=True)
class Lever:
    """One change that lowers spend (or worst-case exposure) of some call sites of one use case."""

    kind: LeverKind
    #: The rule that reports it at each call site (OBH207, OBH306, OBH307, OBH401); None for output caps.
    rule: str | None
    #: The use case; None for call sites no declared use case claims (priced with `unattributed.budget`).
    use_case: str | None
    measure: Measure
    #: What to change, in words.
    change: str
    #: The evidence or the price the figures rest on.
    basis: str
    sites: tuple[LeverSite, ...]
    calls_per_task: float
    tasks_per_month: float | None
    #: Why the lever has no $/month figure (no volume, an unpriced model...); None when it has one.
    unpriced: str | None = None
    #: What the figures assume or leave out.
    caveats: tuple[str, ...] = ()
    #: The evaluation result file a routing lever rests on (POSIX, relative to the project root).
    evidence_file: str | None = None

    @property
    def monthly_now_usd(self) -> float | None:
        return _total([s.monthly_now_usd for s in self.sites])

    @property
    def monthly_after_usd(self) -> float | None:
        return _total([s.monthly_after_usd for s in self.sites])

    @property
    def saving_usd(self) -> float | None:
        """USD a month the change saves; None when it can't be priced or the figure now is unbounded."""
        return _total([s.monthly_saving_usd for s in self.sites])

    @property
    def saving_pct(self) -> float | None:
        now, saving = self.monthly_now_usd, self.saving_usd
        return None if now is None or saving is None or now == 0 else saving / now * 100


@dataclass(frozen=True, slots=True)
class SavingsReport:
    """Every lever of a project, largest saving first, and the projection they are measured against."""

    today: date
    catalog_as_of: date
    #: The project's projected monthly spend (the `cost` total), for scale.
    projected_monthly_usd: float
    #: Every call site priced and every volume declared (`cost`'s `complete`).
    projection_complete: bool
    #: Expected-spend levers, then worst-case ones; in each, by saving (largest first), those without a figure last.
    levers: tuple[Lever, ...]
    #: Calls several priced expected-spend levers apply to: their savings overlap, so the total overstates them.
    overlaps: tuple[tuple[CallSite, tuple[LeverKind, ...]], ...] = ()
    #: Calls of offline use cases whose model has no batch or flex price (use case, call).
    untiered: tuple[tuple[str, CallSite], ...] = ()

    def of(self, kind: LeverKind) -> tuple[Lever, ...]:
        return tuple(lever for lever in self.levers if lever.kind == kind)

    def measured(self, measure: Measure) -> tuple[Lever, ...]:
        return tuple(lever for lever in self.levers if lever.measure == measure)

    @property
    def expected_saving_usd(self) -> float:
        """The priced expected-spend savings added up (levers on one call site overlap; see `notes`)."""
        return sum(lever.saving_usd or 0.0 for lever in self.measured("expected"))

    @property
    def worst_case_saving_usd(self) -> float:
        """The priced worst-case exposure removed by the output caps, added up."""
        return sum(lever.saving_usd or 0.0 for lever in self.measured("worst-case"))


def site_figures(lever: Lever, entry: LeverSite) -> str:
    """What a lever changes at one call, for a finding's message: per month when the volume is known, else per call."""
    now, after = entry.monthly_now_usd, entry.monthly_after_usd
    worst = "worst case " if lever.measure == "worst-case" else ""
    if after is not None and lever.tasks_per_month is not None:
        shown_now = "unbounded" if now is None else f"{usd(now)}/month"
        less = f" ({usd(now - after)}/month less at {lever.tasks_per_month:,.0f} tasks/month)" if now is not None else ""
        return f"{worst}{shown_now} now, {usd(after)}/month after{less}"
    if entry.per_call_now_usd is not None and entry.per_call_after_usd is not None:
        return (f"{worst}{usd(entry.per_call_now_usd)} per call now, {usd(entry.per_call_after_usd)} after"
                + (f" ({lever.unpriced})" if lever.unpriced else ""))
    return f"no $/month figure: {lever.unpriced}" if lever.unpriced else "no $/month figure"
