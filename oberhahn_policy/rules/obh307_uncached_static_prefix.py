"""OBH307 uncached-static-prefix."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..savings import site_figures
from ._base import Rule
from ._examples import LONG_PROMPT, Example, Option, python, yaml
from ._view import ProjectView

_POLICY = yaml("""
    version: 1
    attribution:
      required: []
    use_cases:
      ticket-triage:
        paths: ["app/**"]
        budget:
          tasks_per_month: 300000
          avg_input_tokens: 2400
          avg_output_tokens: 20
""")

_CALL = """
    from pathlib import Path

    import anthropic

    claude = anthropic.Anthropic()
    SYSTEM = (Path(__file__).parent / "prompts" / "triage.md").read_text()


    def triage(ticket: str) -> str:
        reply = claude.messages.create(
            model="claude-sonnet-5-5", max_tokens=20, SYSTEM_ARGUMENT,
            messages=[{"role": "user", "content": ticket}],
        )
        return reply.content[0].text
"""


class UncachedStaticPrefix(Rule):
    """Long static instructions repeated on every call are read from the provider's prompt cache."""

    code = "OBH307"
    name = "uncached-static-prefix"
    default_severity = Severity.INFO
    summary = "A cacheable static prompt prefix without a cache marker (with $/month)."
    what = ("Estimates the static prefix of each call's prompt (its system, developer and instructions parts, prompt "
            "files included; see OBH401 for how tokens are estimated). When it is at least the provider's minimum "
            "cacheable size (Anthropic and Bedrock 1,024 tokens, 2,048 for Haiku models; OpenAI 1,024; Gemini 1,024, "
            "2,048 for Pro) and the call sets no cache marker (`cache_control`, `prompt_cache_key`, `cachePoint`, "
            "`cached_content`), reports what the call costs a month now and with the prefix read from the cache at "
            "the cached-input price (one cache write per 5-minute lifetime, at the write price, for traffic spread "
            "over the month). A use case with too few calls to keep the cache warm is not reported: every call would "
            "write the cache, which costs more than ordinary input where writes carry a premium.")
    why = ("Cached input costs a tenth of ordinary input on most providers. Instructions, few-shot examples and tool "
           "definitions are the same on every call; without a marker, Anthropic and Bedrock never cache them, and "
           "OpenAI's automatic cache only helps calls that land on the same server.")
    fix = ("Mark the static prefix for caching: `cache_control={\"type\": \"ephemeral\"}` on the last static block "
           "(Anthropic), a `cachePoint` block (Bedrock), `prompt_cache_key=` (OpenAI), `cached_content=` (Gemini). "
           "Keep dynamic text after the static prefix.")
    valid = (
        Example(python(_CALL.replace("SYSTEM_ARGUMENT",
                                     'system=[{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]')),
                policy=_POLICY, others=(("app/prompts/triage.md", LONG_PROMPT),)),
    )
    invalid = (
        Example(python(_CALL.replace("SYSTEM_ARGUMENT", "system=SYSTEM")), policy=_POLICY, lines=(10,),
                message="the static prefix (about 1,787 tokens, estimated) is above Anthropic's minimum cacheable size",
                others=(("app/prompts/triage.md", LONG_PROMPT),)),
        Example(python("""
            from pathlib import Path

            from openai import OpenAI

            client = OpenAI()
            SYSTEM = Path("app/prompts/triage.md").read_text()


            def triage(ticket: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=20,
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                )
                return reply.choices[0].message.content or ""
        """), policy=_POLICY, lines=(10,), message="set `prompt_cache_key` so the calls share OpenAI's prompt cache",
            others=(("app/prompts/triage.md", LONG_PROMPT),)),
    )
    options = (
        Option("use_cases.NAME.budget.tasks_per_month", "the volume the saving per call is multiplied by", invalid[0],
               _POLICY.replace("tasks_per_month: 300000", "tasks_per_month: 3000")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for lever in view.savings.of("prompt-caching"):
            for entry in lever.sites:
                yield self.at_call(entry.site, f"no cache marker: {lever.basis}; "
                                               f"{site_figures(lever, entry)}; {lever.change}")
