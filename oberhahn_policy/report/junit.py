"""JUnit XML: CI systems that know nothing of linters (Jenkins, Azure, GitLab's test view) show each finding as a failed test."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..findings import CheckResult, Finding
from ._context import ReportContext


def _case(suite: ET.Element, finding: Finding, context: ReportContext) -> None:
    path = context.repository_path(finding.path)
    case = ET.SubElement(suite, "testcase", {
        "classname": path.removesuffix(".py").replace("/", "."),
        "name": f"{finding.code} {finding.name} at {path}:{finding.line}:{finding.column}",
        "file": path,
        "line": str(finding.line),
    })
    if finding.suppressed:
        ET.SubElement(case, "skipped", {"message": f"suppressed: {finding.suppression_reason or 'no reason given'}"})
        return
    failure = ET.SubElement(case, "failure", {"message": finding.message, "type": f"{finding.code} ({finding.severity.value})"})
    failure.text = f"{path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"


def check_junit(report: CheckResult, context: ReportContext) -> str:
    """One test suite per file with findings, one failed test case per finding; a clean run is one passing case."""
    findings = list(report.findings) + (list(report.suppressed) if context.show_suppressed else [])
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted(findings, key=lambda f: f.sort_key):
        by_file[finding.path].append(finding)
    failures = len(report.findings)
    root = ET.Element("testsuites", {"name": "oberhahn-policy", "tests": str(max(len(findings), 1)),
                                     "failures": str(failures), "errors": "0"})
    if not by_file:
        suite = ET.SubElement(root, "testsuite", {"name": "oberhahn-policy", "tests": "1", "failures": "0", "errors": "0",
                                                  "skipped": "0"})
        ET.SubElement(suite, "testcase", {"classname": "oberhahn-policy", "name": "no findings"})
    for path, items in by_file.items():
        skipped = sum(1 for f in items if f.suppressed)
        suite = ET.SubElement(root, "testsuite", {
            "name": context.repository_path(path), "tests": str(len(items)), "failures": str(len(items) - skipped),
            "errors": "0", "skipped": str(skipped),
        })
        for finding in items:
            _case(suite, finding, context)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
