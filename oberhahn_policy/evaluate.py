"""The evaluate stage: which rules a run applies, at which severity, and what they find."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from .findings import Finding, Severity
from .policy.load import LoadedPolicy
from .policy.model import Policy
from .rules import ALL_RULES, ProjectView, Rule

if TYPE_CHECKING:
    from .usage import UsageReport


@dataclass(frozen=True)
class RuleSelection:
    """The rules a run applies and their severities: the policy's `rules:` switches, then `--select` and `--ignore`."""

    severities: Mapping[str, Severity]
    #: Findings about values known only as defaults keep their full severity.
    trust_defaults: bool = False
    #: Severities of findings a rule can't verify, where the policy sets them (`rules.CODE.unknown`).
    unknown: Mapping[str, Severity] = dataclasses.field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.severities

    def rules(self, phase: str) -> list[type[Rule]]:
        """The selected rules of one phase, in code order."""
        return [rule for rule in ALL_RULES if rule.code in self.severities and rule.phase == phase]

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings at the severities the selection gives their rules (one lower for a default's finding)."""
        applied: list[Finding] = []
        for finding in findings:
            severity = self.severities[finding.code]
            if finding.unverified:
                severity = self.unknown.get(finding.code, severity.lower())
            elif finding.by_default and not self.trust_defaults:
                severity = severity.lower()
            applied.append(finding if finding.severity == severity else dataclasses.replace(finding, severity=severity))
        return applied


def selects(rule: type[Rule], codes: Iterable[str]) -> bool:
    """`OBH1` selects OBH101..OBH199, `OBH101` one rule, `missing-attribution` it by name."""
    return any(rule.code.startswith(c) or rule.name.upper() == c for c in codes)


def select_rules(policy: Policy, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> RuleSelection:
    """The selection for a run."""
    selected = {c.upper() for c in select}
    ignored = {c.upper() for c in ignore}
    severities: dict[str, Severity] = {}
    unknown: dict[str, Severity] = {}
    for rule in ALL_RULES:
        config = policy.rules.get(rule.code) or policy.rules.get(rule.name)
        if config is not None and not config.enabled:
            continue
        if (selected and not selects(rule, selected)) or selects(rule, ignored):
            continue
        severities[rule.code] = Severity(config.severity) if config is not None and config.severity else rule.default_severity
        if config is not None and config.unknown is not None:
            unknown[rule.code] = Severity(config.unknown)
    return RuleSelection(severities, policy.models.trust_defaults, unknown)


def policy_problems(loaded: LoadedPolicy) -> list[Finding]:
    """What the policy-phase rules (OBH9xx) find in a policy itself, located in its files."""
    selection = select_rules(loaded.policy)
    found = [f for rule in selection.rules("policy") for f in selection.apply(rule().check_policy(loaded))]
    return sorted(found, key=lambda f: (f.path, f.line, f.column, f.code))


def evaluate(view: ProjectView, selection: RuleSelection) -> list[Finding]:
    """Every selected project rule's findings, at the selection's severities."""
    return [finding for rule in selection.rules("project") for finding in selection.apply(_isolated(rule, view))]


def _isolated(rule: type[Rule], view: ProjectView) -> list[Finding]:
    """The rule's findings; if it fails on the project, it runs again file by file, so the file that trips it up gets
    a finding that says so and every other file is still checked (as extraction does for a file that kills a worker)."""
    try:
        return list(rule().check(view))
    except Exception:  # noqa: BLE001 - one file's internal error must not end the run
        if os.environ.get("OBERHAHN_DEBUG"):
            raise
    found: list[Finding] = []
    for file in view.files:
        alone = dataclasses.replace(view, files=(file,), call_sites=tuple(c for c in view.call_sites if c.path == file.path))
        try:
            found.extend(rule().check(alone))
        except Exception as exc:  # noqa: BLE001
            found.append(rule().at(file.path, 1, 1, f"internal error while checking this file ({type(exc).__name__}: "
                                                    f"{exc}); it was not checked by this rule — set OBERHAHN_DEBUG=1 "
                                                    "for a traceback, and please report it"))
    return found


def usage_findings(report: UsageReport, loaded: LoadedPolicy, root: Path | None, selection: RuleSelection) -> list[Finding]:
    """Every selected usage rule's findings (OBH6xx) on observed usage, at the selection's severities, sorted."""
    found = [f for rule in selection.rules("usage") for f in selection.apply(rule().check_usage(report, loaded, root))]
    return sorted(found, key=lambda f: f.sort_key)
