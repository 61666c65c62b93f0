"""tests/realcode/fetch.py without the network: safe unpacking, the cache, and how pip failures are told apart."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from realcode import fetch
from realcode.fetch import (
    FetchError,
    Project,
    RegistryUnreachable,
    ensure_project,
    load_projects,
    unpack,
)


def make_sdist(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> str:
    with tarfile.open(path, "w:gz") as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            bundle.addfile(info)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def project_for(archive: Path, sha256: str, app_dir: str = "demo") -> Project:
    return Project(name="demo", version="1.0", sdist=archive.name, sha256=sha256, app_dir=app_dir, style="test")


def test_pins_are_well_formed() -> None:
    projects = load_projects()
    assert len({p.name for p in projects}) == len(projects) >= 6
    assert all(p.sdist.endswith(f"-{p.version}.tar.gz") for p in projects)


@pytest.mark.parametrize("name", ["../evil.py", "/abs/evil.py", "demo-1.0/../../evil.py", "C:/evil.py"])
def test_unpack_refuses_paths_that_leave_the_target(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "bad.tar.gz"
    make_sdist(archive, {"demo-1.0/ok.py": b"x = 1\n", name: b"boom\n"})
    with pytest.raises(FetchError, match="outside the archive"):
        unpack(archive, tmp_path / "out")
    assert not (tmp_path / "evil.py").exists()


def test_unpack_skips_links(tmp_path: Path) -> None:
    archive = tmp_path / "links.tar.gz"
    make_sdist(archive, {"demo-1.0/demo/app.py": b"x = 1\n"}, links={"demo-1.0/demo/passwd": "/etc/passwd"})
    unpack(archive, tmp_path / "out")
    assert (tmp_path / "out/demo-1.0/demo/app.py").read_text() == "x = 1\n"
    assert not (tmp_path / "out/demo-1.0/demo/passwd").exists()


def test_cached_sdist_is_unpacked_once_and_never_downloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    (cache / "sdists").mkdir(parents=True)
    archive = cache / "sdists" / "demo-1.0.tar.gz"
    project = project_for(archive, make_sdist(archive, {"demo-1.0/demo/app.py": b"x = 1\n"}))

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pip must not run when a verified sdist is cached")

    monkeypatch.setattr(subprocess, "run", no_network)
    top = ensure_project(project, cache)
    assert top == cache / "demo-1.0" / "demo-1.0"
    assert (top / "demo" / "app.py").is_file()

    monkeypatch.setattr(fetch, "unpack", no_network)
    monkeypatch.setattr(fetch, "_download", no_network)
    assert ensure_project(project, cache) == top


def test_cache_directory_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.CACHE_ENV, str(tmp_path / "env-cache"))
    assert fetch.cache_root() == tmp_path / "env-cache"
    assert fetch.cache_root(tmp_path / "explicit") == tmp_path / "explicit"


def test_missing_app_dir_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sdists").mkdir()
    archive = tmp_path / "sdists" / "demo-1.0.tar.gz"
    project = project_for(archive, make_sdist(archive, {"demo-1.0/other/app.py": b""}))
    with pytest.raises(FetchError, match="app_dir 'demo'"):
        ensure_project(project, tmp_path)
    assert not (tmp_path / "demo-1.0").exists()


@pytest.mark.parametrize(("pip_output", "error"), [
    ("WARNING: Retrying ... NewConnectionError: Failed to establish a new connection", RegistryUnreachable),
    ("ERROR: No matching distribution found for demo==1.0", FetchError),
])
def test_pip_failures_are_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pip_output: str,
                                     error: type[FetchError]) -> None:
    def failing_pip(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 1, stdout="", stderr=pip_output)

    monkeypatch.setattr(subprocess, "run", failing_pip)
    project = project_for(tmp_path / "demo-1.0.tar.gz", "0" * 64)
    with pytest.raises(error) as raised:
        ensure_project(project, tmp_path)
    assert (type(raised.value) is RegistryUnreachable) == (error is RegistryUnreachable)


def test_downloaded_file_with_the_wrong_hash_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_pip(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        target = Path(command[command.index("-d") + 1])
        make_sdist(target / "demo-1.0.tar.gz", {"demo-1.0/demo/app.py": b"tampered\n"})
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    monkeypatch.setattr(subprocess, "run", fake_pip)
    project = project_for(tmp_path / "demo-1.0.tar.gz", "0" * 64)
    with pytest.raises(FetchError, match="do not trust it"):
        ensure_project(project, tmp_path)
    assert not (tmp_path / "sdists" / "demo-1.0.tar.gz").exists()
