"""OBH001 parse-error."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, python
from ._view import ProjectView


class ParseError(Rule):
    """A file that can't be parsed is reported, and the run goes on with the others."""

    code = "OBH001"
    name = "parse-error"
    default_severity = Severity.ERROR
    summary = "File could not be parsed; its calls were not checked."
    what = "Reports a Python file the checker could not parse (a syntax error, an undecodable encoding, or a file above the size limit)."
    why = ("A file that can't be read is a file whose LLM calls nobody checked: its spend is invisible to the gate. "
           "The run continues with every other file, so one broken file never hides the rest.")
    fix = "Fix the syntax error (or save the file as UTF-8), or exclude the file under `files.exclude` if it is not Python."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            def broken(:
                pass
        """), lines=(3,), message='syntax error'),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for extraction in view.files:
            problem = extraction.problem
            if problem is not None:
                yield self.at(problem.path, problem.line, problem.column, problem.message)
