"""OBH605 unapproved-model-in-traffic."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..usage import UsageReport
from ..usage.observations import unapproved
from ._base import Rule
from ._examples import USAGE_POLICY, Example, Option, python, text, triage_source


class UnapprovedModelInTraffic(Rule):
    """The models a use case runs on in production are the ones its policy approves."""

    code = "OBH605"
    name = "unapproved-model-in-traffic"
    default_severity = Severity.ERROR
    phase = "usage"
    summary = "A model seen in a use case's traffic that it does not approve."
    what = ("Reports each model that served a declared use case's observed calls although `models.approved` does not "
            "list it (or `models.denied` matches it, or the use case approves none under `models.default: deny`), "
            "as OBH201 and OBH203 decide it for code, with its calls and spend: at the call site the records name "
            "when it is in the project, else at the use case's `models.approved`.")
    why = ("The static check sees the model the code names; production runs the model the configuration, an "
           "environment variable or a gateway route picks. A model nobody approved was never evaluated for the use "
           "case and is priced at nobody's budget.")
    fix = ("Route the use case back to an approved model (fix the configuration that picked this one), or approve "
           "the model in a reviewed policy change once it meets the use case's quality bar.")
    valid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "claude-haiku-5-5-20261001", "custom_llm_provider": "anthropic", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),)),
    )
    invalid = (
        Example(triage_source("gpt-6-luna", 256), policy=USAGE_POLICY, usage=(("spend-logs.jsonl", text("""
            {"request_id": "r1", "session_id": "T-1001", "startTime": "2026-11-20T09:00:00Z", "model": "gpt-6-luna", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.000195, "request_tags": ["use_case:ticket-triage", "team:support"]}
            {"request_id": "r2", "session_id": "T-1002", "startTime": "2026-11-20T09:01:00Z", "model": "gpt-6-sol", "prompt_tokens": 1200, "completion_tokens": 150, "spend": 0.0039, "request_tags": ["use_case:ticket-triage", "team:support"]}
        """)),), lines=(11,),
            message="model 'gpt-6-sol' served 1 call ($0.0039) of use case 'ticket-triage', which does not approve it"),
        # the code names an approved default; production's environment picks another model
        Example(python("""
            import os

            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model=os.getenv("TRIAGE_MODEL", "gpt-6-luna"),
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=USAGE_POLICY, usage=(("traces.json", text("""
            {"resourceSpans": [{
              "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "helpdesk"}}]},
              "scopeSpans": [{
                "scope": {"name": "opentelemetry.instrumentation.openai_v2", "version": "2.5b0"},
                "spans": [{
                  "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "parentSpanId": "",
                  "name": "chat gpt-6-sol", "kind": 3,
                  "startTimeUnixNano": "1795165200000000000", "endTimeUnixNano": "1795165202000000000",
                  "attributes": [
                    {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                    {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                    {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-6-sol"}},
                    {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "1200"}},
                    {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "150"}},
                    {"key": "code.file.path", "value": {"stringValue": "/srv/app/app/service.py"}},
                    {"key": "code.line.number", "value": {"intValue": "9"}},
                    {"key": "use_case", "value": {"stringValue": "ticket-triage"}},
                    {"key": "team", "value": {"stringValue": "support"}}
                  ],
                  "status": {}
                }]
              }]
            }]}
        """)),), located="app/service.py", lines=(9,), message="model 'gpt-6-sol' served 1 call"),
    )
    options = (
        Option("use_cases.NAME.models.approved", "the models the use case may run on", invalid[0],
               USAGE_POLICY.replace('approved: ["gpt-6-luna", "claude-haiku-5-5*"]',
                                    'approved: ["gpt-6-luna", "gpt-6-sol", "claude-haiku-5-5*"]')),
    )

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        return [self.at_observation(fact, root) for fact in unapproved(report, loaded, root)]
