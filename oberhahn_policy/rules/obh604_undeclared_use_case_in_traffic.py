"""OBH604 undeclared-use-case-in-traffic."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..usage import UsageReport
from ..usage.observations import undeclared
from ._base import Rule
from ._examples import USAGE_POLICY, Example, Option, python, text, triage_source


class UndeclaredUseCaseInTraffic(Rule):
    """Every use case that spends in production is declared in the policy."""

    code = "OBH604"
    name = "undeclared-use-case-in-traffic"
    default_severity = Severity.ERROR
    phase = "usage"
    summary = "A use case seen in usage records that the policy does not declare."
    what = ("Reports each use case named by observed calls (their attributes, metadata, headers or tags) that "
            "`use_cases` does not declare, with its calls and spend: at the call site the records name when it is in "
            "the project, else at `use_cases` in the policy.")
    why = ("An undeclared use case has no owner, no budget, no approved models and no projection: its spend escapes "
           "every other check. In code OBH103 catches a literal name; in traffic the name may come from configuration, "
           "a request parameter, or a service this repository does not hold.")
    fix = ("Declare the use case under `use_cases` with its team, models and budget, or correct the attribution "
           "value the calls send.")
    valid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),)),
    )
    invalid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "R-77", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-luna", "prompt_tokens": 900, "completion_tokens": 200, "spend": 0.00019, "request_tags": ["use_case:refund-bot", "team:support"]}
        """)),), lines=(8,), message="use case 'refund-bot' (team 'support') appears in usage records, 1 call and $0.00019"),
        # the use case is a parameter, unknown to the static check; the span names the call site
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def reply(text: str, flow: str) -> str:
                answer = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": flow},
                )
                return answer.choices[0].message.content or ""
        """), policy=USAGE_POLICY, usage=(("traces.json", text("""
            {"resourceSpans": [{
              "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "helpdesk"}}]},
              "scopeSpans": [{
                "scope": {"name": "opentelemetry.instrumentation.openai_v2", "version": "2.5b0"},
                "spans": [{
                  "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "parentSpanId": "",
                  "name": "chat gpt-6-luna", "kind": 3,
                  "startTimeUnixNano": "1795165200000000000", "endTimeUnixNano": "1795165202000000000",
                  "attributes": [
                    {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                    {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                    {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-6-luna"}},
                    {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "900"}},
                    {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "200"}},
                    {"key": "code.file.path", "value": {"stringValue": "/srv/app/app/service.py"}},
                    {"key": "code.line.number", "value": {"intValue": "7"}},
                    {"key": "use_case", "value": {"stringValue": "refund-bot"}},
                    {"key": "team", "value": {"stringValue": "support"}}
                  ],
                  "status": {}
                }]
              }]
            }]}
        """)),), located="app/service.py", lines=(7,), message="use case 'refund-bot' (team 'support') appears"),
    )
    options = (
        Option("use_cases", "the use cases the policy declares", invalid[0],
               USAGE_POLICY + "  refund-bot:\n    team: support\n"),
    )

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        return [self.at_observation(fact, root) for fact in undeclared(report, loaded, root)]
