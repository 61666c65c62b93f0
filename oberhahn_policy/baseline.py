"""Baselines: the findings a repository already had, recorded by fingerprint, so the gate applies to new code only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ._version import __version__
from .findings import Finding
from .safeio import UnsafeFileError, read_text_file

DEFAULT_BASELINE = ".oberhahn-baseline.json"
_FORMAT_VERSION = 1
#: A baseline of 100,000 findings is about 30 MB; a larger file was not written by this tool.
MAX_BASELINE_BYTES = 64_000_000


class BaselineError(Exception):
    """A baseline file that can't be read; the message says which file and what to do."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """The fingerprints of accepted findings."""

    fingerprints: frozenset[str]

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings already in the baseline)."""
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            (known if finding.fingerprint in self.fingerprints else new).append(finding)
        return new, known


def baseline_text(findings: Iterable[Finding]) -> str:
    """The baseline file: fingerprints with enough context (rule, file, message) for a reviewer to read its diff."""
    entries = sorted(({"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "message": f.message} for f in findings),
                     key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    document = {"tool": {"name": "oberhahn-policy", "version": __version__}, "version": _FORMAT_VERSION,
                "findings": entries}
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def read_baseline(path: Path | str) -> Baseline:
    path = Path(path)
    try:
        text = read_text_file(path, limit=MAX_BASELINE_BYTES, label=str(path), what="baseline file")
    except UnsafeFileError as exc:
        if exc.reason == "missing":
            raise BaselineError(f"{path}: baseline file not found; write one with `oberhahn-policy baseline`") from None
        raise BaselineError(str(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not a baseline file ({exc.msg}); write it again with "
                            "`oberhahn-policy baseline`") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a baseline file (nested too deeply to read); write it again with "
                            "`oberhahn-policy baseline`") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("version") != _FORMAT_VERSION:
        raise BaselineError(f"{path}:1:1: not a version-{_FORMAT_VERSION} baseline file; write it again with "
                            "`oberhahn-policy baseline`")
    fingerprints = {e["fingerprint"] for e in entries if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)}
    return Baseline(frozenset(fingerprints))
