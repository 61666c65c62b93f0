"""Plain-text output for people: one line a finding, then a summary; colour only on a terminal."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import click

from ..findings import CheckResult, Finding, Inventory, Severity
from ..wording import plural
from ._context import ReportContext
from ._scope import checked_scope

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def findings_summary(findings: Sequence[Finding]) -> str:
    """`Found 3 findings (1 error, 2 warning, 0 info: OBH101 x1, OBH301 x2)`, or `No findings.`"""
    if not findings:
        return "No findings."
    counts = Counter(f.severity for f in findings)
    detail = ", ".join(f"{code} x{n}" for code, n in sorted(Counter(f.code for f in findings).items()))
    return (f"Found {plural(len(findings), 'finding')} ({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} "
            f"warning, {counts[Severity.INFO]} info: {detail})")


def finding_line(finding: Finding, context: ReportContext) -> str:
    """`path:line:column: CODE message`, the path as the user sees it."""
    return f"{context.display(finding.path)}:{finding.line}:{finding.column}: {finding.code} {finding.message}"


def check_text(report: CheckResult, context: ReportContext) -> str:
    color, show_suppressed = context.color, context.show_suppressed
    lines = []
    findings = list(report.findings) + (list(report.suppressed) if show_suppressed else [])
    for finding in sorted(findings, key=lambda f: f.sort_key):
        where = f"{context.display(finding.path)}:{finding.line}:{finding.column}:"
        code = finding.code
        if color:
            where = click.style(where, bold=True)
            code = click.style(code, fg=_COLOURS[finding.severity], bold=True)
        suffix = f" [suppressed: {finding.suppression_reason or 'no reason given'}]" if finding.suppressed else ""
        lines.append(f"{where} {code} {finding.message}{suffix}")
    summary = findings_summary(report.findings) + f" Checked {checked_scope(report)}."
    if report.suppressed:
        summary += f" {len(report.suppressed)} suppressed."
    if report.baselined:
        summary += f" {len(report.baselined)} in the baseline."
    if lines:
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def inventory_text(report: Inventory, context: ReportContext) -> str:
    lines = []
    for site in report.call_sites:
        s = site.site
        model = site.model or ("|".join(site.models) if site.models else None) or (
            f"<unresolved: {site.model_expression}>" if site.model_expression else "<none>")
        if site.models and site.model_source not in (None, "code"):
            model += f" ({site.model_source})"
        limit = site.max_output_tokens if site.max_output_tokens is not None else (
            f"<unresolved: {site.limit_expression}>" if site.limit_expression else
            "<unknown: may be in **kwargs>" if site.limit_state == "unknown" else "<none>")
        attribution = " ".join(f"{k}={v if v is not None else '<dynamic>'}({site.sources_map()[k]})"
                               for k, v in site.attribution) or "-"
        lines.append(f"{context.display(s.path)}:{s.line}:{s.column}: {s.provider}{'/' + s.framework if s.framework else ''} {s.api} "
                     f"model={model} max_output_tokens={limit} use_case={site.use_case or '-'} attribution: {attribution}")
    providers = Counter(c.provider for c in report.call_sites)
    lines.append("")
    lines.append(f"{len(report.call_sites)} call site{'s' if len(report.call_sites) != 1 else ''} in "
                 f"{len({c.path for c in report.call_sites})} of {report.files_checked} files"
                 + (f" ({', '.join(f'{p} {n}' for p, n in sorted(providers.items()))})" if providers else "") + ".")
    return "\n".join(lines).lstrip("\n") + "\n"
