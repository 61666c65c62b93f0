"""OBH101 missing-attribution."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, Option, python
from ._view import ProjectView


class MissingAttribution(Rule):
    """Every LLM call carries the attribution keys the policy requires."""

    code = "OBH101"
    name = "missing-attribution"
    default_severity = Severity.ERROR
    summary = "A required attribution key is absent from the call."
    what = ("Checks that each call site carries every key in `attribution.required` (by default `team` and "
            "`use_case`) in a carrier the policy counts: request metadata, attribution headers, the client's "
            "default headers, a named decorator or `with` block, a file comment, or the policy's path mapping.")
    why = ("LLM spend is an HTTP call into someone else's account: there is no resource to tag. A call without "
           "its team and use case becomes spend nobody can attribute, and a budget nobody can enforce.")
    fix = ("Pass the keys with the call (`metadata={...}` or `extra_headers={\"X-Oberhahn-Team\": ...}`), on the "
           "client (`default_headers`), in a file comment `# oberhahn: use-case=NAME team=NAME`, or map the "
           "file to a use case with `use_cases.NAME.paths`.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """)),
        Example(python("""
            # oberhahn: use-case=ticket-triage team=support
            import anthropic

            claude = anthropic.Anthropic()


            def summarise(text: str) -> str:
                message = claude.messages.create(
                    model="claude-haiku-5-5", max_tokens=300, messages=[{"role": "user", "content": text}]
                )
                return message.content[0].text
        """)),
        Example(python("""
            from openai import OpenAI

            client = OpenAI(default_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})

            reply = client.responses.create(model="gpt-6-luna", input="hi", max_output_tokens=50)
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
                )
                return response.choices[0].message.content or ""
        """), lines=(7,), message='team, use_case'),
        Example(python("""
            import anthropic


            class Summariser:
                def __init__(self) -> None:
                    self.client = anthropic.Anthropic()

                def run(self, text: str) -> str:
                    message = self.client.messages.create(
                        model="claude-haiku-5-5", max_tokens=300,
                        messages=[{"role": "user", "content": text}],
                        metadata={"user_id": "u-1", "use_case": "ticket-triage"},
                    )
                    return message.content[0].text
        """), lines=(9,), message='team'),
    )
    options = (
        Option("attribution.required", "the keys every call must carry", invalid[0],
               invalid[0].policy.replace("required: [team, use_case]", "required: [use_case]")),
        Option("use_cases.NAME.paths", "calls in these files take the use case (and its team) from the policy",
               invalid[0], invalid[0].policy.replace("    team: support\n", "    team: support\n    paths: [\"app/**\"]\n")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        required = view.policy.attribution.required
        for site in view.call_sites:
            values = site.attribution_map()
            missing = [k for k in required if k not in values]
            if not missing:
                continue
            message = f"missing attribution: {', '.join(missing)}"
            if site.opaque_carriers:
                opaque = ", ".join(f"{c.carrier}={c.expression}" for c in site.opaque_carriers)
                message += f" (the keys in {opaque} can't be read statically)"
            example = ", ".join(f'"{k}": ...' for k in missing)
            message += f"; pass them with the call (metadata={{{example}}}), on the client, or map the file to a use case"
            yield self.at_call(site, message)
