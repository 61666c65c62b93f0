"""Code at a git ref, for `--base REF`: exported with `git archive` into a temporary directory.

The working tree, index and HEAD are never touched (no checkout, no stash), so a dirty tree or a
running editor can't be disturbed; the same discovery and extraction then run on the export.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class GitRefError(Exception):
    """The ref can't be read (not a repository, unknown ref, git missing); the message says how to fix it."""


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitRefError("--base needs git, which is not on PATH") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitRefError(message[-1] if message else f"git {' '.join(args)} failed")
    return completed.stdout


def toplevel(directory: Path) -> Path:
    """The root of the git working tree that holds `directory`."""
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], directory).decode().strip()).resolve()
    except GitRefError:
        raise GitRefError(f"--base needs a git repository, and {directory} is not inside one") from None


@contextmanager
def exported(directory: Path, ref: str) -> Iterator[tuple[Path, Path]]:
    """Yield (repository top level, a temporary directory holding the tree at `ref`)."""
    top = toplevel(directory)
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top).decode().strip()
    except GitRefError:
        raise GitRefError(f"--base {ref}: no such commit in {top}; fetch it first (e.g. `git fetch origin {ref}`)") from None
    archive = _git(["archive", "--format=tar", commit], top)
    with tempfile.TemporaryDirectory(prefix="oberhahn-base-") as temporary:
        destination = Path(temporary)
        _extract(archive, destination)
        yield top, destination.resolve()


def _extract(archive: bytes, destination: Path) -> None:
    """Unpack regular files and directories only: links out of the tree and special files are skipped."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()):
                continue
            target = (destination / member.name).resolve()
            if destination.resolve() not in (target, *target.parents):
                continue
            if hasattr(tarfile, "data_filter"):
                tar.extract(member, destination, set_attrs=False, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extract(member, destination, set_attrs=False)


def rebase_path(path: Path, top: Path, export: Path) -> Path:
    """Where `path` (inside the working tree) is in the export; paths outside stay as they are."""
    try:
        return export / path.resolve().relative_to(top)
    except ValueError:
        return path
