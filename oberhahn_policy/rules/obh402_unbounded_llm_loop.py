"""OBH402 unbounded-llm-loop."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Example, ProjectView, Rule

_HEAD = "import anthropic\n\nclaude = anthropic.Anthropic()\n\n\n"
_CALL = ("claude.messages.create(model=\"claude-haiku-5-5\", max_tokens=300,\n"
         "            messages=[{\"role\": \"user\", \"content\": task}],\n"
         "            extra_headers={\"X-Oberhahn-Team\": \"support\", \"X-Oberhahn-Use-Case\": \"ticket-triage\"})")


class UnboundedLlmLoop(Rule):
    """An LLM call that repeats has a bound the reader can see."""

    code = "OBH402"
    name = "unbounded-llm-loop"
    default_severity = Severity.WARNING
    summary = "An LLM call inside a loop with no visible bound."
    what = ("Flags a call inside `while True` (unless the body steps a counter and leaves the loop when it is "
            "reached), inside a `while` loop whose condition reads no counter stepped in its body, no deadline "
            "(`time.monotonic()`) and no collection the body only drains, inside `for` over `itertools.count()`, "
            "or in a function that calls itself without stepping a parameter it checks. `for` over a collection, "
            "`range(...)` and comprehensions are bounded.")
    why = ("Agent loops (`while not done: ... call the model ...`) are where spend runs away: one stuck task can make "
           "thousands of calls overnight. A visible bound turns a runaway into a bounded, budgetable cost.")
    fix = ("Bound the loop: `for turn in range(MAX_TURNS):`, a counter checked in the condition, or a deadline; for "
           "recursion, pass a depth and stop at a maximum.")
    valid = (
        Example(_HEAD.rstrip("\n") + "\nMAX_TURNS = 8\n\n\ndef agent(task: str) -> None:\n    for _ in range(MAX_TURNS):\n        reply = "
                + _CALL + "\n        if reply.stop_reason == \"end_turn\":\n            break\n"),
        Example(_HEAD + "def agent(task: str, max_turns: int = 5) -> None:\n    turn = 0\n    while turn < max_turns:\n"
                "        " + _CALL.replace("\n        ", "\n    ") + "\n        turn += 1\n"),
        Example(_HEAD + "def ask(task: str) -> str:\n    attempt = 0\n    while True:\n        attempt += 1\n        try:\n"
                "            return " + _CALL.replace("\n            ", "\n                ") + ".content[0].text\n"
                "        except anthropic.APIError:\n            if attempt >= 3:\n                raise\n    return \"\"\n"),
    )
    invalid = (
        Example(_HEAD + "def agent(task: str) -> None:\n    done = False\n    while not done:\n        reply = "
                + _CALL + "\n        done = reply.stop_reason == \"end_turn\"\n",
                message="`while not done` has no counter or bound"),
        Example(_HEAD + "def agent(task: str) -> None:\n    while True:\n        reply = " + _CALL
                + "\n        if reply.stop_reason == \"end_turn\":\n            break\n",
                message="`while True` with no counter-checked exit"),
        Example(_HEAD + "def refine(task: str) -> str:\n    reply = " + _CALL.replace("\n            ", "\n        ")
                + "\n    text = reply.content[0].text\n    return text if text.endswith(\".\") else refine(text)\n",
                message="`refine` calls itself with no depth bound"),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for site in view.call_sites:
            if site.site.operation == "binding":
                continue  # building a framework model in a loop makes no call
            unbounded = next((loop for loop in site.site.loops if not loop.bounded), None)
            if unbounded is None:
                continue
            where = "recursion" if unbounded.kind == "recursion" else "loop"
            yield self.at_call(site, f"LLM call in a {where} with no visible bound: {unbounded.reason} (line {unbounded.line}); "
                                     "bound it with a maximum number of turns, a counter or a deadline")
