"""GitLab Code Quality JSON: findings appear in the merge request widget and on the diff."""

from __future__ import annotations

import json
from typing import Any

from ..findings import CheckResult, Finding, Severity
from ._context import ReportContext

#: Code Quality's severities are info, minor, major, critical and blocker.
_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(finding: Finding, context: ReportContext) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": f"{finding.code} {finding.name}",
        "description": f"{finding.code} {finding.message}",
        "categories": ["Bug Risk"] if finding.severity is Severity.ERROR else ["Style"],
        "severity": _SEVERITIES[finding.severity],
        # GitLab matches issues across pipelines by this, so it must not depend on line numbers
        "fingerprint": finding.fingerprint,
        "location": {"path": context.repository_path(finding.path),
                     "lines": {"begin": finding.line, "end": max(finding.end_line, finding.line)}},
    }


def check_gitlab(report: CheckResult, context: ReportContext) -> str:
    """The Code Quality report: a JSON list of issues (suppressed findings are never included)."""
    issues = [_issue(f, context) for f in sorted(report.findings, key=lambda f: f.sort_key)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
