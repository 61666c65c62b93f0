"""Observed usage against the policy: every call re-priced, then summed per use case, team and day.

Pure functions over usage records. Each record is priced by an injected `Pricer` at the price
in force on the record's own day, with its cached reads at the cached-input price and its batch
tier at the batch discount; the cost the source reported is kept beside it and the difference
shown, never used instead. A record's use case is its `use_case` attribution, else the policy's
path mapping applied to the call site it names; records with neither are the unattributed row.

Per use case: calls, tasks (distinct task ids), tokens, spend, cost per task = spend / tasks,
set against the projected cost per task (computed from the code by the caller) and
`limits.max_cost_per_task_usd`; drift % = (observed - projected) / projected x 100. A record
that cannot be priced is counted and makes its row incomplete: what is known is then a lower
bound, never a total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import PurePosixPath
from typing import Iterable, Literal, Mapping

from ..findings import Finding, Severity
from ..modelids import matches
from ..policy.model import Policy, UseCase
from ..resolve import path_matches
from .pricing import Pricer, RecordPrice
from .records import CodeLocation, FileSummary, ReadProblem, UsageRecord

# --- the report -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """One model as seen in one use case's traffic."""

    model: str
    calls: int
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    spend_usd: float
    #: Calls of this model that could not be priced.
    unpriced_calls: int
    #: Approved for the use case; None where there is no declared use case to approve it.
    approved: bool | None
    #: Why it is not approved, in words (`not in models.approved (gpt-6-luna)`).
    approval_note: str | None
    #: The first call site a record of this model names.
    call_site: CodeLocation | None
    #: Where its price came from (`catalog:gpt-6-luna`); None when unpriced.
    price_source: str | None


@dataclass(frozen=True, slots=True)
class DayUsage:
    """One UTC day of a use case's traffic (for charts of cost per task over time)."""

    day: date
    calls: int
    #: Distinct tasks with a call that day (a task spanning midnight counts on both days).
    tasks: int
    spend_usd: float
    unpriced_calls: int

    @property
    def cost_per_task_usd(self) -> float | None:
        return self.spend_usd / self.tasks if self.tasks else None


Status = Literal["declared", "undeclared", "unattributed"]


@dataclass(frozen=True, slots=True)
class UseCaseUsage:
    """A use case's observed traffic against its projection (or the unattributed traffic, `name` None)."""

    name: str | None
    #: declared in the policy, seen in traffic but undeclared, or the row of records without a use case.
    status: Status
    #: The declared use case's team; for undeclared use cases the team the records name most often.
    team: str | None
    calls: int
    #: Distinct task ids.
    tasks: int
    #: Calls whose record names no task (they add spend but no task).
    calls_without_task: int
    input_tokens: int
    cached_input_tokens: int
    cache_write_tokens: int
    output_tokens: int
    #: Re-priced spend in USD of the calls that could be priced.
    spend_usd: float
    #: Calls that could not be priced (unknown model, no token counts): `spend_usd` is then a lower bound.
    unpriced_calls: int
    #: What the sources reported, over the calls that report a cost; None when none does.
    reported_usd: float | None
    reported_calls: int
    #: Re-priced minus reported, over the calls that have both; positive when the source under-reports.
    repricing_delta_usd: float | None
    #: Share of all re-priced spend in the window, in percent; None when there was no spend.
    share_pct: float | None
    #: Observed cost per task = spend / tasks; None without tasks.
    cost_per_task_usd: float | None
    #: From the static projection (the caller's argument); None when unknown.
    projected_cost_per_task_usd: float | None
    #: `limits.max_cost_per_task_usd`.
    max_cost_per_task_usd: float | None
    #: `budget.max_drift_pct`.
    max_drift_pct: float | None
    #: (observed - projected) / projected x 100; None when either is unknown or the projection is 0.
    drift_pct: float | None
    models: tuple[ModelUsage, ...]
    days: tuple[DayUsage, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    #: The first call site a record of the use case names.
    call_site: CodeLocation | None
    #: Pricing assumptions, as `N calls: note`.
    price_notes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every call priced: the spend and cost per task are totals, not lower bounds."""
        return self.unpriced_calls == 0

    def model(self, name: str) -> ModelUsage | None:
        return next((m for m in self.models if m.model == name), None)


@dataclass(frozen=True, slots=True)
class TeamUsage:
    """Observed spend of one team (the record's `team`, else its declared use case's); `name` None for none."""

    name: str | None
    calls: int
    tasks: int
    spend_usd: float
    unpriced_calls: int
    share_pct: float | None
    #: `teams.NAME.monthly_budget_usd`, for scale (the window need not be a month).
    monthly_budget_usd: float | None
    use_cases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Observed usage reconciled with the policy."""

    #: Every declared use case, in name order, with or without traffic.
    use_cases: tuple[UseCaseUsage, ...]
    #: Use cases seen in traffic that the policy does not declare, in name order.
    undeclared: tuple[UseCaseUsage, ...]
    #: Calls that name no use case (and whose call site no `paths` mapping claims).
    unattributed: UseCaseUsage
    teams: tuple[TeamUsage, ...]
    total_calls: int
    total_spend_usd: float
    unpriced_calls: int
    #: Models that could not be priced, in name order.
    unpriced_models: tuple[str, ...]
    reported_usd: float | None
    repricing_delta_usd: float | None
    #: The window asked for (inclusive days), and the first and last call seen in it.
    since: date | datetime | None
    until: date | datetime | None
    first_seen: datetime | None
    last_seen: datetime | None
    #: Usage records read, and those left out by the window.
    records_read: int
    records_outside_window: int
    files: tuple[FileSummary, ...]
    problems: tuple[ReadProblem, ...]
    #: What the usage-phase rules (OBH601-OBH605) found, sorted; `reconcile` leaves it empty, `api.usage` fills it.
    findings: tuple[Finding, ...] = ()

    @property
    def unattributed_share_pct(self) -> float | None:
        return self.unattributed.share_pct

    @property
    def unreadable_files(self) -> tuple[FileSummary, ...]:
        """Files named as files that could not be read at all (missing rights, not a usage file): nothing of them is in
        the figures. (A file found in a named directory that holds no usage records is only a problem in `problems`.)"""
        return tuple(f for f in self.files if f.named and f.source is None and f.problems)

    def at_or_above(self, level: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= level.rank)

    def use_case(self, name: str) -> UseCaseUsage | None:
        return next((u for u in (*self.use_cases, *self.undeclared) if u.name == name), None)


# --- accumulation -----------------------------------------------------------------------------------


class _ModelTotals:
    __slots__ = ("calls", "input", "cached", "output", "spend", "unpriced", "site", "source")

    def __init__(self) -> None:
        self.calls = self.input = self.cached = self.output = self.unpriced = 0
        self.spend = 0.0
        self.site: CodeLocation | None = None
        self.source: str | None = None


class _DayTotals:
    __slots__ = ("calls", "tasks", "spend", "unpriced")

    def __init__(self) -> None:
        self.calls = self.unpriced = 0
        self.tasks: set[str] = set()
        self.spend = 0.0


class _Totals:
    """Running sums for one use case (or the unattributed records)."""

    __slots__ = ("calls", "tasks", "no_task", "input", "cached", "written", "output", "spend", "unpriced",
                 "reported", "reported_calls", "delta", "delta_calls", "models", "days", "first", "last", "site",
                 "notes", "teams")

    def __init__(self) -> None:
        self.calls = self.no_task = self.input = self.cached = self.written = self.output = 0
        self.unpriced = self.reported_calls = self.delta_calls = 0
        self.spend = self.reported = self.delta = 0.0
        self.tasks: set[str] = set()
        self.models: dict[str, _ModelTotals] = {}
        self.days: dict[date, _DayTotals] = {}
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.site: CodeLocation | None = None
        self.notes: Counter[str] = Counter()
        self.teams: Counter[str] = Counter()

    def add(self, record: UsageRecord, price: RecordPrice | None, day: date, team: str | None) -> float:
        self.calls += 1
        task = record.task_id
        if task is None:
            self.no_task += 1
        else:
            self.tasks.add(task)
        self.input += record.input_tokens or 0
        self.cached += record.cached_input_tokens
        self.written += record.cache_write_tokens
        self.output += record.output_tokens or 0
        stamp = record.timestamp
        if self.first is None or stamp < self.first:
            self.first = stamp
        if self.last is None or stamp > self.last:
            self.last = stamp
        if self.site is None and record.code is not None:
            self.site = record.code
        if team is not None:
            self.teams[team] += 1
        spend = 0.0
        if price is None:
            self.unpriced += 1
        else:
            spend = price.total_usd
            self.spend += spend
            for note in price.notes:
                self.notes[note] += 1
        reported = record.reported_cost_usd
        if reported is not None:
            self.reported += reported
            self.reported_calls += 1
            if price is not None:
                self.delta += spend - reported
                self.delta_calls += 1
        name = record.model or "<unknown>"
        model = self.models.get(name)
        if model is None:
            model = self.models[name] = _ModelTotals()
        model.calls += 1
        model.input += record.input_tokens or 0
        model.cached += record.cached_input_tokens
        model.output += record.output_tokens or 0
        if price is None:
            model.unpriced += 1
        else:
            model.spend += spend
            model.source = model.source or price.source
        if model.site is None and record.code is not None:
            model.site = record.code
        totals = self.days.get(day)
        if totals is None:
            totals = self.days[day] = _DayTotals()
        totals.calls += 1
        totals.spend += spend
        if price is None:
            totals.unpriced += 1
        if task is not None:
            totals.tasks.add(task)
        return spend


class _TeamTotals:
    __slots__ = ("calls", "tasks", "spend", "unpriced", "use_cases")

    def __init__(self) -> None:
        self.calls = self.unpriced = 0
        self.spend = 0.0
        self.tasks: set[str] = set()
        self.use_cases: set[str] = set()


def reconcile(items: Iterable[UsageRecord | ReadProblem | FileSummary], policy: Policy, pricer: Pricer,
              projected_cost_per_task: Mapping[str, float | None] | None = None,
              since: date | datetime | None = None, until: date | datetime | None = None) -> UsageReport:
    """Sum observed usage per use case, team and day in one pass over `items` (as `read_usage` yields them).

    `since` and `until` are inclusive: a date covers its whole UTC day; a datetime without a zone is UTC.
    """
    start, end = _window(since, until)
    projected = projected_cost_per_task or {}
    use_case_of_path = _PathMapping(policy)
    rows: dict[str | None, _Totals] = {name: _Totals() for name in policy.use_cases}
    rows.setdefault(None, _Totals())
    teams: dict[str | None, _TeamTotals] = {}
    problems: list[ReadProblem] = []
    files: list[FileSummary] = []
    unpriced_models: set[str] = set()
    read = outside = 0
    for item in items:
        if type(item) is not UsageRecord:
            if isinstance(item, ReadProblem):
                problems.append(item)
            elif isinstance(item, FileSummary):
                files.append(item)
            continue
        read += 1
        stamp = item.timestamp
        if (start is not None and stamp < start) or (end is not None and stamp >= end):
            outside += 1
            continue
        name = team_name = None
        for key, value in item.attribution:
            if key == "use_case":
                name = value
            elif key == "team":
                team_name = value
        if name is None and item.code is not None:
            name = use_case_of_path(item.code.path)
        totals = rows.get(name)
        if totals is None:
            totals = rows[name] = _Totals()
        price = pricer.price(item)
        if price is None:
            unpriced_models.add(item.model or "<unknown>")
        spend = totals.add(item, price, stamp.date(), team_name)
        if team_name is None and name is not None:
            declared = policy.use_cases.get(name)
            team_name = declared.team if declared is not None else None
        team = teams.get(team_name)
        if team is None:
            team = teams[team_name] = _TeamTotals()
        team.calls += 1
        team.spend += spend
        if price is None:
            team.unpriced += 1
        if item.task_id is not None:
            team.tasks.add(item.task_id)
        if name is not None:
            team.use_cases.add(name)
    total = sum(t.spend for t in rows.values())
    rows_out = {name: _row(name, totals, policy, projected, total) for name, totals in rows.items()}
    reported_calls = sum(t.reported_calls for t in rows.values())
    delta_calls = sum(t.delta_calls for t in rows.values())
    team_rows = tuple(
        TeamUsage(name=name, calls=t.calls, tasks=len(t.tasks), spend_usd=t.spend, unpriced_calls=t.unpriced,
                  share_pct=_share(t.spend, total),
                  monthly_budget_usd=policy.teams[name].monthly_budget_usd if name in policy.teams else None,
                  use_cases=tuple(sorted(t.use_cases)))
        for name, t in sorted(teams.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    )
    seen = [t for t in rows.values() if t.first is not None]
    return UsageReport(
        use_cases=tuple(rows_out[name] for name in sorted(policy.use_cases)),
        undeclared=tuple(rows_out[name] for name in sorted(n for n in rows if n is not None and n not in policy.use_cases)),
        unattributed=rows_out[None],
        teams=team_rows,
        total_calls=sum(t.calls for t in rows.values()),
        total_spend_usd=total,
        unpriced_calls=sum(t.unpriced for t in rows.values()),
        unpriced_models=tuple(sorted(unpriced_models)),
        reported_usd=sum(t.reported for t in rows.values()) if reported_calls else None,
        repricing_delta_usd=sum(t.delta for t in rows.values()) if delta_calls else None,
        since=since, until=until,
        first_seen=min((t.first for t in seen if t.first is not None), default=None),
        last_seen=max((t.last for t in seen if t.last is not None), default=None),
        records_read=read, records_outside_window=outside,
        files=tuple(files), problems=tuple(problems),
    )


def _row(name: str | None, t: _Totals, policy: Policy, projected: Mapping[str, float | None],
         total: float) -> UseCaseUsage:
    declared = policy.use_cases.get(name) if name is not None else None
    status: Status = "unattributed" if name is None else "declared" if declared is not None else "undeclared"
    per_task = t.spend / len(t.tasks) if t.tasks else None
    projection = projected.get(name) if name is not None else None
    drift = (per_task - projection) / projection * 100 if per_task is not None and projection else None
    team = declared.team if declared is not None else (t.teams.most_common(1)[0][0] if t.teams else None)
    models = tuple(_model_row(model, m, declared, policy) for model, m in sorted(t.models.items()))
    days = tuple(DayUsage(day=day, calls=d.calls, tasks=len(d.tasks), spend_usd=d.spend, unpriced_calls=d.unpriced)
                 for day, d in sorted(t.days.items()))
    return UseCaseUsage(
        name=name, status=status, team=team, calls=t.calls, tasks=len(t.tasks), calls_without_task=t.no_task,
        input_tokens=t.input, cached_input_tokens=t.cached, cache_write_tokens=t.written, output_tokens=t.output,
        spend_usd=t.spend, unpriced_calls=t.unpriced,
        reported_usd=t.reported if t.reported_calls else None, reported_calls=t.reported_calls,
        repricing_delta_usd=t.delta if t.delta_calls else None,
        share_pct=_share(t.spend, total), cost_per_task_usd=per_task, projected_cost_per_task_usd=projection,
        max_cost_per_task_usd=declared.limits.max_cost_per_task_usd if declared is not None else None,
        max_drift_pct=declared.budget.max_drift_pct if declared is not None else None,
        drift_pct=drift, models=models, days=days, first_seen=t.first, last_seen=t.last, call_site=t.site,
        price_notes=tuple(f"{count} call{'s' if count != 1 else ''}: {note}" for note, count in sorted(t.notes.items())),
    )


def _model_row(model: str, m: _ModelTotals, declared: UseCase | None, policy: Policy) -> ModelUsage:
    approved, note = approval(model, declared, policy)
    return ModelUsage(model=model, calls=m.calls, input_tokens=m.input, cached_input_tokens=m.cached,
                      output_tokens=m.output, spend_usd=m.spend, unpriced_calls=m.unpriced, approved=approved,
                      approval_note=note, call_site=m.site, price_source=m.source)


def approval(model: str, use_case: UseCase | None, policy: Policy) -> tuple[bool | None, str | None]:
    """Whether `model` is approved for a declared use case, as OBH201/OBH203 decide it for code; None without one."""
    if use_case is None or model == "<unknown>":
        return None, None
    denied = matches(model, policy.models.denied)
    if denied is not None:
        return False, f"matches models.denied pattern {denied!r}"
    approved = use_case.models.approved
    if approved:
        if matches(model, approved) is None:
            return False, f"not in models.approved ({', '.join(approved)})"
        return True, None
    if policy.models.default == "deny":
        return False, "the use case approves no models and models.default is deny"
    return True, None


def _share(part: float, total: float) -> float | None:
    return part / total * 100 if total > 0 else None


def _window(since: date | datetime | None, until: date | datetime | None) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for inclusive `since`/`until` bounds."""
    def moment(value: date | datetime) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return datetime.combine(value, time(), tzinfo=timezone.utc)

    start = moment(since) if since is not None else None
    end: datetime | None = None
    if until is not None:
        end = moment(until) + (timedelta(microseconds=1) if isinstance(until, datetime) else timedelta(days=1))
    return start, end


class _PathMapping:
    """`use_cases.NAME.paths` applied to the call sites records name, which are paths on the machine that ran.

    A running program's path (`/srv/app/helpdesk/search/answer.py`) has a deployment prefix the
    policy's repository-relative patterns don't; so the path and then each of its suffixes is
    tried, the first declared use case matching any of them wins.
    """

    def __init__(self, policy: Policy) -> None:
        self.patterns = [(name, use_case.paths) for name, use_case in policy.use_cases.items() if use_case.paths]
        self.memo: dict[str, str | None] = {}

    def __call__(self, path: str) -> str | None:
        if not self.patterns:
            return None
        if path not in self.memo:
            self.memo[path] = self._match(path)
        return self.memo[path]

    def _match(self, path: str) -> str | None:
        parts = PurePosixPath(path.replace("\\", "/")).parts
        parts = tuple(p for p in parts if p not in ("/", ""))
        for start in range(len(parts)):
            candidate = "/".join(parts[start:])
            for name, patterns in self.patterns:
                if path_matches(candidate, patterns):
                    return name
        return None
