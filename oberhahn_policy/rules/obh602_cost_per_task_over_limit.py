"""OBH602 cost-per-task-over-limit."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..usage import UsageReport
from ..usage.observations import over_limit
from ._base import Rule
from ._examples import USAGE_POLICY, Example, Option, text, triage_source


class CostPerTaskOverLimit(Rule):
    """A use case's observed cost per task stays within its `limits.max_cost_per_task_usd`."""

    code = "OBH602"
    name = "cost-per-task-over-limit"
    default_severity = Severity.ERROR
    phase = "usage"
    summary = "Observed cost per task above `limits.max_cost_per_task_usd`."
    what = ("Re-prices every observed call in the usage records at its own day's price and divides a use case's "
            "spend by the tasks it served (a trace, or `usage.task_key`). Reports a use case whose observed cost per "
            "task is above `limits.max_cost_per_task_usd`, at that limit in the policy. When some calls could not be "
            "priced the observed figure is a lower bound, and the message says so: a limit a lower bound exceeds is "
            "exceeded for certain.")
    why = ("The limit is the unit economics the use case was approved on (a ticket triaged for two cents). The "
           "static check (OBH303) holds each call to its ceiling before the code ships; only observed usage shows "
           "what a task really costs once retries, tool loops and long threads add up.")
    fix = ("Cut the calls or tokens per task (the report lists the models and tokens), move to a cheaper approved "
           "model, or raise the limit in a reviewed policy change.")
    valid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1001", "startTime": "2026-11-20T09:00:30Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),)),
    )
    invalid = (
        # three calls for one ticket: 3 x (1200 x $0.10/M + 150 x $0.50/M) = $0.000585, above $0.0005
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1001", "startTime": "2026-11-20T09:00:30Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r3", "session_id": "T-1001", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),), lines=(13,), message="costs $0.000585 per task in observed usage, above limits.max_cost_per_task_usd $0.0005"),
    )
    options = (
        Option("use_cases.NAME.limits.max_cost_per_task_usd", "the most a task may cost", invalid[0],
               USAGE_POLICY.replace("max_cost_per_task_usd: 0.0005", "max_cost_per_task_usd: 0.001")),
    )

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        return [self.at_observation(fact, root) for fact in over_limit(report, loaded, root)]
