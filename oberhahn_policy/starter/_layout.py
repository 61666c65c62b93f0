"""Which files of a project serve no production traffic, by the names the Python world gives such code.

`init` keeps them out of the production use cases it proposes, in one of two ways:

- tests, docs and examples are left out of the check (`files.exclude`): they spend nothing of the
  project's own (tests mock their clients and use throwaway models; docs and examples are run by
  their readers, on their readers' keys), and checking them buries the findings that matter;
- evals, benchmarks, scripts and notebooks do spend the project's money when someone runs them,
  so they stay checked and costed, grouped under one use case that says it is not production.

A directory counts by its name at any depth (`tests/`, `src/app/tests/`), so the gitignore
pattern the policy gets (`tests/`) is the rule itself: it selects exactly the files classified
here, today's and those added later. A `docs` directory that is a Python package (it has an
`__init__.py`) is code of the product, not documentation, and is not classified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable, Mapping

#: Kinds left out of the check (`files.exclude`), then kinds grouped under the non-production use case.
EXCLUDED_KINDS = ("tests", "docs", "examples")
GROUPED_KINDS = ("evals", "benchmarks", "scripts", "notebooks")

_TEST_DIRECTORY = re.compile(r"^(tests?|testing|__tests__|[a-z0-9]+[_-]tests?)$")
#: Directory names of the other kinds, compared in lower case.
_DIRECTORIES: Mapping[str, frozenset[str]] = {
    "docs": frozenset({"docs", "doc", "documentation"}),
    "examples": frozenset({"examples", "example", "cookbook", "cookbooks"}),
    "evals": frozenset({"evals", "eval"}),
    "benchmarks": frozenset({"benchmarks", "benchmark", "benches", "bench"}),
    "scripts": frozenset({"scripts"}),
    "notebooks": frozenset({"notebooks", "notebook"}),
}
#: Test modules outside test directories, by file name, with the gitignore pattern that selects them.
_TEST_FILES = (
    (re.compile(r"^test_.*\.py$"), "test_*.py"),
    (re.compile(r"^.*_test\.py$"), "*_test.py"),
    (re.compile(r"^conftest\.py$"), "conftest.py"),
    (re.compile(r"^tests\.py$"), "tests.py"),  # Django's per-app test module
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Why a file is not production code."""

    #: One of EXCLUDED_KINDS or GROUPED_KINDS.
    kind: str
    #: The gitignore pattern that selects it (`tests/`, `test_*.py`), the same for every file it selects.
    pattern: str
    #: The directory that makes it so (`sgpt/tests`); None when the file's own name does.
    directory: str | None

    @property
    def excluded(self) -> bool:
        return self.kind in EXCLUDED_KINDS


def _directory_kind(name: str, directory: str, packages: frozenset[str]) -> str | None:
    lowered = name.lower()
    if _TEST_DIRECTORY.match(lowered):
        return "tests"
    for kind, names in _DIRECTORIES.items():
        if lowered in names:
            return None if kind == "docs" and directory in packages else kind
    return None


def place(path: str, packages: frozenset[str] = frozenset()) -> Placement | None:
    """The placement of one root-relative POSIX path (None: production); `packages` are directories with an `__init__.py`."""
    parts = PurePosixPath(path).parts
    found: list[Placement] = []
    for depth, name in enumerate(parts[:-1]):
        directory = "/".join(parts[: depth + 1])
        kind = _directory_kind(name, directory, packages)
        if kind is not None:
            found.append(Placement(kind, f"{name}/", directory))
    for pattern, glob in _TEST_FILES:
        if parts and pattern.match(parts[-1]):
            found.append(Placement("tests", glob, None))
            break
    # leaving a file out of the check outranks grouping it; otherwise the outermost directory says what it is
    excluded = [p for p in found if p.excluded]
    first = excluded or found
    return first[0] if first else None


@dataclass(frozen=True, slots=True)
class ProjectLayout:
    """Every non-production file of a project, and why."""

    #: Root-relative path -> placement, for non-production files only.
    placements: Mapping[str, Placement]

    @classmethod
    def of(cls, paths: Iterable[str]) -> ProjectLayout:
        files = sorted(set(paths))
        packages = frozenset(str(PurePosixPath(p).parent) for p in files if PurePosixPath(p).name == "__init__.py")
        placements = {path: found for path in files if (found := place(path, packages)) is not None}
        # `NAME/` matches a directory of that name at any depth; where such a directory holds production code (a
        # `docs` package beside a `docs` folder), each non-production one gets an anchored pattern of its own
        loose: set[str] = set()
        for pattern in {f.pattern for f in placements.values() if f.directory is not None}:
            name = pattern.rstrip("/")
            if any(path not in placements for path in files if name in PurePosixPath(path).parts[:-1]):
                loose.add(pattern)
        if loose:
            placements = {path: Placement(f.kind, f"/{f.directory}/", f.directory) if f.pattern in loose else f
                          for path, f in placements.items()}
        return cls(placements)

    def excluded(self, path: str) -> bool:
        found = self.placements.get(path)
        return found is not None and found.excluded

    def grouped(self, path: str) -> bool:
        found = self.placements.get(path)
        return found is not None and not found.excluded

    def patterns(self, excluded: bool) -> dict[str, tuple[str, ...]]:
        """Pattern -> the directories (or, for a file-name pattern, the files) it selects today, for one side."""
        selected: dict[str, set[str]] = {}
        for path, found in self.placements.items():
            if found.excluded == excluded:
                selected.setdefault(found.pattern, set()).add(found.directory or path)
        return {pattern: tuple(sorted(where)) for pattern, where in sorted(selected.items())}
