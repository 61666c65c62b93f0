"""Download, verify and unpack the real-code corpus (tests/realcode/projects.toml) into a local cache.

The corpus is open-source applications nobody on this project wrote; their code is never copied into
this repository. Each pinned sdist is fetched from the package registry with pip, checked against its
sha256, and unpacked (regular files and directories only, nothing outside the target) into
`~/.cache/oberhahn-policy/realcode/` or `$OBERHAHN_REALCODE_CACHE`. A project already unpacked from
the right archive is not downloaded again.

    python tests/realcode/fetch.py [--cache DIR]      # prints NAME PATH per project
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PROJECTS_FILE = Path(__file__).resolve().parent / "projects.toml"
CACHE_ENV = "OBERHAHN_REALCODE_CACHE"
DEFAULT_CACHE = Path("~/.cache/oberhahn-policy/realcode")
#: Written into an unpacked project once it is complete; holds the archive's sha256.
MARKER = ".oberhahn-realcode.json"

#: Phrases in pip's output that mean the registry could not be reached (as opposed to a bad pin).
_UNREACHABLE = ("NewConnectionError", "ConnectTimeout", "ConnectionError", "Max retries exceeded",
                "Temporary failure in name resolution", "Name or service not known", "Network is unreachable",
                "ProxyError", "ReadTimeout", "timed out", "No route to host", "Connection refused")


class FetchError(Exception):
    """A project could not be fetched or unpacked for a reason that is the corpus's fault (bad pin, bad hash)."""


class RegistryUnreachable(FetchError):
    """pip could not reach the package registry; the corpus cannot be had on this machine right now."""


@dataclass(frozen=True, slots=True)
class Project:
    """One pinned application of the corpus."""

    #: The distribution name on the registry.
    name: str
    #: The pinned version.
    version: str
    #: The sdist file name pip downloads.
    sdist: str
    #: Hex sha256 of that sdist.
    sha256: str
    #: The application code inside the unpacked sdist (POSIX, relative to its top directory).
    app_dir: str
    #: One line on what kind of application it is.
    style: str


def load_projects(path: Path = PROJECTS_FILE) -> list[Project]:
    """The pinned projects, in file order; a malformed entry raises FetchError naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    projects: list[Project] = []
    for index, entry in enumerate(data.get("project", [])):
        try:
            project = Project(**{k: str(entry[k]) for k in ("name", "version", "sdist", "sha256", "app_dir", "style")})
        except KeyError as missing:
            raise FetchError(f"{path}: project #{index + 1} lacks {missing}; add it") from None
        if len(project.sha256) != 64 or any(c not in "0123456789abcdef" for c in project.sha256):
            raise FetchError(f"{path}: {project.name}: sha256 must be 64 lowercase hex digits")
        projects.append(project)
    return projects


def cache_root(cache_dir: Path | str | None = None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE).expanduser()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(project: Project, into: Path) -> Path:
    """The verified sdist in `into/sdists`, downloaded with pip unless a verified copy is already there."""
    sdists = into / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = sdists / project.sdist
    if archive.is_file() and sha256_of(archive) == project.sha256:
        return archive
    with tempfile.TemporaryDirectory(dir=sdists, prefix=".download-") as scratch:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                   "--ignore-requires-python", "--disable-pip-version-check", "--quiet",
                   f"{project.name}=={project.version}", "-d", scratch]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        output = (done.stdout + done.stderr).strip()
        if done.returncode != 0:
            tail = "\n".join(output.splitlines()[-8:])
            kind = RegistryUnreachable if any(p in output for p in _UNREACHABLE) else FetchError
            raise kind(f"pip download {project.name}=={project.version} failed (exit {done.returncode}):\n{tail}")
        fetched = Path(scratch) / project.sdist
        if not fetched.is_file():
            got = ", ".join(sorted(p.name for p in Path(scratch).iterdir())) or "nothing"
            raise FetchError(f"pip download {project.name}=={project.version} gave {got}, not {project.sdist}; "
                             "fix `sdist` in projects.toml")
        actual = sha256_of(fetched)
        if actual != project.sha256:
            raise FetchError(f"{project.sdist}: sha256 is {actual}, projects.toml pins {project.sha256}; "
                             "the registry served a different file, do not trust it")
        os.replace(fetched, archive)
    return archive


def _safe_member(name: str, archive: Path) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise FetchError(f"{archive.name}: member {name!r} points outside the archive; refusing to unpack")
    return path


def unpack(archive: Path, destination: Path) -> None:
    """Unpack regular files and directories of a .tar.gz/.zip sdist under `destination`, nothing else.

    Links, devices and any member whose path is absolute or climbs with `..` are refused (links and
    devices are skipped, climbing paths abort), so nothing is written outside `destination`.
    """
    destination.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                relative = _safe_member(info.filename, archive)
                target = destination.joinpath(*relative.parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(info) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
        return
    with tarfile.open(archive, "r:*") as bundle:
        for member in bundle:
            relative = _safe_member(member.name, archive)
            target = destination.joinpath(*relative.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                source = bundle.extractfile(member)
                if source is None:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)


def _top_directory(unpacked: Path, archive: Path) -> Path:
    entries = [p for p in unpacked.iterdir() if p.name != MARKER]
    if len(entries) != 1 or not entries[0].is_dir():
        raise FetchError(f"{archive.name}: expected one top-level directory, found {len(entries)} entries")
    return entries[0]


def ensure_project(project: Project, cache_dir: Path | str | None = None) -> Path:
    """The unpacked sdist's top directory for one project, fetched and unpacked only when not cached yet.

    Test processes running side by side (pytest -n) take turns: a lock file per project, so one downloads and
    unpacks while the others wait and then find it cached."""
    root = cache_root(cache_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{project.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _ensure_project(project, root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_project(project: Project, root: Path) -> Path:
    home = root / f"{project.name}-{project.version}"
    marker = home / MARKER
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = {}
        if recorded.get("sha256") == project.sha256:
            return home / str(recorded["top"])
    archive = _download(project, root)
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=home.parent, prefix=f".{home.name}-"))
    try:
        unpack(archive, staging)
        top = _top_directory(staging, archive)
        if not (top / project.app_dir).is_dir():
            raise FetchError(f"{project.sdist}: app_dir {project.app_dir!r} is not in the archive; "
                             "fix it in projects.toml")
        (staging / MARKER).write_text(json.dumps({"sha256": project.sha256, "top": top.name}) + "\n",
                                      encoding="utf-8")
        if home.exists():
            shutil.rmtree(home)
        os.replace(staging, home)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return home / top.name


def ensure_corpus(cache_dir: Path | str | None = None) -> dict[str, Path]:
    """Every project of projects.toml -> its unpacked sdist's top directory (downloaded once, then cached).

    Raises RegistryUnreachable when pip cannot reach the registry, FetchError for any other failure.
    """
    return {project.name: ensure_project(project, cache_dir) for project in load_projects()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help=f"cache directory (default ${CACHE_ENV} or {DEFAULT_CACHE})")
    arguments = parser.parse_args(argv)
    try:
        corpus = ensure_corpus(arguments.cache)
    except FetchError as problem:
        print(f"{PROJECTS_FILE}: {problem}", file=sys.stderr)
        return 2
    for name, path in corpus.items():
        print(f"{name}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
