"""OBH004 unreadable-prompt-file."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, python
from ._view import ProjectView


class UnreadablePromptFile(Rule):
    """A prompt file the code reads is one the checker can read too, so the prompt it sends is known."""

    code = "OBH004"
    name = "unreadable-prompt-file"
    default_severity = Severity.WARNING
    summary = "A prompt file the call reads is not a readable file of the repository, so its prompt is unknown."
    what = ("Reports a call whose prompt comes from a file the code names by a literal path (`Path(\"prompts/x.md\")."
            "read_text()`, `open(...)`, also from `Path(__file__).parent`) when that file is not in the repository, "
            "or is not a regular file inside the project (a symlink leaving it, a FIFO), or is above 2 MB.")
    why = ("The prompt's size, cached prefix and version hash come from that file: without it OBH401, OBH307, OBH403 "
           "and the cost projection judge the call as if it sent no prompt. Saying so keeps an unknown from passing "
           "as a small prompt; it is also how a path typo or a file left out of the commit shows up before deploy.")
    fix = "Commit the prompt file at the path the code reads, or fix the path in the code."
    valid = (
        Example(python("""
            from pathlib import Path

            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                reply = client.chat.completions.create(model="gpt-6-luna", max_tokens=20,
                    messages=[{"role": "user", "content": ticket}],
                    metadata={"team": "support", "use_case": "ticket-triage"})
                return reply.choices[0].message.content or ""
        """)),
    )
    invalid = (
        Example(python("""
            from pathlib import Path

            from openai import OpenAI

            client = OpenAI()
            SYSTEM = Path("prompts/triage.md").read_text()


            def triage(ticket: str) -> str:
                reply = client.chat.completions.create(model="gpt-6-luna", max_tokens=20,
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                    metadata={"team": "support", "use_case": "ticket-triage"})
                return reply.choices[0].message.content or ""
        """), lines=(10,), message="prompts/triage.md"),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for site in view.call_sites:
            for missing in site.missing_prompt_files:
                yield self.at_call(site, f"prompt file {missing!r} (read for this call's prompt) is not a readable file "
                                         "of the repository, so the prompt's size, cost and version can't be checked; "
                                         "commit the file at that path or fix the path")
