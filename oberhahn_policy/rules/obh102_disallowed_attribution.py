"""OBH102 disallowed-attribution."""

from __future__ import annotations

import re
from typing import Iterable

from ..attribution_limits import high_cardinality, transport_problems
from ..findings import Finding, Severity
from ..policy.model import AllowedValues, Policy
from ..wording import did_you_mean
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView


def _disallowed(value: str, allowed: AllowedValues, policy: Policy) -> str | None:
    """Why `value` is not allowed, or None."""
    if allowed.from_ is not None:
        registry = sorted(policy.teams if allowed.from_ == "teams" else policy.use_cases)
        if value not in registry:
            kind = "team" if allowed.from_ == "teams" else "use case"
            hint = did_you_mean(value, registry) or f" (declared: {', '.join(registry) or 'none'})"
            return f"is not a declared {kind}{hint}"
    if allowed.values is not None and value not in allowed.values:
        hint = did_you_mean(value, allowed.values) or f" (allowed: {', '.join(allowed.values)})"
        return f"is not an allowed value{hint}"
    if not allowed.matches(value):
        return f"does not match the pattern {allowed.pattern!r}"
    return None


class DisallowedAttribution(Rule):
    """Attribution values are ones the policy allows, the transport accepts, and spend can be grouped by."""

    code = "OBH102"
    name = "disallowed-attribution"
    default_severity = Severity.ERROR
    summary = "An attribution value is not allowed, would be rejected by its transport, or is unique per request."
    what = ("Checks each statically known attribution value against `attribution.values` (a registry: "
            "`{from: teams}` or `{from: use_cases}`, a list: `{values: [...]}`, or a regular expression: "
            "`{pattern: ...}`); checks every entry of a carrier against its transport's limits (OpenAI "
            "`metadata`: 16 pairs, keys <= 64 and string values <= 512 characters; Anthropic `metadata`: only "
            "`user_id`; Bedrock `requestMetadata`: 16 entries of <= 256 characters in its character set; Google "
            "`labels`: lowercase, <= 63 characters; headers: valid names and ASCII values; gateway JSON headers: Portkey "
            "`x-portkey-metadata` values <= 128 characters, Cloudflare `cf-aig-metadata` <= 5 entries); and flags attribution "
            "values that look unique per request or per user (UUIDs, timestamps, request or user ids).")
    why = ("A misspelt team (`supprot`) is spend that lands on no budget; a value the API rejects fails the call in "
           "production or is silently dropped by the gateway; and a request id in a billing label turns one cost "
           "line into a million, which no report can sum.")
    fix = ("Use a declared team or use case and values that match the policy; keep billing labels to stable, "
           "low-cardinality names and send per-request ids to tracing instead.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            PROMPT_VERSION = "v3"


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              optional: [prompt_version, feature]
              values:
                team: {from: teams}
                use_case: {from: use_cases}
                prompt_version: {pattern: "^v[0-9]+$"}
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """)),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def label(text: str, user_id: str) -> str:
                reply = claude.messages.create(
                    model="claude-haiku-5-5", max_tokens=64,
                    messages=[{"role": "user", "content": text}],
                    metadata={"user_id": user_id},
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"},
                )
                return reply.content[0].text
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              optional: [prompt_version, feature]
              values:
                team: {from: teams}
                use_case: {from: use_cases}
                prompt_version: {pattern: "^v[0-9]+$"}
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "supprot", "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              optional: [prompt_version, feature]
              values:
                team: {from: teams}
                use_case: {from: use_cases}
                prompt_version: {pattern: "^v[0-9]+$"}
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """), lines=(7,), message="did you mean 'support'?"),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def label(text: str) -> str:
                reply = claude.messages.create(
                    model="claude-haiku-5-5", max_tokens=64,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.content[0].text
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              optional: [prompt_version, feature]
              values:
                team: {from: teams}
                use_case: {from: use_cases}
                prompt_version: {pattern: "^v[0-9]+$"}
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """), lines=(7, 7), message='Anthropic `metadata` accepts only `user_id`'),
        Example(python("""
            import uuid

            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "support", "use_case": "ticket-triage", "feature": str(uuid.uuid4())},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              optional: [prompt_version, feature]
              values:
                team: {from: teams}
                use_case: {from: use_cases}
                prompt_version: {pattern: "^v[0-9]+$"}
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """), lines=(9,), message='changes per request or per user'),
    )
    options = (
        Option("attribution.values.KEY", "the values a key may take: `from: teams|use_cases`, `values: [...]` or a "
               "`pattern`", invalid[0], invalid[0].policy.replace("team: {from: teams}", "team: {values: [supprot]}")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        allowed = policy.attribution.values
        keys = set(policy.attribution.required) | set(policy.attribution.optional)
        for site in view.call_sites:
            expressions = dict(site.dynamic_expressions)
            carriers = dict(site.attribution_carriers)
            for key, value in site.attribution:
                spec = allowed.get(key)
                if value is not None and spec is not None:
                    problem = _disallowed(value, spec, policy)
                    if problem is not None:
                        yield self.at_call(site, f"attribution {key}={value!r} {problem}")
                if key in keys and key in carriers and key not in ("user", "user_id", "safety_identifier"):
                    reason = high_cardinality(value, expressions.get(key))
                    if reason is not None:
                        shown = repr(value) if value is not None else expressions.get(key)
                        yield self.at_call(site, f"attribution {key}={shown} {reason}; spend can't be grouped by a value "
                                                 "that is unique per request, use a stable name and send ids to tracing")
            for limit in transport_problems(site.site):
                yield self.at_call(site, f"{limit.carrier}: {limit.message}")
            for entry in site.site.attribution:
                if entry.carrier.split(".")[-1] == "labels" and entry.key not in keys:
                    reason = high_cardinality(entry.value.value if entry.value.known and isinstance(entry.value.value, str)
                                              else None, None if entry.value.known else entry.value.expression)
                    if reason is None and re.search(r"(user|request|session|trace)_?id", entry.key, re.IGNORECASE):
                        reason = "names a per-user or per-request id"
                    if reason is not None:
                        yield self.at_call(site, f"billing label {entry.key!r} {reason}; labels reach the bill, so keep them "
                                                 "to stable, low-cardinality names")
