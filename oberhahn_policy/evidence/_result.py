"""What reading an evaluation result file yields: scores per model and metric, and what could not be read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ._modelref import ModelRef, Tool


@dataclass(frozen=True, slots=True)
class PassCounts:
    """promptfoo's test outcomes for one prompt x provider; errors are tests the provider could not answer."""

    passed: int
    failed: int
    #: 0 in files from promptfoo versions without `testErrorCount` (they counted errors as failures).
    errors: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors

    @property
    def rate(self) -> float | None:
        """pass / (pass + fail + error); None for no tests."""
        return self.passed / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class EvalResult:
    """One score of one model for one metric, from one result file."""

    #: POSIX path of the result file, relative to the project root.
    file: str
    tool: Tool
    #: The tool's version as the file records it (`metadata.promptfooVersion`, `eval.packages.inspect_ai`).
    tool_version: str | None
    #: The file format's own version (`results.version` for promptfoo, `version` for Inspect logs).
    format_version: int | None
    model: ModelRef
    #: `pass_rate` and `score` (promptfoo), a promptfoo named score, or an Inspect metric (`accuracy`).
    metric: str
    #: The metric's value; pass rates and Inspect's accuracy are fractions in 0..1.
    score: float
    #: Tests (promptfoo) or scored samples (Inspect) behind the score; None when the file doesn't say.
    samples: int | None
    #: When the evaluation ran, as the file records it; None when it doesn't.
    created: datetime | None
    #: The field `created` was read from (`results.timestamp`, `eval.created`, `evalId`).
    created_from: str | None = None
    #: Inspect `eval.task`; promptfoo `config.description`.
    task: str | None = None
    #: promptfoo prompt label: one file holds a result per prompt x provider.
    prompt: str | None = None
    #: Inspect scorer name (`results.scores[].name`); the metric can be named `scorer/metric` in a policy.
    scorer: str | None = None
    #: promptfoo pass / fail / error counts, for `pass_rate`.
    counts: PassCounts | None = None

    @property
    def day(self) -> date | None:
        """The day the evaluation ran, in the time zone the file wrote."""
        return self.created.date() if self.created is not None else None


@dataclass(frozen=True, slots=True)
class EvidenceProblem:
    """Why (part of) a result file could not be used, printed as `FILE[:LINE[:COL]]: message`."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """Everything read from one result file: its results, and the problems that kept others out."""

    file: str
    #: The tool that wrote it; None when the file is not recognisably either tool's.
    tool: Tool | None
    results: tuple[EvalResult, ...] = ()
    problems: tuple[EvidenceProblem, ...] = ()
