"""OBH301 missing-output-limit."""

from __future__ import annotations

from typing import Iterable

from ..cost import is_unit_priced
from ..findings import Finding, Severity
from ..surface import load_surface
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


class MissingOutputLimit(Rule):
    """Every call that generates text caps its output tokens."""

    code = "OBH301"
    name = "missing-output-limit"
    default_severity = Severity.WARNING
    summary = "No output-token limit: unbounded cost per call."
    what = ("Reports calls that generate tokens (chat, completion, framework model bindings, declared wrappers) "
            "and pass no output-token limit (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, ...). "
            "Operations without output tokens (embeddings, rerank, moderation, images, audio: the SDK data's "
            "operations table) are exempt. A call that passes `**kwargs` may hold a limit the tool can't read: it is "
            "reported as unverified, one level lower (or at `rules.OBH301.unknown`), never as missing.")
    why = ("Output tokens cost 4-8x input tokens, and without a cap one call can run to the model's maximum "
           "output: a loop or a prompt injection turns that into a bill. Without a limit the worst-case cost per "
           "call is unbounded, so no per-call ceiling can be checked.")
    fix = "Pass an output-token limit sized for the task (the use case's `limits.max_output_tokens` is the cap)."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message='no output-token limit'),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str, **options: object) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                    **options,
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message="output-token limit can't be verified: `options` may hold one"),
    )
    options = (
        Option("use_cases.NAME.limits.max_output_tokens", "the cap the message proposes", invalid[0],
               invalid[0].policy.replace("max_output_tokens: 512", "max_output_tokens: 1024")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        surface = load_surface()
        for site in view.call_sites:
            operation = surface.operation(site.site.operation)
            if (operation is not None and not operation.output_tokens) or is_unit_priced(site.site.operation):
                continue  # embeddings, rerank, moderation, images...: no output tokens to cap
            if site.limit_state == "present":
                continue
            cap = None
            if site.use_case and site.use_case in view.policy.use_cases:
                cap = view.policy.use_cases[site.use_case].limits.max_output_tokens
            hint = f" (use case {site.use_case!r} allows at most {cap})" if cap is not None else ""
            if site.limit_state == "unknown":
                hidden = ", ".join(f"`{c.expression}`" for c in site.opaque_carriers if c.carrier == "**kwargs")
                yield self.at_call(site, f"{site.site.api} call's output-token limit can't be verified: {hidden} may hold "
                                         f"one; pass the limit by name{hint}", unverified=True)
                continue
            yield self.at_call(site, f"{site.site.api} call has no output-token limit, so its cost per call is unbounded; "
                                     f"pass a limit{hint}")
