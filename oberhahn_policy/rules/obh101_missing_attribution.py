"""OBH101 missing-attribution."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Example, ProjectView, Rule


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
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str) -> str:\n"
            "    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=200,\n"
            "        metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"},\n    )\n"
            "    return response.choices[0].message.content or \"\"\n"
        ),
        Example(
            "# oberhahn: use-case=ticket-triage team=support\nimport anthropic\n\nclaude = anthropic.Anthropic()\n\n\n"
            "def summarise(text: str) -> str:\n    message = claude.messages.create(\n"
            "        model=\"claude-haiku-5-5\", max_tokens=300, messages=[{\"role\": \"user\", \"content\": text}]\n    )\n"
            "    return message.content[0].text\n"
        ),
        Example(
            "from openai import OpenAI\n\nclient = OpenAI(default_headers={\"X-Oberhahn-Team\": \"support\", "
            "\"X-Oberhahn-Use-Case\": \"ticket-triage\"})\n\n"
            "reply = client.responses.create(model=\"gpt-6-luna\", input=\"hi\", max_output_tokens=50)\n"
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str) -> str:\n"
            "    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=200,\n    )\n"
            "    return response.choices[0].message.content or \"\"\n",
            message="team, use_case",
        ),
        Example(
            "import anthropic\n\n\nclass Summariser:\n    def __init__(self) -> None:\n"
            "        self.client = anthropic.Anthropic()\n\n    def run(self, text: str) -> str:\n"
            "        message = self.client.messages.create(\n            model=\"claude-haiku-5-5\", max_tokens=300,\n"
            "            messages=[{\"role\": \"user\", \"content\": text}],\n            metadata={\"user_id\": \"u-1\", \"use_case\": \"ticket-triage\"},\n        )\n"
            "        return message.content[0].text\n",
            message="team",
        ),
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
