"""Extraction in worker processes: the same output as one process, work shared out by size, a crash isolated,
progress reported.

The pool is only used when there is enough source to parse (`_PARALLEL_BYTES`); these tests lower that
threshold so the small fixture applications go through it. No test here measures time.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from helpers import run_cli

from oberhahn_policy import api
from oberhahn_policy.discover import SourceFile
from oberhahn_policy.progress import ProgressBar
from oberhahn_policy.extract import ExtractionInputs, ExtractionSettings
from oberhahn_policy.extract import _project as project_stage
from oberhahn_policy.policy import default_policy
from oberhahn_policy.surface import load_surface

REPO = Path(__file__).resolve().parent.parent
APPLICATIONS = sorted([*(REPO / "tests" / "corpus").iterdir(), *(REPO / "tests" / "holdout").iterdir()])
APPLICATIONS = [d for d in APPLICATIONS if d.is_dir() and any(d.rglob("*.py"))]


@pytest.mark.parametrize("application", APPLICATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_jobs_give_byte_identical_output(application: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = shutil.copytree(application, tmp_path / application.name)
    (root / ".git").mkdir()
    monkeypatch.setattr(project_stage, "_PARALLEL_BYTES", 0)  # every batch of two files or more goes to the pool
    monkeypatch.setattr(project_stage, "_CHUNK_BYTES", (1, 2_000))  # and in many small chunks, finishing out of order
    outputs = [run_cli("check", ".", "--format", "json", "--today", "2026-12-05", "--no-cache", "--jobs", jobs, cwd=root)
               for jobs in ("1", "2", "3")]
    assert outputs[0].exit_code in (0, 1) and '"call_sites"' in outputs[0].stdout
    assert outputs[1].stdout == outputs[0].stdout
    assert outputs[2].stdout == outputs[0].stdout


def _job(path: str, size: int) -> project_stage._Job:
    return project_stage._Job(path, b"x" * size, False)


# (sizes of the files, workers, chunk bounds) -> chunks as lists of sizes
CHUNK_ROWS = [
    ([10, 500, 30, 200, 40], 2, (100, 1_000), [[500], [200], [40, 30, 10]]),
    ([5] * 10, 2, (10, 1_000), [[5, 5]] * 5),
    ([7_000, 10, 20], 4, (64, 100), [[7_000], [20, 10]]),
    ([], 2, (64, 100), []),
]


@pytest.mark.parametrize(("sizes", "workers", "bounds", "expected"), CHUNK_ROWS)
def test_chunks_go_largest_first_by_size(sizes: list[int], workers: int, bounds: tuple[int, int],
                                         expected: list[list[int]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_stage, "_CHUNK_BYTES", bounds)
    jobs = [_job(f"f{i}.py", size) for i, size in enumerate(sizes)]
    chunks = project_stage._chunks(jobs, workers)
    assert [[len(job.source) for job in chunk] for chunk in chunks] == expected
    assert sorted(job.path for chunk in chunks for job in chunk) == sorted(job.path for job in jobs)


_REAL_EXTRACT_ONE = project_stage._extract_one


def _dies_on_boom(inputs: ExtractionInputs, job: project_stage._Job, in_worker: bool = False) -> object:
    """A worker that dies on one file, as the native parser would on a file it can't take."""
    if job.path == "boom.py":
        os._exit(70)
    return _REAL_EXTRACT_ONE(inputs, job, in_worker)


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = {f"app{i}.py": f"import openai\nc{i} = openai.OpenAI()\nc{i}.chat.completions.create(model='m{i}')\n"
               for i in range(6)}
    sources["boom.py"] = sources["app0.py"]
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = [SourceFile(tmp_path / name, name) for name in sorted(sources)]
    inputs = ExtractionInputs(load_surface())
    with project_stage._Extractor(tmp_path, ExtractionSettings(jobs=1)) as alone:
        expected = alone.extract(files, inputs)
    monkeypatch.setattr(project_stage, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(project_stage, "_extract_one", _dies_on_boom)
    with project_stage._Extractor(tmp_path, ExtractionSettings(jobs=2)) as pool:
        found = pool.extract(files, inputs)
    assert list(found) == sorted(sources)
    problem = found["boom.py"].problem
    assert problem is not None and "the parser crashed on this file" in problem.message
    assert {k: v for k, v in found.items() if k != "boom.py"} == {k: v for k, v in expected.items() if k != "boom.py"}


def test_progress_counts_every_parsed_file(tmp_path: Path) -> None:
    root = shutil.copytree(REPO / "tests" / "corpus" / "llm_gateway", tmp_path / "app")
    reports: list[tuple[int, int]] = []
    result = api.check(["."], default_policy(), api.CheckOptions(cwd=root, root=root, use_cache=False, jobs=1,
                                                                 progress=lambda done, total: reports.append((done, total))))
    assert reports, "nothing was reported"
    assert [done for done, _ in reports] == list(range(1, len(reports) + 1))
    assert all(done <= total for done, total in reports) and reports[-1][0] == reports[-1][1]
    assert reports[-1][1] >= result.files_parsed > 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("terminal", "environment", "shown"), [
    (True, {}, True),
    (False, {}, False),
    (True, {"CI": "true"}, False),
    (True, {"CI": "false"}, True),
    (True, {"TERM": "dumb"}, False),
])
def test_progress_bar_only_for_a_person_at_a_terminal(terminal: bool, environment: dict[str, str], shown: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    stream = _Terminal() if terminal else io.StringIO()
    assert ProgressBar.wanted(stream) is shown


def test_progress_bar_waits_two_seconds_then_draws_and_erases(monkeypatch: pytest.MonkeyPatch) -> None:
    from oberhahn_policy import progress

    now = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    stream = _Terminal()
    bar = ProgressBar(stream)
    bar(1, 10)
    now[0] += 1.9
    bar(2, 10)
    assert stream.getvalue() == ""  # a run shorter than two seconds shows nothing
    now[0] += 0.2
    bar(3, 10)
    assert stream.getvalue() == "\r\x1b[Kparsed 3 of 10 files  [######..............]  2 s"
    now[0] += 0.01
    bar(4, 10)  # redrawn at most every 0.1 s
    assert stream.getvalue().count("parsed") == 1
    now[0] += 1.0
    bar(10, 10)
    bar.close()
    assert stream.getvalue().endswith("parsed 10 of 10 files  [####################]  3 s\r\x1b[K")
