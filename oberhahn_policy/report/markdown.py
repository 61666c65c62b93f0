"""Markdown for a pull-request comment: a verdict, counts per rule, and a table of findings."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..findings import CheckResult, Finding, Severity
from ..rules import rule_by_code
from ._context import ReportContext
from ._scope import checked_scope
from ._tables import markdown_cell, markdown_code_cell

_ICONS = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.INFO: "🔵 info"}
#: A comment has a size limit on every forge; past this many rows the table says how many it left out.
MAX_ROWS = 200


def check_markdown(report: CheckResult, context: ReportContext) -> str:
    findings = list(report.findings) + (list(report.suppressed) if context.show_suppressed else [])
    findings.sort(key=lambda f: f.sort_key)
    counts = Counter(f.severity for f in report.findings)
    lines = ["## oberhahn-policy", ""]
    scope = checked_scope(report)
    if report.findings:
        lines.append(f"**{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}** "
                     f"({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) "
                     f"in {scope}.")
    else:
        lines.append(f"✅ **No findings** in {scope}.")
    extras = []
    if report.suppressed:
        extras.append(f"{len(report.suppressed)} suppressed")
    if report.baselined:
        extras.append(f"{len(report.baselined)} in the baseline")
    if extras:
        lines[-1] += f" Not counted: {', '.join(extras)}."
    if findings:
        lines += ["", *findings_markdown(findings, report.findings, context, "check")]
    return "\n".join(lines) + "\n"


def findings_markdown(shown: Sequence[Finding], counted: Sequence[Finding], context: ReportContext,
                      command: str) -> list[str]:
    """The findings table (at most MAX_ROWS rows) and the rules it names, of `oberhahn-policy COMMAND`."""
    lines = ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
    for finding in shown[:MAX_ROWS]:
        severity = "⚪ suppressed" if finding.suppressed else _ICONS[finding.severity]
        where = markdown_code_cell(f"{context.repository_path(finding.path)}:{finding.line}:{finding.column}")
        lines.append(f"| {severity} | `{finding.code}` {finding.name} | {where} | {markdown_cell(finding.message)} |")
    if len(shown) > MAX_ROWS:
        lines.append("")
        lines.append(f"…and {len(shown) - MAX_ROWS} more; run `oberhahn-policy {command}` locally for the full list.")
    by_code = Counter(f.code for f in counted)
    if by_code:
        lines += ["", "<details><summary>Rules</summary>", ""]
        for code, number in sorted(by_code.items()):
            rule = rule_by_code(code)
            summary = rule.summary if rule is not None else ""
            lines.append(f"- `{code}` ×{number}: {summary} (`oberhahn-policy explain {code}`)")
        lines += ["", "</details>"]
    return lines
