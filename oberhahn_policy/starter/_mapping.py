"""The starter policy's path mapping: which use case each file belongs to, as gitignore patterns that say exactly that.

Resolution gives a call the first use case whose `paths:` match its file (oberhahn_policy/resolve.py),
so patterns that overlap would hand a file to whichever use case comes first. Here every file has
one owner, and each use case's patterns select its own files and no other's: a package takes its
subdirectories (so a module added there is mapped too), minus the deeper packages, files and
non-production directories that belong to other use cases, carved out with `!` right after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ._layout import ProjectLayout


@dataclass(frozen=True, slots=True)
class Claim:
    """What one use case's `paths:` take."""

    use_case: str
    #: Directories whose files it takes at any depth, deeper claims aside; "" takes the root's own modules only.
    packages: frozenset[str] = frozenset()
    #: Single files it takes (files whose every call names this use case in the code).
    files: frozenset[str] = frozenset()
    #: True for the use case that takes the non-production directories kept in the check (evals, scripts...).
    grouped: bool = False


def _under(path: str, package: str) -> bool:
    return "/" not in path if package == "" else path.startswith(package + "/")


def _anchored(path: str) -> str:
    """A pattern for exactly this file: one with no inner slash would match the name at any depth."""
    return path if "/" in path else "/" + path


def _files_below(directory: str) -> str:
    """`scripts/` -> `**/scripts/**`: in a `!` pattern, a directory pattern would not take back files that an earlier
    pattern such as `pkg/**` matched themselves (git's, and pathspec's, file match outranks a directory match)."""
    if not directory.endswith("/"):
        return directory
    return directory + "**" if directory.startswith("/") else "**/" + directory + "**"


class _Owners:
    """Which claim owns a file: a file claim, then the non-production group, then the deepest package."""

    def __init__(self, claims: Sequence[Claim], layout: ProjectLayout) -> None:
        self.layout = layout
        self.by_file = {f: c.use_case for c in claims for f in c.files}
        self.grouped = next((c.use_case for c in claims if c.grouped), None)
        self.packages = sorted(((p, c.use_case) for c in claims for p in c.packages), key=lambda item: -len(item[0]))

    def package(self, path: str) -> tuple[str, str] | None:
        """The deepest claimed package holding `path`, and its use case."""
        return next(((p, u) for p, u in self.packages if _under(path, p)), None)

    def owner(self, path: str) -> str | None:
        if path in self.by_file:
            return self.by_file[path]
        if self.layout.grouped(path):
            return self.grouped
        found = self.package(path)
        return found[1] if found is not None else None

    def carve_out(self, path: str, within: str, use_case: str) -> str:
        """The `!` pattern that takes `path`, owned by another use case than `use_case`, out of package `within`: the
        outermost package of another use case that holds it, else the file, else its non-production directory."""
        outer = [p for p, u in self.packages if u != use_case and p != within and _under(p + "/", within) and _under(path, p)]
        if outer:
            return f"!{min(outer, key=len)}/**"
        if path in self.by_file:
            return "!" + _anchored(path)
        placement = self.layout.placements.get(path)
        assert placement is not None and not placement.excluded, path  # else its owner is a package of `use_case`
        return "!" + _files_below(placement.pattern)


def use_case_paths(claims: Sequence[Claim], files: Iterable[str], layout: ProjectLayout) -> Mapping[str, list[str]]:
    """Use case -> its `paths:` patterns, over the project's root-relative `files` (excluded ones never reach a use case)."""
    checked = sorted(f for f in set(files) if not layout.excluded(f))
    owners = _Owners(claims, layout)
    owner = {f: owners.owner(f) for f in checked}
    grouped_patterns = sorted({p.pattern for p in layout.placements.values() if not p.excluded})
    result: dict[str, list[str]] = {}
    for claim in claims:
        patterns: list[str] = []
        for package in sorted(claim.packages):
            patterns.append(f"{package}/**" if package else "/*.py")
            foreign = {owners.carve_out(f, package, claim.use_case) for f in checked
                       if _under(f, package) and owner[f] != claim.use_case}
            patterns += sorted(foreign)
        patterns += [_anchored(f) for f in sorted(claim.files)]
        if claim.grouped:
            patterns += grouped_patterns
            patterns += sorted({"!" + _anchored(f) for f in checked
                                if layout.grouped(f) and owner[f] != claim.use_case})
        result[claim.use_case] = patterns
    return result
