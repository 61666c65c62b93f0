"""OBH101 missing-attribution."""

from __future__ import annotations

from typing import Iterable

from ..callsite import OpaqueCarrier
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
            "default headers, a named decorator or `with` block, a file comment, or the policy's path mapping. "
            "Carriers are read through constants and settings imported from other modules and through merges "
            "(`{**BASE, \"use_case\": \"x\"}`, `BASE | {...}`, `dict(BASE, k=v)`), and the gateways' own conventions "
            "count: LiteLLM tags (`metadata={\"tags\": [\"team:support\"]}`, `x-litellm-tags`), Helicone "
            "`Helicone-Property-*` headers, Portkey `x-portkey-metadata` and Cloudflare `cf-aig-metadata` JSON headers. "
            "A key that may be hidden where the tool can't read it (`**kwargs`, `metadata=build_meta()`) is reported "
            "as unverified, one level lower (or at `rules.OBH101.unknown`), never as missing.")
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
        Example(python("""
            from openai import OpenAI

            from . import settings

            client = OpenAI(default_headers=settings.LLM_HEADERS)


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna", max_completion_tokens=200, messages=[{"role": "user", "content": ticket}],
                    metadata={**settings.BASE_METADATA, "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), others=(("app/__init__.py", ""), ("app/settings.py", python("""
            LLM_HEADERS = {"X-Oberhahn-Team": "support"}
            BASE_METADATA = {"team": "support"}
        """)))),
        Example(python("""
            from openai import OpenAI

            gateway = OpenAI(base_url="http://litellm-proxy:4000", default_headers={"x-litellm-tags": "team:support"})

            reply = gateway.chat.completions.create(
                model="gpt-6-luna", max_tokens=50, messages=[{"role": "user", "content": "hi"}],
                extra_headers={"Helicone-Property-Use-Case": "ticket-triage"},
            )
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
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str, **options: object) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "support"},
                    **options,
                )
                return response.choices[0].message.content or ""
        """), lines=(7,), message="attribution can't be verified: use_case may be in `**options`"),
    )
    options = (
        Option("attribution.required", "the keys every call must carry", invalid[0],
               invalid[0].policy.replace("required: [team, use_case]", "required: [use_case]")),
        Option("use_cases.NAME.paths", "calls in these files take the use case (and its team) from the policy",
               invalid[0], invalid[0].policy.replace("    team: support\n", "    team: support\n    paths: [\"app/**\"]\n")),
        Option("attribution.carriers", "the layers whose keys count: without `client`, the client's default headers "
               "don't attribute its calls", valid[2], valid[2].policy.replace(
                   "  required: [team, use_case]\n", "  required: [team, use_case]\n  carriers: [body, header]\n")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        required = view.policy.attribution.required
        for site in view.call_sites:
            values = site.attribution_map()
            missing = [k for k in required if k not in values]
            if not missing:
                continue
            hidden = [c for c in site.opaque_carriers if any(c.may_hold(k) for k in missing)]
            unknown = [k for k in missing if any(c.may_hold(k) for c in hidden)]
            absent = [k for k in missing if k not in unknown]
            found = [k for k in required if k in values]
            where = ", ".join(dict.fromkeys(_where(c) for c in hidden))
            if not absent:
                message = (f"attribution can't be verified: {', '.join(unknown)} may be in {where}, which can't be read "
                           f"statically{_found(found)}; pass the keys where they can be read (a dict literal or a "
                           "constant), or map the file to a use case")
                yield self.at_call(site, message, unverified=True)
                continue
            message = f"missing attribution: {', '.join(absent)}"
            if unknown:
                message += f" ({', '.join(unknown)} may be in {where}, which can't be read statically)"
            example = ", ".join(f'"{k}": ...' for k in absent)
            message += f"; pass them with the call (metadata={{{example}}}), on the client, or map the file to a use case"
            yield self.at_call(site, message)


def _where(carrier: OpaqueCarrier) -> str:
    """`**kwargs`, `metadata=build_meta()`, `**extra` in `metadata`, `extra_body=extra` (for `extra_body.metadata`)."""
    shown = carrier.shown()
    if carrier.kind != "kwargs" and shown.startswith("*") and shown.endswith(f" in {carrier.carrier}"):
        return f"`{shown[:-len(carrier.carrier) - 4]}` in `{carrier.carrier}`"
    return f"`{shown}`"


def _found(keys: list[str]) -> str:
    return f" ({', '.join(keys)} {'is' if len(keys) == 1 else 'are'} present)" if keys else ""
