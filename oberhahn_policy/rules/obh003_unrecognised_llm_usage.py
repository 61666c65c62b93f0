"""OBH003 unrecognised-llm-usage."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, python
from ._view import ProjectView

_HOW = {
    "lazy-import": "a lazy import, so the names bound to it are not known",
    "dynamic-attribute": "an attribute taken by a name computed at run time",
    "handed-off": "a function the checker doesn't know, which calls it out of sight",
}


class UnrecognisedLlmUsage(Rule):
    """Code that uses an LLM SDK in a way the checker can't follow says so, instead of passing silently."""

    code = "OBH003"
    name = "unrecognised-llm-usage"
    default_severity = Severity.WARNING
    summary = "An LLM SDK is reached in a way the checker can't follow, so calls made through it are not checked."
    what = ("Reports, in a file that imports an LLM SDK or framework, each place its objects go out of sight: the SDK "
            "imported inside a `__getattr__` (a lazy proxy module or class) or with `importlib.import_module(...)`; "
            "`getattr(sdk_object, name)` with a name that isn't a literal; an SDK callable (`client.chat.completions."
            "create`, `litellm.completion`) passed to a function that isn't a known call forwarder (`asyncio.to_thread`, "
            "`functools.partial` and the others in the SDK data are followed).")
    why = ("Calls the checker can't see are calls nobody checks: a project that reaches litellm through a lazy proxy "
           "would otherwise get `No findings` and exit 0 with every call unattributed and unbounded. Saying where "
           "reading stops is what makes a clean run mean something.")
    fix = ("Declare the function that makes the LLM call under `wrappers:` in the policy (its model, attribution and "
           "limit arguments), so each call of it is checked as a call site; or call the SDK directly. If the code is "
           "not production (a test helper), exclude it or suppress the finding with a reason.")
    valid = (
        Example(python("""
            import asyncio

            from openai import AsyncOpenAI

            client = AsyncOpenAI()


            async def ask(question: str) -> str:
                reply = await client.responses.create(model="gpt-6-luna", input=question, max_output_tokens=200,
                    metadata={"team": "support", "use_case": "ticket-triage"})
                return reply.output_text


            def ask_sync(question: str) -> str:
                return asyncio.run(ask(question))
        """)),
    )
    invalid = (
        Example(python("""
            import importlib


            class _LazyLitellm:
                def __getattr__(self, name):
                    module = importlib.import_module("litellm")
                    return getattr(module, name)


            litellm = _LazyLitellm()


            def answer(question: str) -> str:
                reply = litellm.completion(model="gpt-6-luna", messages=[{"role": "user", "content": question}])
                return reply.choices[0].message.content
        """), lines=(5,), message="lazy import"),
        Example(python("""
            import tenacity
            from openai import OpenAI

            client = OpenAI()
            create = tenacity.retry(stop=tenacity.stop_after_attempt(3))(client.chat.completions.create)
        """), lines=(5,), message="passed to"),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for extraction in view.files:
            for use in extraction.unfollowed:
                how = _HOW[use.kind]
                yield self.at(extraction.path, use.line, use.column,
                              f"{use.sdk} is reached through {how} ({use.code}); calls made through it are not "
                              "checked; declare the function that makes the call under `wrappers:` in the policy, "
                              "or call the SDK directly")
