"""The `usage` report: observed usage per use case and team against the projection, and the OBH6xx findings.

Formats: text (tables for a terminal), json (a pydantic document, so its schema is published),
markdown (an issue or job summary), sarif and github (the findings, written by the same functions
as `check`'s), and html (charts and tables in one file, drawn from the JSON document). None
computes a figure: they print a `UsageReport` (oberhahn_policy/usage/reconcile.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from html import escape
from typing import Callable, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..cost import usd
from ..findings import Finding, Severity
from ..published_schema import published_schema
from ..usage import UsageReport, UseCaseUsage
from ..wording import plural
from ._context import ReportContext
from ._html import (
    Bar,
    Cell,
    Reference,
    bar_chart,
    day_chart,
    figure,
    page,
    share_bar,
    table,
)
from ._tables import markdown_cell, markdown_table, text_table
from .documents import CheckFinding, ToolInfo, check_finding
from .github import github_annotations
from .text import finding_line, findings_summary
from .markdown import findings_markdown
from .sarif import sarif_log

# --- JSON ------------------------------------------------------------------------------------


def _money(value: float | None) -> float | None:
    """Round away float noise without losing a meaningful digit (as the cost report does)."""
    return None if value is None else round(value, 10)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UsageCallSite(_Document):
    """A call site as the usage records name it (the running program's path)."""

    path: str
    line: Optional[int]


class UsageModel(_Document):
    model: str
    calls: int
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    spend_usd: float
    unpriced_calls: int
    approved: Optional[bool] = Field(description="Approved for the use case; null where no declared use case judges it.")
    approval_note: Optional[str]
    price_source: Optional[str] = Field(description="`catalog:ID` or `policy:PATTERN`; null when unpriced.")
    call_site: Optional[UsageCallSite]


class UsageDay(_Document):
    """One UTC day of a use case's traffic."""

    day: str
    calls: int
    tasks: int
    spend_usd: float
    unpriced_calls: int
    cost_per_task_usd: Optional[float]


class UsageUseCase(_Document):
    """A use case's observed traffic against its projection; the unattributed row has `name` null."""

    name: Optional[str]
    status: Literal["declared", "undeclared", "unattributed"]
    team: Optional[str]
    calls: int
    tasks: int
    calls_without_task: int
    input_tokens: int = Field(description="All input tokens, cached reads and cache writes included.")
    cached_input_tokens: int
    cache_write_tokens: int
    output_tokens: int
    spend_usd: float = Field(description="Every call re-priced from the catalog at its own day's price.")
    unpriced_calls: int
    complete: bool = Field(description="Every call priced; otherwise spend and cost per task are lower bounds.")
    share_pct: Optional[float] = Field(description="Share of all re-priced spend in the window, in percent.")
    cost_per_task_usd: Optional[float]
    projected_cost_per_task_usd: Optional[float] = Field(
        description="From the code (`cost`); null when the projection is partial or the use case has no call site.")
    max_cost_per_task_usd: Optional[float]
    drift_pct: Optional[float] = Field(description="(observed - projected) / projected x 100.")
    max_drift_pct: Optional[float]
    reported_usd: Optional[float] = Field(description="What the sources reported, over `reported_calls` calls.")
    reported_calls: int
    repricing_delta_usd: Optional[float] = Field(description="Re-priced minus reported, over calls that have both.")
    first_seen: Optional[str]
    last_seen: Optional[str]
    models: list[UsageModel]
    days: list[UsageDay]
    price_notes: list[str]


class UsageTeam(_Document):
    name: Optional[str]
    calls: int
    tasks: int
    spend_usd: float
    unpriced_calls: int
    share_pct: Optional[float]
    monthly_budget_usd: Optional[float]
    use_cases: list[str]


class UsageFile(_Document):
    file: str
    source: Optional[Literal["otlp", "litellm", "langfuse"]]
    records: int
    problems: int


class UsageProblem(_Document):
    file: str
    line: int = Field(description="1-based; 0 when the problem concerns the whole file.")
    message: str


class UsageSummary(_Document):
    records_read: int
    records_outside_window: int
    calls: int
    unpriced_calls: int
    unpriced_models: list[str]
    spend_usd: float
    unattributed_usd: float
    unattributed_share_pct: Optional[float]
    reported_usd: Optional[float]
    repricing_delta_usd: Optional[float]
    findings: int
    errors: int
    warnings: int
    infos: int


class UsageDocument(_Document):
    """`oberhahn-policy usage --format json`."""

    tool: ToolInfo = ToolInfo()
    policy: str
    since: Optional[str]
    until: Optional[str]
    first_seen: Optional[str]
    last_seen: Optional[str]
    use_cases: list[UsageUseCase] = Field(description="Every declared use case, with or without traffic.")
    undeclared: list[UsageUseCase] = Field(description="Use cases seen in traffic that the policy does not declare.")
    unattributed: UsageUseCase
    teams: list[UsageTeam]
    files: list[UsageFile]
    problems: list[UsageProblem]
    findings: list[CheckFinding]
    summary: UsageSummary


def _moment(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _use_case(row: UseCaseUsage) -> UsageUseCase:
    return UsageUseCase(
        name=row.name, status=row.status, team=row.team, calls=row.calls, tasks=row.tasks,
        calls_without_task=row.calls_without_task, input_tokens=row.input_tokens,
        cached_input_tokens=row.cached_input_tokens, cache_write_tokens=row.cache_write_tokens,
        output_tokens=row.output_tokens, spend_usd=_money(row.spend_usd) or 0.0, unpriced_calls=row.unpriced_calls,
        complete=row.complete, share_pct=_pct(row.share_pct), cost_per_task_usd=_money(row.cost_per_task_usd),
        projected_cost_per_task_usd=_money(row.projected_cost_per_task_usd),
        max_cost_per_task_usd=row.max_cost_per_task_usd, drift_pct=_pct(row.drift_pct), max_drift_pct=row.max_drift_pct,
        reported_usd=_money(row.reported_usd), reported_calls=row.reported_calls,
        repricing_delta_usd=_money(row.repricing_delta_usd), first_seen=_moment(row.first_seen),
        last_seen=_moment(row.last_seen),
        models=[UsageModel(model=m.model, calls=m.calls, input_tokens=m.input_tokens,
                           cached_input_tokens=m.cached_input_tokens, output_tokens=m.output_tokens,
                           spend_usd=_money(m.spend_usd) or 0.0, unpriced_calls=m.unpriced_calls, approved=m.approved,
                           approval_note=m.approval_note, price_source=m.price_source,
                           call_site=UsageCallSite(path=m.call_site.path, line=m.call_site.line) if m.call_site else None)
                for m in row.models],
        days=[UsageDay(day=d.day.isoformat(), calls=d.calls, tasks=d.tasks, spend_usd=_money(d.spend_usd) or 0.0,
                       unpriced_calls=d.unpriced_calls, cost_per_task_usd=_money(d.cost_per_task_usd)) for d in row.days],
        price_notes=list(row.price_notes),
    )


def usage_document(report: UsageReport, context: ReportContext) -> UsageDocument:
    count = Counter(f.severity for f in report.findings)
    return UsageDocument(
        policy=context.policy_label, since=_moment(report.since), until=_moment(report.until),
        first_seen=_moment(report.first_seen), last_seen=_moment(report.last_seen),
        use_cases=[_use_case(u) for u in report.use_cases], undeclared=[_use_case(u) for u in report.undeclared],
        unattributed=_use_case(report.unattributed),
        teams=[UsageTeam(name=t.name, calls=t.calls, tasks=t.tasks, spend_usd=_money(t.spend_usd) or 0.0,
                         unpriced_calls=t.unpriced_calls, share_pct=_pct(t.share_pct),
                         monthly_budget_usd=t.monthly_budget_usd, use_cases=list(t.use_cases)) for t in report.teams],
        files=[UsageFile(file=f.file, source=f.source, records=f.records, problems=f.problems) for f in report.files],
        problems=[UsageProblem(file=p.file, line=p.line, message=p.message) for p in report.problems],
        findings=[check_finding(f, context) for f in sorted(report.findings, key=lambda f: f.sort_key)],
        summary=UsageSummary(
            records_read=report.records_read, records_outside_window=report.records_outside_window,
            calls=report.total_calls, unpriced_calls=report.unpriced_calls, unpriced_models=list(report.unpriced_models),
            spend_usd=_money(report.total_spend_usd) or 0.0, unattributed_usd=_money(report.unattributed.spend_usd) or 0.0,
            unattributed_share_pct=_pct(report.unattributed_share_pct), reported_usd=_money(report.reported_usd),
            repricing_delta_usd=_money(report.repricing_delta_usd), findings=len(report.findings),
            errors=count[Severity.ERROR], warnings=count[Severity.WARNING], infos=count[Severity.INFO]),
    )


def usage_json(report: UsageReport, context: ReportContext) -> str:
    return usage_document(report, context).model_dump_json(indent=2) + "\n"


def usage_json_schema() -> dict[str, object]:
    """The published schema of `usage --format json`."""
    return published_schema(UsageDocument, "usage", mode="serialization")


# --- text and markdown ---------------------------------------------------------------------------


_HEADERS = ("use case", "team", "calls", "tasks", "input", "cached", "output", "spend", "share", "per task",
            "projected", "limit", "drift", "models")
_NUMBERS = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
_TEAM_HEADERS = ("team", "calls", "tasks", "spend", "share", "monthly budget", "use cases")


def _label(row: UsageUseCase) -> str:
    if row.name is None:
        return "(unattributed)"
    return f"{row.name} (undeclared)" if row.status == "undeclared" else row.name


def _bound(value: float | None, row: UsageUseCase) -> str:
    """Money, marked `>=` where unpriced calls make it a lower bound."""
    if value is None:
        return "-"
    return usd(value) if row.complete else f">={usd(value)}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _drift(row: UsageUseCase) -> str:
    if row.drift_pct is None:
        return "-"
    over = row.max_drift_pct is not None and row.drift_pct > row.max_drift_pct
    return f"{row.drift_pct:+.1f}%" + (f" (max {row.max_drift_pct:g}%)" if over else "")


def _per_task(row: UsageUseCase) -> str:
    limit, observed = row.max_cost_per_task_usd, row.cost_per_task_usd
    over = limit is not None and observed is not None and observed > limit
    return _bound(observed, row) + (" (over)" if over else "")


def _models(row: UsageUseCase) -> str:
    return ", ".join(m.model + (" (not approved)" if m.approved is False else "") for m in row.models) or "-"


def _rows(document: UsageDocument) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in (*document.use_cases, *document.undeclared, document.unattributed):
        if row.name is None and not row.calls:
            continue
        rows.append((
            _label(row), row.team or "-", f"{row.calls:,}", f"{row.tasks:,}", f"{row.input_tokens:,}",
            f"{row.cached_input_tokens:,}", f"{row.output_tokens:,}", _bound(row.spend_usd, row), _share(row.share_pct),
            _per_task(row), usd(row.projected_cost_per_task_usd) if row.projected_cost_per_task_usd
            is not None else "-", usd(row.max_cost_per_task_usd) if row.max_cost_per_task_usd is not None else "-",
            _drift(row), _models(row),
        ))
    return rows


def _team_rows(document: UsageDocument) -> list[tuple[str, ...]]:
    return [(t.name or "(none)", f"{t.calls:,}", f"{t.tasks:,}", usd(t.spend_usd) if not t.unpriced_calls else f">={usd(t.spend_usd)}",
             _share(t.share_pct), usd(t.monthly_budget_usd) if t.monthly_budget_usd is not None else "-",
             ", ".join(t.use_cases) or "-") for t in document.teams]


def _window(document: UsageDocument) -> str:
    if document.first_seen is None or document.last_seen is None:
        seen = "no calls"
    else:
        first, last = document.first_seen[:10], document.last_seen[:10]
        seen = f"calls on {first}" if first == last else f"calls from {first} to {last}"
    asked = []
    if document.since is not None:
        asked.append(f"since {document.since}")
    if document.until is not None:
        asked.append(f"until {document.until}")
    return seen + (f" ({', '.join(asked)})" if asked else "")


def _headline(document: UsageDocument) -> str:
    files = len(document.files)
    summary = document.summary
    text = (f"Observed usage: {_window(document)}; {plural(summary.records_read, 'record')} "
            f"from {plural(files, 'file')}")
    if summary.records_outside_window:
        text += f", {summary.records_outside_window:,} outside the window"
    if document.problems:
        lines = sum(f.problems for f in document.files)
        text += f", {plural(lines, 'line')} unreadable"
    return text + ". Every call re-priced at its own day's price."


def _totals(document: UsageDocument) -> str:
    summary = document.summary
    text = f"Total observed spend: {usd(summary.spend_usd)} over {plural(summary.calls, 'call')}"
    if summary.unpriced_calls:
        text += (f" (at least: {summary.unpriced_calls:,} call{'s' if summary.unpriced_calls != 1 else ''} could not be "
                 f"priced: {', '.join(summary.unpriced_models)})")
    if summary.unattributed_share_pct is not None:
        text += f"; unattributed {usd(summary.unattributed_usd)} ({summary.unattributed_share_pct:.1f}%)"
    if summary.reported_usd is not None:
        text += f". The sources reported {usd(summary.reported_usd)}"
        if summary.repricing_delta_usd is not None:
            sign = "+" if summary.repricing_delta_usd >= 0 else ""
            text += f"; re-priced minus reported: {sign}{usd(summary.repricing_delta_usd)}"
    return text + "."


def _notes(document: UsageDocument) -> list[str]:
    notes = []
    for row in (*document.use_cases, *document.undeclared, document.unattributed):
        for note in row.price_notes:
            notes.append(f"{_label(row)}: {note}")
        if row.unpriced_calls:
            models = ", ".join(m.model for m in row.models if m.unpriced_calls)
            notes.append(f"{_label(row)}: {row.unpriced_calls:,} call{'s' if row.unpriced_calls != 1 else ''} could not "
                         f"be priced ({models}); its figures are lower bounds")
        if row.calls_without_task:
            notes.append(f"{_label(row)}: {row.calls_without_task:,} call{'s' if row.calls_without_task != 1 else ''} "
                         "named no task (counted in spend, not in tasks)")
    for row in document.use_cases:
        if row.calls and row.projected_cost_per_task_usd is None:
            notes.append(f"{row.name}: no projected cost per task to compare with (its projection from the code is "
                         "partial, or no call site serves it; `oberhahn-policy cost` says which)")
    return notes


def _finding_summary(findings: Sequence[Finding]) -> str:
    """The check summary's first sentence, ended: `Found 3 findings (…: OBH601 x1).` or `No findings.`"""
    return findings_summary(findings) + ("." if findings else "")


def usage_text(report: UsageReport, context: ReportContext) -> str:
    document = usage_document(report, context)
    lines = [_headline(document), ""]
    rows = _rows(document)
    lines += text_table(_HEADERS, rows, _NUMBERS) if rows else ["No use cases and no calls."]
    if document.teams:
        lines += ["", *text_table(_TEAM_HEADERS, _team_rows(document), frozenset({1, 2, 3, 4, 5}))]
    lines += ["", _totals(document)]
    notes = _notes(document)
    if notes:
        lines += ["", "Notes:", *(f"  {n}" for n in notes)]
    findings = sorted(report.findings, key=lambda f: f.sort_key)
    lines.append("")
    lines += [finding_line(finding, context) for finding in findings]
    if findings:
        lines.append("")
    lines.append(_finding_summary(findings))
    return "\n".join(lines) + "\n"


def usage_markdown(report: UsageReport, context: ReportContext) -> str:
    document = usage_document(report, context)
    findings = sorted(report.findings, key=lambda f: f.sort_key)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    verdict = (f"**{plural(len(findings), 'finding')}** ({errors} error)." if findings
               else "✅ **No findings.**")
    lines = ["## Observed AI usage", "", f"{_headline(document)} {verdict}", ""]
    rows = _rows(document)
    lines += markdown_table(_HEADERS, rows, _NUMBERS) if rows else ["No use cases and no calls."]
    if document.teams:
        lines += ["", *markdown_table(_TEAM_HEADERS, _team_rows(document), frozenset({1, 2, 3, 4, 5}))]
    lines += ["", _totals(document)]
    notes = _notes(document)
    if notes:
        lines += ["", "Notes:", "", *(f"- {markdown_cell(n)}" for n in notes)]
    if findings:
        lines += ["", *findings_markdown(findings, findings, context, "usage")]
    lines += ["", f"<sub>oberhahn-policy {__version__}; observed calls re-priced from the catalog at each call's own "
                  "day; projections from the code as `oberhahn-policy cost` computes them.</sub>"]
    return "\n".join(lines) + "\n"


def usage_sarif(report: UsageReport, context: ReportContext) -> str:
    return sarif_log(report.findings, context)


def usage_github(report: UsageReport, context: ReportContext) -> str:
    """One annotation per finding, then a summary line for the job log."""
    document = usage_document(report, context)
    return "\n".join([*github_annotations(report.findings, context),
                      f"oberhahn-policy usage: {_finding_summary(list(report.findings))} {_totals(document)}"]) + "\n"


# --- HTML ----------------------------------------------------------------------------------------


def _cost_per_task_chart(row: UsageUseCase) -> str | None:
    points = [(date.fromisoformat(d.day), d.cost_per_task_usd) for d in row.days if d.cost_per_task_usd is not None]
    if not points:
        return None
    references = [Reference(name, value) for name, value in (("projected", row.projected_cost_per_task_usd),
                                                              ("limit", row.max_cost_per_task_usd)) if value is not None]
    drift = f", drift {row.drift_pct:+.1f}%" if row.drift_pct is not None else ""
    caption = f"{_label(row)}: cost per task by day ({_bound(row.cost_per_task_usd, row)} over the window{drift})"
    legend = ("<p class=\"legend\">" + "".join(
        f"<span class=\"{r.name}\">{'- - projected' if r.name == 'projected' else '··· limit'} {usd(r.value)}</span>"
        for r in references) + "</p>\n") if references else ""
    svg = day_chart("cost-per-task", row.name or "(unattributed)", points, references, usd)
    return figure(caption, svg, legend)


def _html_rows(document: UsageDocument) -> list[list[Cell | str]]:
    return [[Cell(c, i in _NUMBERS) for i, c in enumerate(row)] for row in _rows(document)]


def usage_html(report: UsageReport, context: ReportContext) -> str:
    """Charts (cost per task by day against projection and limit, spend by team, unattributed share), then tables;
    drawn from the JSON document, which the page's `data-value`s match."""
    document = usage_document(report, context)
    body = []
    charts = [c for row in (*document.use_cases, *document.undeclared) if (c := _cost_per_task_chart(row)) is not None]
    if charts:
        body += ["<h2>Cost per task by day</h2>", "<div class=\"charts\">", *charts, "</div>"]
    if document.teams:
        bars = [Bar(t.name or "(none)", t.spend_usd, kind="" if t.name else "unattributed",
                    note="at least: some calls unpriced" if t.unpriced_calls else "") for t in document.teams]
        body += ["<h2>Spend by team</h2>", figure("Re-priced spend in the window", bar_chart("spend-by-team", bars, usd))]
    summary = document.summary
    if summary.spend_usd > 0:
        attributed = summary.spend_usd - summary.unattributed_usd
        body += ["<h2>Unattributed spend</h2>",
                 figure(f"Spend that names no use case: {usd(summary.unattributed_usd)} of {usd(summary.spend_usd)}",
                        share_bar("unattributed-share", [("attributed", attributed, "attributed"),
                                                         ("unattributed", summary.unattributed_usd, "unattributed")], usd))]
    body += ["<h2>Use cases</h2>", table(_HEADERS, _html_rows(document))]
    if document.teams:
        body += ["<h2>Teams</h2>", table(_TEAM_HEADERS, _team_rows(document), frozenset({1, 2, 3, 4, 5}))]
    body.append(f"<p>{_totals(document)}</p>")
    notes = _notes(document)
    if notes:
        body += ["<h2>Notes</h2>", "<ul>", *(f"<li>{escape(n)}</li>" for n in notes), "</ul>"]
    body.append("<h2>Findings</h2>")
    if document.findings:
        body.append(table(("severity", "rule", "location", "message"),
                          [(f.severity, f"{f.code} {f.name}", f"{f.path}:{f.line}:{f.column}", f.message)
                           for f in document.findings]))
    body.append(f"<p>{escape(_finding_summary(list(report.findings)))}</p>")
    if document.problems:
        body += ["<h2>Unreadable lines</h2>", table(("file", "line", "problem"),
                                                    [(p.file, str(p.line), p.message) for p in document.problems])]
    return page("Observed AI usage", f"{_headline(document)} oberhahn-policy {__version__}, policy {document.policy}.", body)


USAGE_FORMATS: dict[str, Callable[[UsageReport, ReportContext], str]] = {
    "text": usage_text,
    "json": usage_json,
    "markdown": usage_markdown,
    "sarif": usage_sarif,
    "github": usage_github,
    "html": usage_html,
}
