"""Suppressions: `# oberhahn: ignore[CODE]: reason` on a finding's line or the line above."""

from __future__ import annotations

import dataclasses
from typing import Iterable

from .callsite import FileExtraction
from .findings import Finding


def apply_suppressions(findings: Iterable[Finding], files: Iterable[FileExtraction]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into active and suppressed ones."""
    by_path = {f.path: f.suppressions for f in files}
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        match = None
        for line, codes, reason in by_path.get(finding.path, ()):
            if line in (finding.line, finding.line - 1) and (not codes or finding.code in codes):
                match = reason
                break
        if match is None:
            active.append(finding)
        else:
            suppressed.append(dataclasses.replace(finding, suppressed=True, suppression_reason=match or None))
    return active, suppressed
