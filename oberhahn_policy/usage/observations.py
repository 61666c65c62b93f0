"""The facts behind the observed-usage rules OBH601-OBH605, each with its message and its place.

A place is the call site when the usage records name one (`code.file.path`, `code.line.number`)
that is in the project, else the policy line that declares what the finding is about (the
threshold it exceeds, the use case's approved models, the use cases); a named call site that is not in
the project is then quoted in the message. Messages write the figures out, so a reader can check them
against the report. Where some calls could not be priced the observed cost is a lower bound: a
ceiling it already exceeds is exceeded for certain, and the message says the figure is partial.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from ..cost import usd
from ..policy.document import YamlPath
from ..policy.load import LoadedPolicy
from .reconcile import UsageReport, UseCaseUsage
from .records import CodeLocation

Figure = tuple[str, float | int | str | None]


@dataclass(frozen=True, slots=True)
class UsageObservation:
    """One observed-usage finding, before a rule gives it a severity and a format writes it."""

    code: str
    name: str
    message: str
    #: Where it points: a call site the records name, or a policy file.
    path: str
    line: int
    #: 1-based.
    column: int
    #: True when `path` is a call site from the records, False when it is a policy position.
    at_call_site: bool
    use_case: str | None
    model: str | None
    #: The figures the message states, by name, for machine-readable formats.
    figures: tuple[Figure, ...]


RULES = {
    "OBH601": "cost-per-task-drift",
    "OBH602": "cost-per-task-over-limit",
    "OBH603": "unattributed-spend",
    "OBH604": "undeclared-use-case-in-traffic",
    "OBH605": "unapproved-model-in-traffic",
}


def observe(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> tuple[UsageObservation, ...]:
    """Every OBH601-OBH605 fact in `report`, sorted by place and code.

    `root` (the repository) turns a call site's runtime path into a path under it when a
    suffix of the path exists there (`/srv/app/helpdesk/x.py` -> `helpdesk/x.py`).
    """
    found = [fact for facts in FACTS.values() for fact in facts(report, loaded, root)]
    return tuple(sorted(found, key=lambda o: (o.path, o.line, o.column, o.code, o.message)))


def drift(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> list[UsageObservation]:
    """OBH601: use cases whose observed cost per task is above the projection by more than `budget.max_drift_pct`."""
    return [fact for row in report.use_cases for fact in _drift(row, loaded)]


def over_limit(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> list[UsageObservation]:
    """OBH602: use cases whose observed cost per task is above `limits.max_cost_per_task_usd`."""
    return [fact for row in report.use_cases for fact in _over_limit(row, loaded)]


def unattributed(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> list[UsageObservation]:
    """OBH603: the share of spend without a use case, when above `attribution.max_unattributed_pct`."""
    return _unattributed(report, loaded)


def undeclared(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> list[UsageObservation]:
    """OBH604: use cases seen in traffic that the policy does not declare."""
    return [fact for row in report.undeclared for fact in _undeclared(row, loaded, root)]


def unapproved(report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> list[UsageObservation]:
    """OBH605: models in a declared use case's traffic that it does not approve."""
    return [fact for row in report.use_cases for fact in _unapproved(row, loaded, root)]


#: The facts of each rule, by code (each rule module asks for its own).
FACTS: dict[str, Callable[[UsageReport, LoadedPolicy, Path | None], list[UsageObservation]]] = {
    "OBH601": drift, "OBH602": over_limit, "OBH603": unattributed, "OBH604": undeclared, "OBH605": unapproved,
}


def _drift(row: UseCaseUsage, loaded: LoadedPolicy) -> list[UsageObservation]:
    if row.drift_pct is None or row.max_drift_pct is None or row.drift_pct <= row.max_drift_pct:
        return []
    assert row.cost_per_task_usd is not None and row.projected_cost_per_task_usd is not None and row.name
    message = (f"use case {row.name!r} costs {_money(row.cost_per_task_usd)} per task in observed usage, "
               f"{row.drift_pct:.1f}% above its projected {_money(row.projected_cost_per_task_usd)} "
               f"(budget.max_drift_pct: {_number(row.max_drift_pct)}): {_money(row.spend_usd)} over "
               f"{row.tasks:,} task{_s(row.tasks)} and {row.calls:,} call{_s(row.calls)}{_span(row)}"
               f"{_partial(row)}; find what changed (model, prompt size, calls per task) or update the "
               "use case's budget assumptions")
    figures: tuple[Figure, ...] = (
        ("cost_per_task_usd", row.cost_per_task_usd), ("projected_cost_per_task_usd", row.projected_cost_per_task_usd),
        ("drift_pct", row.drift_pct), ("max_drift_pct", row.max_drift_pct), ("spend_usd", row.spend_usd),
        ("tasks", row.tasks), ("calls", row.calls), ("unpriced_calls", row.unpriced_calls))
    where: YamlPath = ("use_cases", row.name, "budget", "max_drift_pct")
    return [_at_policy("OBH601", message, loaded, where, row.name, None, figures)]


def _over_limit(row: UseCaseUsage, loaded: LoadedPolicy) -> list[UsageObservation]:
    limit, observed = row.max_cost_per_task_usd, row.cost_per_task_usd
    if limit is None or observed is None or observed <= limit:
        return []
    assert row.name is not None
    over = f", {(observed - limit) / limit * 100:.1f}% over" if limit > 0 else ""
    message = (f"use case {row.name!r} costs {_money(observed)} per task in observed usage, above "
               f"limits.max_cost_per_task_usd {_money(limit)}{over}: {_money(row.spend_usd)} over "
               f"{row.tasks:,} task{_s(row.tasks)} and {row.calls:,} call{_s(row.calls)}{_span(row)}{_partial(row)}")
    figures: tuple[Figure, ...] = (("cost_per_task_usd", observed), ("max_cost_per_task_usd", limit),
                                   ("spend_usd", row.spend_usd), ("tasks", row.tasks), ("calls", row.calls),
                                   ("unpriced_calls", row.unpriced_calls))
    path: YamlPath = ("use_cases", row.name, "limits", "max_cost_per_task_usd")
    return [_at_policy("OBH602", message, loaded, path, row.name, None, figures)]


def _unattributed(report: UsageReport, loaded: LoadedPolicy) -> list[UsageObservation]:
    limit = loaded.policy.attribution.max_unattributed_pct
    row = report.unattributed
    share = row.share_pct
    if limit is None or share is None or share <= limit:
        return []
    top = sorted(row.models, key=lambda m: (-m.spend_usd, m.unpriced_calls == m.calls, m.model))[:3]
    models = ", ".join(f"{m.model} " + (f"({m.calls:,} call{_s(m.calls)}, not priced)" if m.unpriced_calls == m.calls
                                         else _money(m.spend_usd)) for m in top)
    # unpriced calls make the share a lower bound when they are unattributed, an upper bound when they are not
    elsewhere = report.unpriced_calls - row.unpriced_calls
    bounds = f" (at least: {row.unpriced_calls:,} of the calls could not be priced)" if row.unpriced_calls else ""
    if elsewhere:
        bounds += (f" (the share may be lower: {elsewhere:,} attributed call{_s(elsewhere)} could not be priced)")
    message = (f"{_money(row.spend_usd)} of {_money(report.total_spend_usd)} observed spend ({share:.1f}%) names no "
               f"use case, above attribution.max_unattributed_pct {_number(limit)}{bounds}: {row.calls:,} "
               f"call{_s(row.calls)}{_span(row)}, most spent on {models}; attach use_case (and team) attribution "
               "to these calls")
    figures: tuple[Figure, ...] = (("unattributed_usd", row.spend_usd), ("total_spend_usd", report.total_spend_usd),
                                   ("share_pct", share), ("max_unattributed_pct", limit), ("calls", row.calls))
    return [_at_policy("OBH603", message, loaded, ("attribution", "max_unattributed_pct"), None, None, figures)]


def _undeclared(row: UseCaseUsage, loaded: LoadedPolicy, root: Path | None) -> list[UsageObservation]:
    assert row.name is not None
    team = f" (team {row.team!r})" if row.team else ""
    message = (f"use case {row.name!r}{team} appears in usage records, {row.calls:,} call{_s(row.calls)} and "
               f"{_money(row.spend_usd)}{_span(row)}, but the policy does not declare it; declare it under "
               "use_cases or correct the attribution value the calls send")
    figures: tuple[Figure, ...] = (("calls", row.calls), ("spend_usd", row.spend_usd), ("tasks", row.tasks))
    return [_at_site_or_policy("OBH604", message, row.call_site, root, loaded, ("use_cases",), row.name, None, figures)]


def _unapproved(row: UseCaseUsage, loaded: LoadedPolicy, root: Path | None) -> list[UsageObservation]:
    out = []
    assert row.name is not None
    for model in row.models:
        if model.approved is not False:
            continue
        spend = ("not priced" if model.unpriced_calls == model.calls else
                 _money(model.spend_usd) + (" and more: not every call could be priced" if model.unpriced_calls else ""))
        message = (f"model {model.model!r} served {model.calls:,} call{_s(model.calls)} ({spend}) of "
                   f"use case {row.name!r}, which does not approve it: {model.approval_note}")
        figures: tuple[Figure, ...] = (("calls", model.calls), ("spend_usd", model.spend_usd))
        where: YamlPath = ("use_cases", row.name, "models", "approved")
        out.append(_at_site_or_policy("OBH605", message, model.call_site, root, loaded, where, row.name, model.model,
                                      figures))
    return out


def _at_policy(code: str, message: str, loaded: LoadedPolicy, path: YamlPath, use_case: str | None,
               model: str | None, figures: tuple[Figure, ...]) -> UsageObservation:
    file, line, column = loaded.position(path)
    return UsageObservation(code, RULES[code], message, file, line, column, False, use_case, model, figures)


def _at_site_or_policy(code: str, message: str, site: CodeLocation | None, root: Path | None, loaded: LoadedPolicy,
                       where: YamlPath, use_case: str | None, model: str | None,
                       figures: tuple[Figure, ...]) -> UsageObservation:
    """At the call site the records name when it is in the project (or no project is given), else at the policy."""
    if site is None:
        return _at_policy(code, message, loaded, where, use_case, model, figures)
    path = local_path(site.path, root)
    if root is not None and not (root / path).is_file():
        line = f":{site.line}" if site.line else ""
        message += f" (the records name the call site {site.path}{line}, which is not in the project)"
        return _at_policy(code, message, loaded, where, use_case, model, figures)
    return UsageObservation(code, RULES[code], message, path, site.line or 1, 1, True, use_case, model, figures)


def local_path(path: str, root: Path | None) -> str:
    """A runtime path as a POSIX path under `root` when the file (or a suffix of its path) is there; else as given."""
    posix = path.replace("\\", "/")
    if root is None:
        return posix
    parts = [p for p in PurePosixPath(posix).parts if p not in ("/", "")]
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if (root / candidate).is_file():
            return candidate
    return posix


def _money(value: float) -> str:
    return usd(value)


def _number(value: float) -> str:
    return f"{value:g}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _span(row: UseCaseUsage) -> str:
    if row.first_seen is None or row.last_seen is None:
        return ""
    first, last = row.first_seen.date(), row.last_seen.date()
    return f" on {first.isoformat()}" if first == last else f" from {first.isoformat()} to {last.isoformat()}"


def _partial(row: UseCaseUsage) -> str:
    if row.complete:
        return ""
    return (f" ({row.unpriced_calls:,} call{_s(row.unpriced_calls)} could not be priced, so the observed "
            "figure is a lower bound)")
