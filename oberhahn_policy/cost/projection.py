"""Projecting spend: each use case's and team's monthly cost from its call sites and volumes, and the diff of two
projections (what a change does to a use case's spend)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Literal, Sequence

from ..callsite import CallSite
from ..catalog import PriceCatalog
from ..policy.model import Policy, UseCaseBudget
from .pricing import VOLUME_FIELDS, SiteCost, is_unit_priced, price_call

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
    if is_unit_priced(operation):
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


@dataclass(frozen=True)
class CostReport:
    """What the cost reporters print: the projection, and with `--base` the base and the per-use-case diff."""

    projection: CostProjection
    base_ref: str | None = None
    base: CostProjection | None = None
    deltas: tuple[UseCaseDelta, ...] = ()

    def delta(self, name: str | None) -> UseCaseDelta | None:
        return next((d for d in self.deltas if d.name == name), None)
