"""OBH402 unbounded-llm-loop."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, python
from ._view import ProjectView


class UnboundedLlmLoop(Rule):
    """An LLM call that repeats has a bound the reader can see."""

    code = "OBH402"
    name = "unbounded-llm-loop"
    default_severity = Severity.WARNING
    summary = "An LLM call inside a loop with no visible bound."
    what = ("Flags a call inside a `while` loop with no visible bound: its condition reads no counter stepped in its "
            "body, no deadline (`time.monotonic()`) and no collection the body only drains, and the body does not step "
            "a counter that an `if` compares before leaving the loop (`attempts -= 1` ... `if attempts <= 0: return`, "
            "which also bounds `while True`); inside `for` over `itertools.count()`, "
            "or in a function that calls itself without stepping a parameter it checks. `for` over a collection, "
            "`range(...)` and comprehensions are bounded.")
    why = ("Agent loops (`while not done: ... call the model ...`) are where spend runs away: one stuck task can make "
           "thousands of calls overnight. A visible bound turns a runaway into a bounded, budgetable cost.")
    fix = ("Bound the loop: `for turn in range(MAX_TURNS):`, a counter checked in the condition, or a deadline; for "
           "recursion, pass a depth and stop at a maximum.")
    valid = (
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()
            MAX_TURNS = 8


            def agent(task: str) -> None:
                for _ in range(MAX_TURNS):
                    reply = claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                        messages=[{"role": "user", "content": task}],
                        extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})
                    if reply.stop_reason == "end_turn":
                        break
        """)),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def agent(task: str, max_turns: int = 5) -> None:
                turn = 0
                while turn < max_turns:
                    claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                    messages=[{"role": "user", "content": task}],
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})
                    turn += 1
        """)),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def ask(task: str) -> str:
                attempt = 0
                while True:
                    attempt += 1
                    try:
                        return claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                            messages=[{"role": "user", "content": task}],
                            extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"}).content[0].text
                    except anthropic.APIError:
                        if attempt >= 3:
                            raise
                return ""
        """)),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def ask(task: str) -> str | None:
                attempts = 3
                answer = None
                while answer is None:
                    attempts -= 1
                    if attempts <= 0:
                        return None
                    answer = claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                        messages=[{"role": "user", "content": task}],
                        extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"}).content[0].text
                return answer
        """)),
    )
    invalid = (
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def agent(task: str) -> None:
                done = False
                while not done:
                    reply = claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                        messages=[{"role": "user", "content": task}],
                        extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})
                    done = reply.stop_reason == "end_turn"
        """), lines=(9,), message='`while not done` has no counter or bound'),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def agent(task: str) -> None:
                while True:
                    reply = claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                        messages=[{"role": "user", "content": task}],
                        extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})
                    if reply.stop_reason == "end_turn":
                        break
        """), lines=(8,), message='`while True` with no counter-checked exit'),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def refine(task: str) -> str:
                reply = claude.messages.create(model="claude-haiku-5-5", max_tokens=300,
                    messages=[{"role": "user", "content": task}],
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"})
                text = reply.content[0].text
                return text if text.endswith(".") else refine(text)
        """), lines=(7,), message='`refine` calls itself with no depth bound'),
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
