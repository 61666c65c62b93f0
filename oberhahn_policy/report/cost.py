"""The `cost` report: projected spend per use case, per team and unattributed, and the diff against a base ref.

Formats: text (a table for a terminal), json (SPEC §7, a pydantic document so its schema is
published), markdown (a pull-request comment) and html (charts and tables in one file, drawn from
the JSON document). None of them computes a figure: they print
a `CostReport`, which holds the projections from oberhahn_policy/cost.py.
"""

from __future__ import annotations

import json
from html import escape
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..cost import CostReport, SiteCost, TeamCost, UseCaseCost, UseCaseDelta, usd
from ..published_schema import published_schema
from ..wording import plural
from ._context import ReportContext
from ._html import Bar, bar_chart, figure, page, table
from ._tables import markdown_cell, markdown_table, text_table
from .documents import ToolInfo

# --- JSON ------------------------------------------------------------------------------------


def _money(value: float | None) -> float | None:
    """Round away float noise (0.000195000000002) without losing a meaningful digit."""
    return None if value is None else round(value, 10)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CostCallSite(_Document):
    path: str
    line: int
    column: int
    function: Optional[str]
    provider: str
    api: str
    model: Optional[str]
    max_output_tokens: Optional[int]
    #: `catalog:ID` or `policy:PATTERN`; null when unpriced.
    price_source: Optional[str]
    #: Which price applied: `list`, `policy`, `batch`, `flex`, `long-context (...)`, `cached prefix (N tokens)`, `per image`...
    price_basis: Optional[str]
    input_per_mtok: Optional[float]
    output_per_mtok: Optional[float]
    cost_per_call_usd: Optional[float]
    worst_case_cost_per_call_usd: Optional[float]
    unbounded: bool
    problem: Optional[str]


class CostChange(_Document):
    kind: Literal["added", "removed", "changed"]
    path: str
    line: int
    function: Optional[str]
    model_before: Optional[str]
    model_after: Optional[str]
    cost_per_call_before_usd: Optional[float]
    cost_per_call_after_usd: Optional[float]


class CostUseCase(_Document):
    """One use case's projection, in the field order of SPEC §7; `--base` adds the diff fields."""

    name: str
    team: Optional[str]
    call_sites: list[CostCallSite]
    models: list[str]
    cost_per_call_usd: Optional[float] = Field(description="The dearest call site's expected cost per call.")
    worst_case_cost_per_call_usd: Optional[float] = Field(
        description="The dearest call site's worst case; null when a call is unbounded or unpriced.")
    cost_per_task_usd: float = Field(description="Expected cost per call summed over the call sites, x calls_per_task.")
    tasks_per_month: Optional[float]
    projected_monthly_usd: Optional[float]
    budget_monthly_usd: Optional[float]
    headroom_usd: Optional[float]
    complete: bool = Field(description="Every call site priced and the volume declared; otherwise the figures are the known part.")
    gaps: list[str]
    missing_volume: list[str] = Field(description=(
        "Budget fields its call sites need that the policy does not declare (tasks_per_month, avg_input_tokens...); "
        "when not empty the volume is not declared and projected_monthly_usd is null, not 0."))
    base_monthly_usd: Optional[float] = None
    delta_usd: Optional[float] = None
    delta_pct: Optional[float] = None
    max_increase_pct: Optional[float] = None
    over_increase_limit: Optional[bool] = None
    changes: Optional[list[CostChange]] = None


class CostUnattributed(_Document):
    """Call sites no declared use case claims: their spend is stated, not hidden."""

    call_sites: list[CostCallSite]
    models: list[str]
    cost_per_call_usd: Optional[float]
    worst_case_cost_per_call_usd: Optional[float]
    cost_per_task_usd: float
    tasks_per_month: Optional[float]
    projected_monthly_usd: Optional[float]
    complete: bool
    gaps: list[str]
    missing_volume: list[str] = Field(description="Fields of unattributed.budget the call sites need that it does not declare.")
    base_monthly_usd: Optional[float] = None
    delta_usd: Optional[float] = None
    delta_pct: Optional[float] = None
    changes: Optional[list[CostChange]] = None


class CostTeam(_Document):
    name: str
    projected_monthly_usd: Optional[float] = Field(description=(
        "Known part of the team's projected spend; null when none of its use cases with call sites has a figure."))
    budget_monthly_usd: Optional[float]
    complete: bool
    volume_not_declared: list[str] = Field(description="The team's use cases with call sites whose volume is not declared.")


class CostDocument(_Document):
    """`oberhahn-policy cost --format json`."""

    tool: ToolInfo = ToolInfo()
    catalog_as_of: str
    today: str
    base: Optional[str] = None
    use_cases: list[CostUseCase]
    teams: list[CostTeam]
    unattributed: CostUnattributed
    total_monthly_usd: Optional[float] = Field(description=(
        "Known part of the projected spend (see complete); null when no call site's spend has a figure, "
        "for example because no use case declares its volume."))
    complete: bool
    volume_not_declared: list[str] = Field(description=(
        "Use cases with call sites whose volume is not declared, so they add nothing to the total "
        "(`(unattributed)` for call sites no use case claims)."))
    base_total_monthly_usd: Optional[float] = None


def _call_site(cost: SiteCost, context: ReportContext) -> CostCallSite:
    s = cost.site.site
    return CostCallSite(path=context.display(s.path), line=s.line, column=s.column, function=s.function, provider=s.provider, api=s.api,
                        model=cost.site.model, max_output_tokens=cost.site.max_output_tokens,
                        price_source=cost.price.source if cost.price else None, price_basis=cost.price_basis,
                        input_per_mtok=_money(cost.price.input_per_mtok) if cost.price else None,
                        output_per_mtok=_money(cost.price.output_per_mtok) if cost.price else None,
                        cost_per_call_usd=_money(cost.expected_usd), worst_case_cost_per_call_usd=_money(cost.worst_case_usd),
                        unbounded=cost.unbounded, problem=cost.problem)


def _projected(row: UseCaseCost, delta: UseCaseDelta | None, context: ReportContext) -> dict[str, object]:
    fields: dict[str, object] = dict(
        call_sites=[_call_site(c, context) for c in row.sites], models=list(row.models),
        cost_per_call_usd=_money(row.cost_per_call_usd), worst_case_cost_per_call_usd=_money(row.worst_case_cost_per_call_usd),
        cost_per_task_usd=_money(row.cost_per_task_usd), tasks_per_month=row.tasks_per_month,
        projected_monthly_usd=_money(row.projected_monthly_usd), complete=row.complete, gaps=list(row.gaps),
        missing_volume=list(row.missing_volume),
    )
    if delta is not None:
        fields.update(base_monthly_usd=_money(delta.before_usd), delta_usd=_money(delta.delta_usd),
                      delta_pct=None if delta.delta_pct is None else round(delta.delta_pct, 4),
                      changes=[CostChange(kind=c.kind, path=context.display(c.path), line=c.line, function=c.function,
                                          model_before=c.model_before, model_after=c.model_after,
                                          cost_per_call_before_usd=_money(c.cost_before_usd),
                                          cost_per_call_after_usd=_money(c.cost_after_usd)) for c in delta.changes])
    return fields


def _row_name(row: UseCaseCost) -> str:
    return row.name or "(unattributed)"


def cost_document(report: CostReport, context: ReportContext) -> CostDocument:
    projection = report.projection
    use_cases = []
    for row in projection.use_cases:
        assert row.name is not None
        delta = report.delta(row.name)
        extra: dict[str, object] = {}
        if delta is not None:
            extra = dict(max_increase_pct=delta.max_increase_pct, over_increase_limit=delta.over_limit)
        use_cases.append(CostUseCase(name=row.name, team=row.team, budget_monthly_usd=row.budget_monthly_usd,
                                     headroom_usd=_money(row.headroom_usd), **_projected(row, delta, context), **extra))  # type: ignore[arg-type]
    unattributed = CostUnattributed(**_projected(projection.unattributed, report.delta(None), context))  # type: ignore[arg-type]
    return CostDocument(
        catalog_as_of=projection.as_of.isoformat(), today=projection.today.isoformat(), base=report.base_ref,
        use_cases=use_cases,
        teams=[CostTeam(name=t.name, projected_monthly_usd=(_money(t.projected_monthly_usd) or 0.0) if t.projected else None,
                        budget_monthly_usd=t.budget_monthly_usd, complete=t.complete,
                        volume_not_declared=list(t.volume_not_declared)) for t in projection.teams],
        unattributed=unattributed,
        total_monthly_usd=(_money(projection.total_monthly_usd) or 0.0) if projection.projected else None,
        complete=projection.complete,
        volume_not_declared=[_row_name(u) for u in projection.volume_not_declared],
        base_total_monthly_usd=_money(report.base.total_monthly_usd) if report.base is not None else None,
    )


def cost_json(report: CostReport, context: ReportContext) -> str:
    exclude: set[str] = set() if report.base_ref is not None else {"base", "base_total_monthly_usd"}
    row_extras = {"base_monthly_usd", "delta_usd", "delta_pct", "changes", "max_increase_pct", "over_increase_limit"}
    document = cost_document(report, context).model_dump(mode="json", exclude=exclude)
    if report.base_ref is None:
        for row in (*document["use_cases"], document["unattributed"]):
            for key in row_extras:
                row.pop(key, None)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- text and markdown ---------------------------------------------------------------------------


def _count(n: float | None) -> str:
    return "n/a" if n is None else f"{n:,.0f}" if float(n).is_integer() else f"{n:,g}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


def _signed(value: float | None) -> str:
    return "n/a" if value is None else ("+" if value >= 0 else "") + usd(value)


def _worst(row: UseCaseCost) -> str:
    if row.unbounded:
        return "unbounded"
    return usd(row.worst_case_cost_per_call_usd)


#: What a report says instead of a figure for call sites whose use case declares no volume.
VOLUME_NOT_DECLARED = "volume not declared"


def _monthly(row: UseCaseCost) -> str:
    if row.sites and row.projected_monthly_usd is None and row.missing_volume:
        return VOLUME_NOT_DECLARED
    text = usd(row.projected_monthly_usd)
    return text if row.complete or not row.sites else f"{text} (incomplete)"


def _team_monthly(team: TeamCost) -> str:
    """A team's figure: the known part, or what is missing when there is none."""
    undeclared = team.volume_not_declared
    if not team.projected:
        return VOLUME_NOT_DECLARED + f" ({', '.join(undeclared)})" if undeclared else "n/a (incomplete)"
    if undeclared:
        return f"{usd(team.projected_monthly_usd)} (incomplete: {VOLUME_NOT_DECLARED} for {', '.join(undeclared)})"
    return usd(team.projected_monthly_usd) + ("" if team.complete else " (incomplete)")


def _total(report: CostReport) -> tuple[str, str]:
    """`Total projected: ...` (the headline, then the qualifications): the known figure, or why there is none; never
    $0.00 for call sites nobody could project."""
    projection = report.projection
    undeclared = projection.volume_not_declared
    names = [u.name for u in undeclared if u.name is not None]
    parts = [f"{plural(len(names), 'use case')} ({', '.join(names)})"] if names else []
    if any(u.name is None for u in undeclared):
        parts.append("the unattributed call sites")
    whom = " and ".join(parts)
    if not projection.projected:
        why = f"{VOLUME_NOT_DECLARED} for {whom}" if undeclared else "no call site could be priced"
        return "Total projected: not known", f", {why}"
    detail = ""
    rest = projection.unattributed
    if rest.sites:
        detail += f", of which unattributed {_monthly(rest) if rest.projected_monthly_usd is None else usd(rest.projected_monthly_usd)}"
    if undeclared:
        detail += f" (incomplete: {VOLUME_NOT_DECLARED} for {whom})"
    elif not projection.complete:
        detail += " (incomplete)"
    return f"Total projected: {usd(projection.total_monthly_usd)} a month", detail


def _rows(report: CostReport) -> list[tuple[str, ...]]:
    projection = report.projection
    rows: list[tuple[str, ...]] = []
    for row in (*projection.use_cases, projection.unattributed):
        if row.name is None and not row.sites:
            continue
        rows.append((
            row.name or "(unattributed)", row.team or "-", str(len(row.sites)), ", ".join(row.models) or "-",
            usd(row.cost_per_call_usd), _worst(row), usd(row.cost_per_task_usd) if row.cost_per_call_usd is not None else ("-" if not row.sites else "n/a"),
            _count(row.tasks_per_month), _monthly(row), usd(row.budget_monthly_usd) if row.budget_monthly_usd is not None else "-",
            usd(row.headroom_usd) if row.headroom_usd is not None else "-",
        ))
    return rows


_HEADERS = ("use case", "team", "calls", "models", "per call", "worst/call", "per task", "tasks/month", "monthly", "budget", "headroom")
_DIFF_HEADERS = ("use case", "before", "after", "delta", "change", "limit")


def _gaps(report: CostReport) -> list[str]:
    projection = report.projection
    notes = []
    for row in (*projection.use_cases, projection.unattributed):
        if row.gaps and row.sites:
            for gap in row.gaps:
                notes.append(f"{row.name or '(unattributed)'}: {gap}")
    return notes


def _basis_lines(report: CostReport, bullet: str, code: Callable[[str], str]) -> list[str]:
    """Call sites that pay other than the list price (batch, cached prefix, long context, per unit), and which price."""
    projection = report.projection
    lines = []
    for row in (*projection.use_cases, projection.unattributed):
        for cost in row.sites:
            if cost.price_basis is None or cost.price_basis == "list":
                continue
            where = code(f"{cost.site.site.path}:{cost.site.site.line}")
            lines.append(f"{bullet}{row.name or '(unattributed)'}: {where} {cost.model_label}: {cost.price_basis}")
    return lines


def _diff_rows(report: CostReport) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for delta in report.deltas:
        if delta.name is None and not delta.changes and not delta.before_usd and not delta.after_usd:
            continue
        limit = "-" if delta.max_increase_pct is None else f"{delta.max_increase_pct:g}%" + (" EXCEEDED" if delta.over_limit else "")
        rows.append((delta.name or "(unattributed)", usd(delta.before_usd), usd(delta.after_usd), _signed(delta.delta_usd),
                     _pct(delta.delta_pct) if delta.before_usd else ("new" if delta.after_usd else "n/a"), limit))
    if report.base is not None:
        before, after = report.base.total_monthly_usd, report.projection.total_monthly_usd
        rows.append(("total", usd(before), usd(after), _signed(after - before),
                     _pct((after - before) / before * 100) if before else "n/a", "-"))
    return rows


def _change_lines(report: CostReport, bullet: str, code: Callable[[str], str], context: ReportContext) -> list[str]:
    lines = []
    for delta in report.deltas:
        for change in delta.changes:
            where = code(f"{context.display(change.path)}:{change.line}") + (f" in {code(change.function)}" if change.function else "")
            if change.kind == "added":
                what = f"added, {change.model_after} at {usd(change.cost_after_usd)} per call"
            elif change.kind == "removed":
                what = f"removed, was {change.model_before} at {usd(change.cost_before_usd)} per call"
            else:
                what = (f"{change.model_before} -> {change.model_after}, {usd(change.cost_before_usd)} -> "
                        f"{usd(change.cost_after_usd)} per call")
            lines.append(f"{bullet}{delta.name or '(unattributed)'}: {where}: {what}")
    return lines


def cost_text(report: CostReport, context: ReportContext) -> str:
    projection = report.projection
    lines = [f"Projected monthly spend (catalog as of {projection.as_of.isoformat()}, prices in force on {projection.today.isoformat()})", ""]
    rows = _rows(report)
    if rows:
        lines += text_table(_HEADERS, rows, frozenset({2, 4, 5, 6, 7, 8, 9, 10}))
    else:
        lines.append("No use cases and no LLM call sites.")
    if projection.teams:
        lines += ["", "Teams:"]
        for team in projection.teams:
            budget = f" of {usd(team.budget_monthly_usd)} budget" if team.budget_monthly_usd is not None else ""
            lines.append(f"  {team.name}: {_team_monthly(team)}{budget}")
    lines += ["", "".join(_total(report))]
    applied = _basis_lines(report, "  ", lambda s: s)
    if applied:
        lines += ["", "Prices other than list price:"] + applied
    gaps = _gaps(report)
    if gaps:
        lines += ["", "Incomplete projections:"] + [f"  {g}" for g in gaps]
    if report.base_ref is not None and report.base is not None:
        lines += ["", f"Change against {report.base_ref}: {usd(report.base.total_monthly_usd)} -> "
                      f"{usd(projection.total_monthly_usd)} ({_signed(projection.total_monthly_usd - report.base.total_monthly_usd)})", ""]
        lines += text_table(_DIFF_HEADERS, _diff_rows(report), frozenset({1, 2, 3, 4}))
        changes = _change_lines(report, "  ", lambda s: s, context)
        lines += ["", "Call sites that changed:" if changes else "No call site changed cost."] + changes
    return "\n".join(lines) + "\n"


def cost_markdown(report: CostReport, context: ReportContext) -> str:
    projection = report.projection
    lines = ["## AI spend projection", ""]
    if report.base_ref is not None and report.base is not None:
        exceeded = [d for d in report.deltas if d.over_limit]
        change = projection.total_monthly_usd - report.base.total_monthly_usd
        verdict = (f"**{len(exceeded)} use case{'s' if len(exceeded) != 1 else ''} above the allowed increase.**"
                   if exceeded else "No use case above its allowed increase.")
        lines += [f"Projected monthly spend against `{report.base_ref}`: {usd(report.base.total_monthly_usd)} -> "
                  f"{usd(projection.total_monthly_usd)} ({_signed(change)}). {verdict}", ""]
        lines += markdown_table(_DIFF_HEADERS, _diff_rows(report), frozenset({1, 2, 3, 4}))
        changes = _change_lines(report, "- ", lambda s: f"`{s}`", context)
        if changes:
            lines += ["", "Call sites that changed cost:", ""] + changes
        lines += ["", "<details><summary>All use cases</summary>", ""]
    rows = _rows(report)
    if rows:
        lines += markdown_table(_HEADERS, rows, frozenset({2, 4, 5, 6, 7, 8, 9, 10}))
    else:
        lines.append("No use cases and no LLM call sites.")
    if projection.teams:
        lines += ["", "| team | monthly | budget |", "| --- | ---: | ---: |"]
        for team in projection.teams:
            lines.append(f"| {markdown_cell(team.name)} | {markdown_cell(_team_monthly(team))} | "
                         f"{usd(team.budget_monthly_usd) if team.budget_monthly_usd is not None else '-'} |")
    headline, detail = _total(report)
    lines += ["", f"**{headline}**{detail}"]
    applied = _basis_lines(report, "- ", lambda s: f"`{s}`")
    if applied:
        lines += ["", "Prices other than list price:", ""] + applied
    gaps = _gaps(report)
    if gaps:
        lines += ["", "Incomplete projections:", ""] + [f"- {markdown_cell(g)}" for g in gaps]
    if report.base_ref is not None:
        lines += ["", "</details>"]
    lines += ["", f"<sub>oberhahn-policy {__version__}; prices from the catalog as of {projection.as_of.isoformat()}, "
                  f"in force on {projection.today.isoformat()}.</sub>"]
    return "\n".join(lines) + "\n"


def cost_html(report: CostReport, context: ReportContext) -> str:
    """Charts (projected monthly spend against budget per use case and team, cost per task), then the tables; drawn
    from the JSON document, which the page's `data-value`s match."""
    document = cost_document(report, context)
    body = []
    monthly = [Bar(u.name, u.projected_monthly_usd, u.budget_monthly_usd,
                   "over" if u.budget_monthly_usd is not None and u.projected_monthly_usd > u.budget_monthly_usd else "",
                   "" if u.complete else "incomplete")
               for u in document.use_cases if u.projected_monthly_usd is not None]
    if document.unattributed.call_sites and document.unattributed.projected_monthly_usd is not None:
        monthly.append(Bar("(unattributed)", document.unattributed.projected_monthly_usd, kind="unattributed"))
    if monthly:
        body += ["<h2>Projected monthly spend</h2>",
                 figure("Per use case, against its monthly budget (the black tick)",
                        bar_chart("projected-monthly", monthly, usd, "budget"))]
    per_task = [Bar(u.name, u.cost_per_task_usd, note="" if all(c.cost_per_call_usd is not None for c in u.call_sites)
                    else "known part") for u in document.use_cases if u.call_sites]
    if per_task:
        body += ["<h2>Cost per task</h2>", figure("Expected cost of one task: its call sites' cost per call summed",
                                                  bar_chart("cost-per-task", per_task, usd))]
    teams = [Bar(t.name, t.projected_monthly_usd, t.budget_monthly_usd,
                 "over" if t.budget_monthly_usd is not None and t.projected_monthly_usd > t.budget_monthly_usd else "",
                 "" if t.complete else "incomplete")
             for t in document.teams if t.projected_monthly_usd is not None]
    if teams:
        body += ["<h2>Teams</h2>", figure("Projected monthly spend per team, against its budget (the black tick)",
                                          bar_chart("team-monthly", teams, usd, "budget"))]
    if report.base_ref is not None and report.base is not None:
        changes = _change_lines(report, "", lambda s: s, context)
        body += [f"<h2>Change against {escape(report.base_ref)}</h2>",
                 table(_DIFF_HEADERS, _diff_rows(report), frozenset({1, 2, 3, 4})),
                 *(["<ul>", *(f"<li>{escape(c)}</li>" for c in changes), "</ul>"] if changes else
                   ["<p>No call site changed cost.</p>"])]
    rows = _rows(report)
    body += ["<h2>Use cases</h2>", table(_HEADERS, rows, frozenset({2, 4, 5, 6, 7, 8, 9, 10})) if rows else
             "<p>No use cases and no LLM call sites.</p>"]
    headline, detail = _total(report)
    body.append(f"<p>{escape(headline + detail)}</p>")
    notes = _basis_lines(report, "", lambda s: s) + _gaps(report)
    if notes:
        body += ["<h2>Notes</h2>", "<ul>", *(f"<li>{escape(n)}</li>" for n in notes), "</ul>"]
    return page("AI spend projection", f"Catalog as of {document.catalog_as_of}, prices in force on {document.today}; "
                                       f"oberhahn-policy {__version__}, policy {context.policy_label}.", body)


COST_FORMATS: dict[str, Callable[[CostReport, ReportContext], str]] = {
    "text": cost_text,
    "json": cost_json,
    "markdown": cost_markdown,
    "html": cost_html,
}


def cost_json_schema() -> dict[str, object]:
    """The published schema of `cost --format json`."""
    return published_schema(CostDocument, "cost", mode="serialization")
