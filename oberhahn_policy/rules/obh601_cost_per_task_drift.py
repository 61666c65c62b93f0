"""OBH601 cost-per-task-drift."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..usage import UsageReport
from ..usage.observations import drift
from ._base import Rule
from ._examples import USAGE_POLICY, Example, Option, python, text, triage_source


class CostPerTaskDrift(Rule):
    """A use case costs per task in production what its projection from the code says, within `max_drift_pct`."""

    code = "OBH601"
    name = "cost-per-task-drift"
    default_severity = Severity.ERROR
    phase = "usage"
    summary = "Observed cost per task above the projection by more than `budget.max_drift_pct`."
    what = ("Re-prices every observed call in the usage records (`oberhahn-policy usage FILE...`) at its own day's "
            "price, divides a use case's spend by the tasks it served (a trace, or `usage.task_key`), and compares "
            "that with the cost per task projected from the code (`oberhahn-policy cost`). Reports a use case whose "
            "observed cost per task is above the projection by more than its `budget.max_drift_pct`, at that "
            "setting in the policy. Use cases whose projection is partial (a call site that can't be priced) are not "
            "compared.")
    why = ("Budgets, approvals and limits are checked against assumptions: the average prompt, the answer length, "
           "one call per task. When production drifts from them (retrieval stuffs more context, a retry loop doubles "
           "the calls) the projection goes on looking fine while the bill grows. Drift per task is the early signal: "
           "it moves before total spend does, and it is independent of traffic volume.")
    fix = ("Find what changed (the model, the prompt size, the calls per task: the report's per-day figures show "
           "when), and fix the code, or update the use case's `budget` assumptions in a reviewed policy change.")
    valid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1180, "completion_tokens": 160, "spend": 0.000198, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 1250, "completion_tokens": 140, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),)),
    )
    invalid = (
        # projected: 1200 x $0.10/M + 150 x $0.50/M = $0.000195 a task; observed: 3000 x $0.10/M + 150 x $0.50/M
        # = $0.000375 a task, 92.3% above
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 3000, "completion_tokens": 150, "spend": 0.000375, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 3000, "completion_tokens": 150, "spend": 0.000375, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),), lines=(18,), message="costs $0.000375 per task in observed usage, 92.3% above its projected $0.000195"),
        # the code now calls the model twice per ticket (a retry): twice the projection per task
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                for _ in range(2):
                    reply = client.chat.completions.create(
                        model="gpt-6-luna",
                        max_completion_tokens=256,
                        messages=[{"role": "user", "content": text}],
                        metadata={"team": "support", "use_case": "ticket-triage"},
                    )
                return reply.choices[0].message.content or ""
        """), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1001", "startTime": "2026-11-20T09:00:30Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),), lines=(18,), message="100.0% above its projected $0.000195"),
    )
    options = (
        Option("use_cases.NAME.budget.max_drift_pct", "how far above the projection the observed cost per task may be",
               invalid[0], USAGE_POLICY.replace("max_drift_pct: 25", "max_drift_pct: 100")),
        Option("use_cases.NAME.budget.avg_input_tokens", "the prompt size the projection assumes", invalid[0],
               USAGE_POLICY.replace("avg_input_tokens: 1200", "avg_input_tokens: 2800")),
    )

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        return [self.at_observation(fact, root) for fact in drift(report, loaded, root)]
