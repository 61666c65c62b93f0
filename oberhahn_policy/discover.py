"""Discover: which files a run reads, with gitignore semantics for the policy's patterns and `.gitignore`.

Every file is identified by its POSIX path relative to the project root; that path is what call
sites and findings carry, whatever directory the command runs in. Reports convert it for display.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pathspec

from .policy.model import FilesConfig
from .repository import changed_files

#: Directories that never hold the application's own code.
_ALWAYS_SKIPPED = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", "node_modules", "site-packages", ".oberhahn-cache", ".eggs", "build", "dist",
})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file of the project."""

    absolute: Path
    #: POSIX path relative to the project root: the identity of the file, its call sites and its findings.
    path: str


@dataclass(frozen=True, slots=True)
class FileSet:
    """What the discover stage hands on: the files to check, and every file of the project beside them."""

    root: Path
    #: The files this run checks, in path order.
    checked: tuple[SourceFile, ...]
    #: Every file the policy includes under the project root (modules the checked files may import).
    project: tuple[SourceFile, ...]


def _posix_relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, base)).as_posix()


def _gitignore(directory: Path) -> pathspec.GitIgnoreSpec | None:
    file = directory / ".gitignore"
    if not file.is_file():
        return None
    try:
        return pathspec.GitIgnoreSpec.from_lines(file.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def discover(paths: Iterable[str | Path], files: FilesConfig, root: Path, cwd: Path) -> list[SourceFile]:
    """Python files under `paths` that the policy includes, sorted; explicitly named files are always read."""
    cwd = cwd.resolve()
    root = root.resolve()
    include = pathspec.GitIgnoreSpec.from_lines(files.include)
    exclude = pathspec.GitIgnoreSpec.from_lines(files.exclude)
    found: dict[str, SourceFile] = {}

    def add(path: Path, explicit: bool) -> None:
        relative = _posix_relative(path, root)
        if not explicit and (not include.match_file(relative) or exclude.match_file(relative)):
            return
        found[str(path)] = SourceFile(path, relative)

    for given in paths:
        start = (cwd / Path(given)).resolve()
        if start.is_file():
            add(start, explicit=True)
            continue
        if not start.is_dir():
            raise FileNotFoundError(str(given))
        # strings, not Path objects, below here: the walk visits every file of the repository
        ignores: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        if files.respect_gitignore:
            for parent in (*reversed(start.parents), start):
                if parent == start or root in (parent, *parent.parents):
                    spec = _gitignore(parent)
                    if spec is not None and parent != start:
                        ignores.append((str(parent), spec))
        root_text = str(root)
        for directory, dirnames, filenames in os.walk(start):
            spec = _gitignore(Path(directory)) if files.respect_gitignore else None
            local = [*ignores, (directory, spec)] if spec is not None else ignores

            def ignored(path: str, is_dir: bool) -> bool:
                for base, rules in local:
                    if path.startswith(base + os.sep) and rules.match_file(
                            path[len(base) + 1:].replace(os.sep, "/") + ("/" if is_dir else "")):
                        return True
                return False

            dirnames[:] = sorted(
                d for d in dirnames
                if d not in _ALWAYS_SKIPPED and not d.startswith(".")
                and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
                and not ignored(os.path.join(directory, d), True)
            )
            if spec is not None:
                ignores.append((directory, spec))
            inside = directory == root_text or directory.startswith(root_text + os.sep)
            prefix = directory[len(root_text) + 1:].replace(os.sep, "/") + "/" if directory != root_text else ""
            for name in sorted(filenames):
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    if not ignored(path, False):
                        relative = prefix + name if inside else _posix_relative(Path(path), root)
                        if include.match_file(relative) and not exclude.match_file(relative):
                            found[path] = SourceFile(Path(path), relative)
    return sorted(found.values(), key=lambda f: f.path)


def selected_by_patterns(relative: str, files: FilesConfig) -> bool:
    """Whether the policy's include and exclude patterns select a root-relative path."""
    include = pathspec.GitIgnoreSpec.from_lines(files.include)
    exclude = pathspec.GitIgnoreSpec.from_lines(files.exclude)
    return bool(include.match_file(relative)) and not exclude.match_file(relative)


def discover_files(paths: Sequence[str | Path], files: FilesConfig, root: Path, cwd: Path, *,
                   changed_since: str | None = None, force_exclude: bool = False) -> FileSet:
    """The discover stage: the files under `paths` to check (changed ones only, with `changed_since`), and the project's."""
    root = root.resolve()
    project = tuple(discover([root], files, root, cwd))
    # `check .` at the project root (the common case) walks the tree once, not twice
    whole = bool(paths) and all((cwd / Path(p)).resolve() == root for p in paths)
    checked = list(project) if whole else discover(paths, files, root, cwd)
    if changed_since is not None:
        changed = changed_files(changed_since, cwd)
        checked = [f for f in checked if f.absolute.resolve() in changed]
    if force_exclude:
        checked = [f for f in checked if selected_by_patterns(f.path, files)]
    return FileSet(root=root, checked=tuple(checked), project=project)
