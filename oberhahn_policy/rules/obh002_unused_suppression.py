"""OBH002 unused-suppression."""

from __future__ import annotations

from typing import Iterator, Sequence

from ..findings import Finding, Severity, UnusedComment
from ._base import Rule
from ._examples import EXAMPLE_POLICY, Example, Option, python, with_policy


class UnusedSuppression(Rule):
    """Every suppression comment suppresses a finding, and gives a reason where the policy asks for one."""

    code = "OBH002"
    name = "unused-suppression"
    default_severity = Severity.WARNING
    summary = "A suppression comment suppresses nothing."
    what = ("Reports a `# oberhahn: ignore[...]` comment, or a code in it, that matched no finding on its line or the "
            "line below; a code that names no rule; and, when `suppressions.require_reason` is set, a suppression "
            "without a reason (which then suppresses nothing). It runs after every other rule, and only judges the "
            "codes of rules that ran. A suppression that names OBH002 too is kept as it is.")
    why = ("A stale suppression is a hole in the gate: the next violation on that line is hidden without anyone "
           "deciding it should be. A suppression without a reason leaves reviewers guessing whether it is still needed.")
    fix = "Delete the comment (or the codes in it that no longer apply), or give it a reason: `# oberhahn: ignore[OBH101]: why`."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                # oberhahn: ignore[OBH101]: batch job, attributed by the scheduler
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                )
                return response.choices[0].message.content or ""
        """)),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(  # oberhahn: ignore[OBH101, OBH201]: legacy model, migrated next sprint
                    model="gpt-4o",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                # oberhahn: ignore[OBH201]: legacy model until Q3
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), lines=(7,), message='suppresses nothing'),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                # oberhahn: ignore[OBH101]
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                )
                return response.choices[0].message.content or ""
        """), policy=with_policy(EXAMPLE_POLICY, """
            suppressions:
              require_reason: true
        """), lines=(7,), message='requires a reason'),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                # oberhahn: ignore[OBH1O1]: typo in the code
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                )
                return response.choices[0].message.content or ""
        """), lines=(7,), message='no rule'),
    )
    options = (
        Option("suppressions.require_reason", "a suppression without a reason suppresses nothing and is reported",
               invalid[1], invalid[1].policy.replace("require_reason: true", "require_reason: false")),
    )

    phase = "suppression"

    def check_unused(self, unused: Sequence[UnusedComment]) -> Iterator[Finding]:
        """One finding per suppression comment that was not needed, at the comment."""
        for item in unused:
            comment = item.suppression
            written = f"ignore[{', '.join(comment.codes)}]" if comment.codes else "ignore"
            if item.missing_reason:
                message = (f"`# oberhahn: {written}` gives no reason and the policy requires a reason, so it suppresses "
                           f"nothing; write `# oberhahn: {written}: why this is acceptable`")
            elif item.unknown:
                message = (f"`# oberhahn: {written}` names {', '.join(item.unknown)}, which is no rule "
                           "(`oberhahn-policy rules` lists them); fix or remove the code")
            elif not comment.codes:
                message = "`# oberhahn: ignore` suppresses nothing on this line or the next; remove it"
            elif item.codes == comment.codes:
                message = f"`# oberhahn: {written}` suppresses nothing on this line or the next; remove it"
            else:
                message = (f"`# oberhahn: {written}`: {', '.join(item.codes)} suppresses nothing on this line or "
                           "the next; remove that code")
            yield self.at(comment.path, comment.line, 1, message)
