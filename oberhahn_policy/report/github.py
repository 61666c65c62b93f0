"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff."""

from __future__ import annotations

from typing import Sequence

from ..findings import CheckResult, Finding, Severity
from ..wording import plural
from ._context import ReportContext
from ._scope import checked_scope

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """Escape a command's message as the runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, context: ReportContext) -> str:
    properties = {
        "file": context.repository_path(finding.path),
        "line": str(finding.line),
        "col": str(finding.column),
        "endLine": str(max(finding.end_line, finding.line)),
        "title": f"{finding.code} {finding.name}",
    }
    if finding.end_line == finding.line and finding.end_column > finding.column:
        properties["endColumn"] = str(finding.end_column)
    rendered = ",".join(f"{key}={_property(value)}" for key, value in properties.items())
    return f"::{_COMMANDS[finding.severity]} {rendered}::{_data(finding.message)}"


def github_annotations(findings: Sequence[Finding], context: ReportContext) -> list[str]:
    """One workflow command per finding (of any command), in order."""
    return [_annotation(f, context) for f in sorted(findings, key=lambda f: f.sort_key)]


def check_github(report: CheckResult, context: ReportContext) -> str:
    """One annotation per finding, then a plain summary line for the job log."""
    lines = github_annotations(report.findings, context)
    count = len(report.findings)
    summary = f"oberhahn-policy: {plural(count, 'finding')} in {checked_scope(report)}"
    extras = []
    if report.suppressed:
        extras.append(f"{len(report.suppressed)} suppressed")
    if report.baselined:
        extras.append(f"{len(report.baselined)} in the baseline")
    lines.append(summary + (f" ({', '.join(extras)})" if extras else "") + ".")
    return "\n".join(lines) + "\n"
