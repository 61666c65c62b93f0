"""OBH603 unattributed-spend."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..usage import UsageReport
from ..usage.observations import unattributed
from ._base import Rule
from ._examples import USAGE_POLICY, Example, Option, text, triage_source


class UnattributedSpend(Rule):
    """Observed spend names its use case, all but at most `attribution.max_unattributed_pct` of it."""

    code = "OBH603"
    name = "unattributed-spend"
    default_severity = Severity.ERROR
    phase = "usage"
    summary = "Observed spend without attribution above `attribution.max_unattributed_pct`."
    what = ("Sums the re-priced spend of the observed calls that name no use case (in their attributes, metadata, "
            "headers or tags) and whose call site no `use_cases.NAME.paths` pattern claims, and reports its share of "
            "all observed spend when it is above `attribution.max_unattributed_pct`, at that setting in the policy. "
            "The message names the models most of it went to.")
    why = ("Spend nobody owns is spend nobody budgets, and it is where surprises hide: a script outside the gate, "
           "a service that drops the tracing context, a client that bypasses the gateway. The static checks make "
           "the code attribute its calls; the observed share shows whether that reaches the bill.")
    fix = ("Attach `use_case` and `team` to those calls (the report's unattributed row lists their models; call "
           "sites in the records point at the code), or map their files with `use_cases.NAME.paths`.")
    valid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),)),
    )
    invalid = (
        # one call of four carries no tags: $0.000195 of $0.00078, 25%
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r3", "session_id": "T-1003", "startTime": "2026-11-20T09:02:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r4", "session_id": "", "startTime": "2026-11-20T09:03:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": []}
        """)),), lines=(4,), message="$0.000195 of $0.00078 observed spend (25.0%) names no use case"),
    )
    options = (
        Option("attribution.max_unattributed_pct", "the share of observed spend that may name no use case", invalid[0],
               USAGE_POLICY.replace("max_unattributed_pct: 5", "max_unattributed_pct: 30")),
    )

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        return [self.at_observation(fact, root) for fact in unattributed(report, loaded, root)]
