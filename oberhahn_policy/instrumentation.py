"""Matching call sites against the policy's gateways and tracing: names, URLs and instrumentor coverage."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

from .callsite import FileExtraction
from .project import module_name


def name_matches(name: str, patterns: Iterable[str]) -> str | None:
    """The first pattern naming `name`: a glob over the qualified name, or the same function re-exported.

    `langfuse.observe` also matches `langfuse.decorators.observe` (same package, same function name),
    because packages re-export their decorators and the import path in the code varies.
    """
    parts = name.split(".")
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern):
            return pattern
        wanted = pattern.split(".")
        if len(wanted) > 1 and "*" not in pattern and parts[0] == wanted[0] and parts[-1] == wanted[-1]:
            return pattern
    return None


def url_matches(url: str, patterns: Iterable[str]) -> str | None:
    """The first pattern matching a base URL (globs; a trailing slash is optional)."""
    candidates = {url, url.rstrip("/"), url.rstrip("/") + "/"}
    for pattern in patterns:
        if any(fnmatch.fnmatchcase(c, pattern) or fnmatch.fnmatchcase(c, pattern.rstrip("/*")) for c in candidates):
            return pattern
    return None


@dataclass(frozen=True, slots=True)
class Instrumentor:
    """A process-wide instrumentor call found in an entry module, and the files it covers."""

    name: str
    path: str
    #: Directory (POSIX, relative like the paths of call sites) whose files the instrumentor covers; "" is all.
    covers: str


def coverage_directory(path: str) -> str:
    """The directory holding the entry module's top-level package; a module at its import root covers its directory.

    `app/main.py` covers `app/`, `src/app/cli/main.py` covers `src/app/`, `main.py` covers everything beside it.
    """
    parts = PurePosixPath(path).parts
    modules = module_name(path).split(".")
    if len(modules) <= 1:
        return str(PurePosixPath(*parts[:-1])) if len(parts) > 1 else ""
    # the module's first segment is a directory in the path; cover from there
    depth = len(parts) - len(modules)
    if PurePosixPath(path).name == "__init__.py":
        depth += 1
    return str(PurePosixPath(*parts[: depth + 1]))


def instrumentors(files: Iterable[FileExtraction], patterns: tuple[str, ...]) -> list[Instrumentor]:
    """Calls of the policy's instrumentors (`openlit.init`, `OpenAIInstrumentor().instrument()`) in the project."""
    if not patterns:
        return []
    found: list[Instrumentor] = []
    for extraction in files:
        for call in extraction.module_calls:
            owner = call.name.rsplit(".", 1)[0] if call.name.endswith(".instrument") else None
            if name_matches(call.name, patterns) or (owner is not None and name_matches(owner, patterns)):
                found.append(Instrumentor(call.name, extraction.path, coverage_directory(extraction.path)))
    return found


def covering(path: str, found: Iterable[Instrumentor]) -> Instrumentor | None:
    for instrumentor in found:
        if not instrumentor.covers or path == instrumentor.covers or path.startswith(instrumentor.covers + "/"):
            return instrumentor
    return None
