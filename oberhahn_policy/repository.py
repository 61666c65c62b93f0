"""The repository a run looks at: where its roots are, and what git says about it.

Two roots matter. The *repository root* is the nearest directory holding `.git`; CI systems name
files relative to it (SARIF, annotations). The *project root* is what policy patterns, module
names and the identity of every file are relative to: the directory of the policy file, else the
repository root (or the nearest `pyproject.toml`), else the starting directory. Everything that
asks git (changed files, the code at a ref) goes through `git` below, so it fails the same way.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence


class GitError(Exception):
    """git is missing, the directory is no repository, or a ref is unknown; the message says how to fix it."""


def git(arguments: Sequence[str], cwd: Path, *, purpose: str = "this command") -> bytes:
    """Run git and return its output; any failure is a GitError naming the last line git printed."""
    try:
        completed = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False, timeout=300)
    except FileNotFoundError:
        raise GitError(f"{purpose} needs git, which is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(arguments)} did not finish in 300 s") from None
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {' '.join(arguments)} failed (exit {completed.returncode})")
    return completed.stdout


def _start_directory(start: Path) -> Path:
    directory = start.resolve()
    return directory.parent if directory.is_file() else directory


def directories_up_to_repository(start: Path) -> Iterator[Path]:
    """`start` (or its directory) and its parents, up to and including the repository root (where `.git` is)."""
    for candidate in (directory := _start_directory(start), *directory.parents):
        yield candidate
        if (candidate / ".git").exists():
            return


def repository_root(start: Path) -> Path:
    """The checkout `start` is in (the nearest directory with `.git`), else `start`'s directory."""
    directory = _start_directory(start)
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def project_root(start: Path, policy_sources: Sequence[Path]) -> Path:
    """Where policy patterns and file identities are anchored: the policy's directory, else the repository's, else `start`."""
    if policy_sources:
        return policy_sources[0].resolve().parent
    directory = _start_directory(start)
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").is_file():
            return candidate
    return directory


def toplevel(directory: Path, purpose: str) -> Path:
    """The root of the git working tree that holds `directory`."""
    try:
        return Path(git(["rev-parse", "--show-toplevel"], directory, purpose=purpose).decode().strip()).resolve()
    except GitError:
        raise GitError(f"{purpose} needs a git repository, and {directory} is not inside one") from None


def _commit(reference: str, top: Path, purpose: str, hint: str) -> str:
    try:
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{reference}^{{commit}}"], top,
                   purpose=purpose).decode().strip()
    except GitError:
        raise GitError(f"{purpose} {reference}: no such commit, branch or tag in {top}; {hint}") from None


def changed_files(reference: str, cwd: Path) -> frozenset[Path]:
    """Absolute paths of files added, copied, modified or renamed since `reference`, plus untracked ones.

    Working-tree changes count, so the mode works before a commit as well as in CI; the comparison
    is against the merge base, like a pull request's diff.
    """
    purpose = "--changed-since"
    top = toplevel(cwd, purpose)
    _commit(reference, top, purpose, "in CI, fetch it first (e.g. `git fetch origin main`) or clone with more depth")
    try:
        base = git(["merge-base", reference, "HEAD"], top, purpose=purpose).decode().strip() or reference
    except GitError:
        base = reference  # no common history (a shallow clone): compare with the reference itself
    listed = git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", base, "--"], top, purpose=purpose)
    untracked = git(["ls-files", "--others", "--exclude-standard", "-z"], top, purpose=purpose)
    names = [n for n in (*listed.decode("utf-8", "surrogateescape").split("\0"),
                         *untracked.decode("utf-8", "surrogateescape").split("\0")) if n]
    return frozenset((top / name).resolve() for name in names)


@contextmanager
def exported(directory: Path, reference: str) -> Iterator[tuple[Path, Path]]:
    """Yield (repository top level, a temporary directory holding the tree at `reference`).

    The tree is read with `git archive`: the working tree, index and HEAD are never touched (no
    checkout, no stash), so a dirty tree or a running editor can't be disturbed.
    """
    purpose = "--base"
    top = toplevel(directory, purpose)
    commit = _commit(reference, top, purpose, f"fetch it first (e.g. `git fetch origin {reference}`)")
    archive = git(["archive", "--format=tar", commit], top, purpose=purpose)
    with tempfile.TemporaryDirectory(prefix="oberhahn-base-") as temporary:
        destination = Path(temporary).resolve()
        _unpack(archive, destination)
        yield top, destination


def _unpack(archive: bytes, destination: Path) -> None:
    """Unpack regular files and directories only: links out of the tree and special files are skipped."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()):
                continue
            target = (destination / member.name).resolve()
            if destination not in (target, *target.parents):
                continue
            if hasattr(tarfile, "data_filter"):
                tar.extract(member, destination, set_attrs=False, filter="data")
            else:  # pragma: no cover - a Python without extraction filters (before 3.11.4)
                tar.extract(member, destination, set_attrs=False)


def rebase_path(path: Path, top: Path, export: Path) -> Path:
    """Where `path` (inside the working tree) is in the export; paths outside stay as they are."""
    try:
        return export / path.resolve().relative_to(top)
    except ValueError:
        return path
