"""SARIF 2.1.0, the format GitHub code scanning and most review tools import.

Every rule is listed with its documentation (from the rule's metadata), so that a code-scanning
alert shows the same *What it does / Why / Use instead* text as `oberhahn-policy explain`.
Locations are repository-relative URIs against `%SRCROOT%`; regions are 1-based. Findings that
`oberhahn-policy fix` repairs carry the edit as a SARIF `fix` (§3.55), so that a code-scanning UI can
offer it.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from .._version import __version__
from ..findings import CheckResult, Finding, Severity
from ..fix import SAFE_CODES, Fix, plan_fixes
from ..rules import ALL_RULES, Rule
from ._context import ReportContext

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/oberhahn-policy/"
FINGERPRINT_KEY = "oberhahnFingerprint/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


#: GitHub code scanning rejects descriptions longer than this.
MAX_DESCRIPTION = 1024


def _limited(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION - 1].rstrip() + "…"


def _rule(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _limited(rule.summary)},
        "fullDescription": {"text": _limited(f"{rule.what}\n\n{rule.why}")},
        "help": {"text": rule.documentation(), "markdown": rule.documentation()},
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {"tags": ["ai-spend", "policy"], "precision": "high"},
    }


def _fix(fix: Fix, context: ReportContext) -> dict[str, Any]:
    """A SARIF fix: one artifact change whose replacements are 1-based regions of the file as checked."""
    replacements = [{
        "deletedRegion": {"startLine": r.line, "startColumn": r.column, "endLine": r.end_line, "endColumn": r.end_column},
        "insertedContent": {"text": r.text},
    } for r in fix.replacements]
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{
            "artifactLocation": {"uri": context.repository_path(fix.finding.path), "uriBaseId": SRCROOT},
            "replacements": replacements,
        }],
    }


def _planned_fixes(report: CheckResult) -> dict[Finding, Fix]:
    """Safe fixes for the report's findings, planned from the policy the run used."""
    if report.policy is None or not any(f.code in SAFE_CODES for f in report.findings):
        return {}
    return {fix.finding: fix for fix in plan_fixes(report, report.policy).fixes}


def _result(finding: Finding, index: dict[str, int], context: ReportContext, fixes: dict[Finding, Fix]) -> dict[str, Any]:
    region = {"startLine": finding.line, "startColumn": finding.column}
    if (finding.end_line, finding.end_column) > (finding.line, finding.column):
        region.update(endLine=finding.end_line, endColumn=finding.end_column)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": context.repository_path(finding.path), "uriBaseId": SRCROOT},
            "region": region,
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.use_case:
        result["properties"] = {"useCase": finding.use_case}
    if finding.suppressed:
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if finding.suppression_reason:
            suppression["justification"] = finding.suppression_reason
        result["suppressions"] = [suppression]
    fix = fixes.get(finding)
    if fix is not None:
        result["fixes"] = [_fix(fix, context)]
    return result


def check_sarif(report: CheckResult, context: ReportContext) -> str:
    """The report as one SARIF run; suppressed findings are included (as suppressed) with --show-suppressed."""
    return sarif_log(list(report.findings) + (list(report.suppressed) if context.show_suppressed else []), context,
                     _planned_fixes(report))


def sarif_log(findings: Sequence[Finding], context: ReportContext, fixes: dict[Finding, Fix] | None = None) -> str:
    """Findings (of any command) as one SARIF run of the tool, with every rule's documentation and, where given, the
    fix of each finding."""
    index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
    fixes = fixes or {}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "oberhahn-policy",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in ALL_RULES],
            }},
            "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the repository checked."}}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index, context, fixes) for f in sorted(findings, key=lambda f: f.sort_key)],
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
