"""The file index: a run without changes reads no file, and any change (even one that keeps the size and the
modification time) is read again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import check_project
from oberhahn_policy import cache as cache_module
from oberhahn_policy.extract import _project

APP = """\
from openai import OpenAI

client = OpenAI()


def answer(question: str) -> str:
    response = client.chat.completions.create(model="gpt-4o-mini", max_tokens=100,
                                              messages=[{"role": "user", "content": question}])
    return response.choices[0].message.content
"""
PLAIN = "import os\n\n\ndef home() -> str:\n    return os.environ['HOME']\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose files count as settled at once (the index leaves out files changed in the two seconds
    before a run, which would make every test wait)."""
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    root = tmp_path / "app"
    (root / "pkg").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkg" / "app.py").write_text(APP, encoding="utf-8")
    (root / "pkg" / "plain.py").write_text(PLAIN, encoding="utf-8")
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The root-relative paths the extract stage reads source from, as it reads them."""
    seen: list[str] = []
    real = _project.read_source

    def counting(file, root, real_paths=None):  # type: ignore[no-untyped-def]
        seen.append(file.path)
        return real(file, root, real_paths)

    monkeypatch.setattr(_project, "read_source", counting)
    return seen


def _sites(root: Path) -> list[tuple[str, int, str | None]]:
    result = check_project(root, use_cache=True)
    return [(s.site.path, s.site.line, s.model) for s in result.call_sites]


def test_a_run_without_changes_reads_no_file(project: Path, reads: list[str]) -> None:
    first = _sites(project)
    assert sorted(set(reads)) == ["pkg/__init__.py", "pkg/app.py", "pkg/plain.py"]
    reads.clear()
    assert _sites(project) == first == [("pkg/app.py", 7, "gpt-4o-mini")]
    assert reads == []


def test_an_edit_that_keeps_size_and_modification_time_is_read_again(project: Path, reads: list[str]) -> None:
    target = project / "pkg" / "app.py"
    _sites(project)
    before = os.stat(target)
    target.write_text(APP.replace("gpt-4o-mini", "gpt-4o-nano"[:11]), encoding="utf-8")
    assert os.stat(target).st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # `touch -r`, `rsync -t`: only the ctime tells
    reads.clear()
    assert _sites(project) == [("pkg/app.py", 7, "gpt-4o-nano")]
    assert reads == ["pkg/app.py"]


def test_a_file_changed_just_before_the_run_is_not_indexed(project: Path, reads: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_RACY_NS", 2_000_000_000)
    (project / "pkg" / "plain.py").write_text(PLAIN + "\n", encoding="utf-8")
    (project / "pkg" / "app.py").write_text(APP + "\n", encoding="utf-8")
    _sites(project)
    reads.clear()
    _sites(project)
    assert {"pkg/plain.py", "pkg/app.py"} <= set(reads)  # both may change again within their timestamp tick


def test_a_file_replaced_by_a_link_out_of_the_project_is_refused_not_served(project: Path, tmp_path: Path) -> None:
    _sites(project)
    outside = tmp_path / "secret.py"
    outside.write_text(APP, encoding="utf-8")
    target = project / "pkg" / "app.py"
    target.unlink()
    os.symlink(outside, target)
    result = check_project(project, use_cache=True)
    assert result.call_sites == ()
    assert [(f.code, f.path) for f in result.findings if f.code == "OBH001"] == [("OBH001", "pkg/app.py")]


@pytest.mark.parametrize("content", [b"", b"not json", b"[]", b'{"pkg/app.py": "x"}',
                                     b'{"pkg/plain.py": [1, 2, 3, 4, 5, [7, ["os"]]]}',
                                     b'{"pkg/app.py": [0, 0, 0, 0, 0, {"key": 1}]}'])
def test_a_damaged_index_is_ignored(project: Path, content: bytes) -> None:
    expected = _sites(project)
    indexes = list((project / ".oberhahn-cache" / "index").iterdir())
    assert indexes
    for index in indexes:
        index.write_bytes(content)
    assert _sites(project) == expected


def test_a_forged_entry_needs_the_files_identity(project: Path) -> None:
    """An index committed to the repository can't hide a file: its identity includes the inode and change time of
    this checkout's copy."""
    _sites(project)
    for index in (project / ".oberhahn-cache" / "index").iterdir():
        entries = json.loads(index.read_text(encoding="utf-8"))
        if "pkg/app.py" in entries:
            entries["pkg/app.py"] = [*entries["pkg/app.py"][:4], 0, ["", []]]  # "skipped", with another ctime
            index.write_text(json.dumps(entries), encoding="utf-8")
    assert _sites(project) == [("pkg/app.py", 7, "gpt-4o-mini")]


def test_an_index_that_is_a_fifo_or_a_link_to_a_device_is_ignored(project: Path) -> None:
    """A committed `.oberhahn-cache/index/NAME.json` that is a FIFO would block a reader forever; `/dev/zero` never
    ends: neither is read, and the run goes on as if there were no index."""
    expected = _sites(project)
    indexes = list((project / ".oberhahn-cache" / "index").iterdir())
    for number, index in enumerate(indexes):
        index.unlink()
        if number % 2 == 0:
            os.mkfifo(index)
        else:
            os.symlink("/dev/zero", index)
    assert _sites(project) == expected


def test_a_run_that_parses_nothing_never_loads_the_parser(tmp_path: Path) -> None:
    """A warm run (every file known from the index) or a project without LLM code imports neither the parser's
    modules nor libcst: about a quarter of a second of start-up, on every run of a pre-commit hook."""
    import subprocess
    import sys

    root = tmp_path / "app"
    root.mkdir()
    (root / "plain.py").write_text(PLAIN, encoding="utf-8")
    probe = ("import sys\nfrom oberhahn_policy.cli import main\ntry:\n    main(['check', '.'], standalone_mode=False)\n"
             "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m == 'libcst' or m.endswith('._file')))\n")
    ran = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert ran.stdout.strip().splitlines()[-1] == "[]", ran.stderr
