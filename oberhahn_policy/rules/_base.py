"""What a rule is: a code, a name, its documentation, its examples and options, and a check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Iterable, Literal, Sequence

from ..findings import Finding, Severity, UnusedComment
from ..fingerprint import identity_fingerprint
from ._examples import Example, Option
from ._view import ProjectView

if TYPE_CHECKING:
    from ..callsite import CallSite
    from ..policy.load import LoadedPolicy
    from ..usage import UsageObservation, UsageReport


#: Provenances of a value the program may not use (see `ValueSource`): findings on them are one severity lower.
DEFAULTS = frozenset({"environment default", "fallback", "parameter default"})


def model_phrase(site: CallSite, model: str) -> str:
    """`model 'x'`, said with how it is known: a default, one of the branches' models, or the policy's assumption."""
    phrase = f"model {model!r}"
    source = site.model_source
    if source in DEFAULTS:
        what = {"parameter default": "the default of a parameter callers may set",
                "environment default": "the default of an environment variable",
                "fallback": "the fallback of `x or DEFAULT`"}[source]
        phrase += f" by default ({what}: `{site.model_expression}`)"
    if len(site.models) > 1:
        phrase += f" (one of {', '.join(repr(m) for m in site.models)}, which the code chooses between)"
    if source == "assumed":
        phrase += " (assumed by the policy for this configuration-driven call)"
    return phrase


class Rule:
    """Base of every rule; subclasses set the metadata and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]
    #: *What it does* and *Why is this bad?*, in prose.
    what: ClassVar[str]
    why: ClassVar[str]
    #: *Use instead*: how to fix it.
    fix: ClassVar[str]
    valid: ClassVar[tuple[Example, ...]]
    invalid: ClassVar[tuple[Example, ...]]
    #: The policy keys the rule reads besides turning it on and off (rendered as *Options*; each is tested to arrive).
    options: ClassVar[tuple[Option, ...]] = ()
    #: When the rule runs: `project` rules read the resolved project (`check`); `suppression` rules run after
    #: suppression comments were applied, over the comments that suppressed nothing (`check_unused`); `policy`
    #: rules judge the policy itself, for `validate` (`check_policy`); `usage` rules judge observed usage
    #: reconciled with the policy, for `usage` (`check_usage`).
    phase: ClassVar[Literal["project", "suppression", "policy", "usage"]] = "project"

    def check(self, view: ProjectView) -> Iterable[Finding]:
        """Findings of a `project` rule."""
        return ()

    def check_unused(self, unused: Sequence[UnusedComment]) -> Iterable[Finding]:
        """Findings of a `suppression` rule."""
        return ()

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        """Findings of a `policy` rule, located in the policy file."""
        return ()

    def check_usage(self, report: UsageReport, loaded: LoadedPolicy, root: Path | None = None) -> Iterable[Finding]:
        """Findings of a `usage` rule; `root` (the project root) places the call sites usage records name."""
        return ()

    def at_call(self, site: CallSite, message: str, *, by_default: bool = False, unverified: bool = False) -> Finding:
        """A finding at a call site; `by_default` when it is about a value the call only has by default, `unverified`
        when the property may be hidden where the tool can't read it."""
        s = site.site
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=message,
                       path=s.path, line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column,
                       use_case=site.use_case, by_default=by_default, unverified=unverified)

    def at_model(self, site: CallSite, model: str, message: str) -> Finding:
        """A finding about one of the models a call may use: `message` follows the words naming the model."""
        return self.at_call(site, f"{model_phrase(site, model)} {message}", by_default=site.model_source in DEFAULTS)

    def at(self, path: str, line: int, column: int, message: str, use_case: str | None = None) -> Finding:
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=message,
                       path=path, line=line, column=column, end_line=line, end_column=column, use_case=use_case)

    def at_policy(self, loaded: LoadedPolicy, path: tuple[str | int, ...], message: str) -> Finding:
        """A finding at the place in the policy file that `path` names (`use_cases.triage.team`)."""
        file, line, column = loaded.position(path)
        dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=f"{dotted}: {message}",
                       path=file, line=line, column=column, end_line=line, end_column=column)

    def at_observation(self, fact: UsageObservation, root: Path | None) -> Finding:
        """A finding from an observed-usage fact, its path made relative to the project root like every result path.

        Its fingerprint is the rule, the place and what the fact is about (use case, model), never its figures,
        which change with every day of traffic.
        """
        path = fact.path
        if not fact.at_call_site and root is not None and Path(path).is_file():
            # a policy file's positions are relative to the working directory it was loaded from (an embedded or
            # in-memory policy's label is no file, and stays as it is)
            path = Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=fact.message,
                       path=path, line=fact.line, column=fact.column, end_line=fact.line, end_column=fact.column,
                       use_case=fact.use_case,
                       fingerprint=identity_fingerprint(self.code, path, fact.use_case or "", fact.model or ""))

    @classmethod
    def documentation(cls) -> str:
        """The rule's documentation, in the same sections everywhere (`explain`, docs, SARIF)."""

        def shown(example: Example) -> str:
            if cls.phase == "policy":
                return f"```yaml\n{example.policy.rstrip()}\n```"
            if cls.phase == "usage":  # the policy, then the records it is judged against
                records = "".join(f"\n\nObserved usage (`{name}`):\n\n```json\n{content.rstrip()}\n```"
                                  for name, content in example.usage)
                return f"```yaml\n{example.policy.rstrip()}\n```{records}"
            return f"```python\n{example.source.rstrip()}\n```"

        text = (
            f"# {cls.code} {cls.name}\n\n{cls.summary}\n\nDefault severity: {cls.default_severity.value}\n\n"
            f"## What it does\n\n{cls.what}\n\n## Why is this bad?\n\n{cls.why}\n\n"
            f"## Example\n\n{shown(cls.invalid[0])}\n\n"
            f"## Use instead\n\n{cls.fix}\n\n{shown(cls.valid[0])}\n"
        )
        if cls.options:
            text += "\n## Options\n\n" + "".join(f"- `{o.key}`: {o.effect}\n" for o in cls.options)
        return text
