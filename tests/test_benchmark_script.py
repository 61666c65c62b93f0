"""The benchmark script works: its steps on a three-file tree, its trees from a local wheel, its verdicts.

No timing is asserted (timings depend on the machine); nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from pathlib import Path

import pytest

import benchmark
from benchmark import BenchmarkError, BenchmarkOptions, PinnedWheel, StepResult, TreeResults, TreeSpec
from helpers import REPO, write_project

TINY_TREE = {
    "app/llm.py": """
        from openai import OpenAI

        client = OpenAI()


        def summarise(text: str) -> str:
            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
    """,
    "app/util.py": """
        def double(x: int) -> int:
            return 2 * x
    """,
    "app/broken.py": """
        def missing_colon()
            pass
    """,
}


def test_every_step_runs_on_a_tiny_tree(tmp_path: Path) -> None:
    root = write_project(tmp_path / "tree", TINY_TREE)
    llm = root / "app" / "llm.py"
    before, mtime = llm.read_bytes(), llm.stat().st_mtime_ns

    results = benchmark.measure_tree("custom", "tiny", root, BenchmarkOptions(jobs=2, repeat=1, checkout=REPO, progress=False))

    keys = [s.key for s in results.steps]
    assert keys == ["read", "ast-1", "ast-n", "libcst-all", "candidates", "check-cold", "check-fill", "parsed",
                    "libcst-candidates", "check-warm", "check-edit", "ruff"]
    by_key = {s.key: s for s in results.steps}
    assert [s.key for s in results.steps if not s.ok] in ([], ["ruff"])  # ruff may be absent: then it says so
    if not by_key["ruff"].ok:
        assert "not installed" in by_key["ruff"].note
    assert (results.files, results.lines) == (3, sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py")))
    assert dict(by_key["read"].counts)["files"] == 3
    assert dict(by_key["ast-1"].counts) == {"files": 3, "failed": 1}
    assert dict(by_key["libcst-all"].counts) == {"files": 3, "failed": 1}
    assert dict(by_key["candidates"].counts) == {"files": 3, "candidates": 1}
    assert dict(by_key["parsed"].counts) == {"parsed": 1}  # the candidate: nothing else is imported or forced
    assert dict(by_key["libcst-candidates"].counts) == {"files": 1, "failed": 0}
    for step in results.steps:
        if step.ok:
            assert step.wall_s > 0 and step.peak_rss_mb > 0 and step.cpu_s >= 0, step
            if Path("/proc").is_dir():  # the whole tree holds at least its largest process
                assert step.all_processes_mb is not None and step.all_processes_mb >= step.peak_rss_mb, step
    assert all(by_key[k].exit_code in (0, 1) for k in ("check-cold", "check-fill", "check-warm", "check-edit"))
    assert by_key["check-edit"].note == "app/llm.py (has a call site)"
    # the edited file is restored byte for byte, and the cache the run wrote is gone
    assert (llm.read_bytes(), llm.stat().st_mtime_ns) == (before, mtime)
    assert not (root / ".oberhahn-cache").exists()
    table = benchmark.render(results)
    assert "| libcst.parse_module of the 1 file the tool parses, 2 processes (ref) |" in table
    assert "Targets" not in table  # a custom tree has none of the targets


def _step(key: str, wall: float, cpu: float, rss: float = 100.0) -> StepResult:
    return StepResult(key=key, step=key, wall_s=wall, cpu_s=cpu, peak_rss_mb=rss, all_processes_mb=rss * 2,
                      exit_code=0, ok=True)


def _results(key: str, *steps: StepResult) -> TreeResults:
    return TreeResults(key=key, title=key, root="/tree", files=1, lines=1, steps=steps,
                       load_before=(0.0, 0.0, 0.0), load_after=(0.0, 0.0, 0.0))


@pytest.mark.parametrize(("steps", "verdicts"), [
    # within every target
    ((_step("libcst-candidates", 50, 100), _step("check-cold", 45, 140, 400), _step("check-warm", 1.5, 1.5),
      _step("check-edit", 2.5, 2.5)), ["PASS"] * 5),
    # today's figures from the issue: 4x the CPU, 202 s, warm 3.2 s, edit 3.1 s
    ((_step("libcst-candidates", 51, 100), _step("check-cold", 202, 404, 351), _step("check-warm", 3.2, 3.1),
      _step("check-edit", 3.1, 3.1)), ["FAIL", "FAIL", "PASS", "FAIL", "FAIL"]),
    # the reference failed: the ratio is unknown, never a pass or a fail
    ((_step("check-cold", 45, 140, 600), _step("check-warm", 1.0, 1.0)), ["UNKNOWN", "PASS", "FAIL", "PASS", "UNKNOWN"]),
])
def test_llm_tree_targets(steps: tuple[StepResult, ...], verdicts: list[str]) -> None:
    assert [c.verdict for c in benchmark.target_checks(_results("llm", *steps))] == verdicts


@pytest.mark.parametrize(("cold_cpu", "verdict"), [(2.3, "PASS"), (2.5, "FAIL")])
def test_nonai_tree_target_is_against_prefilter_plus_parse(cold_cpu: float, verdict: str) -> None:
    results = _results("nonai", _step("candidates", 1.0, 1.0), _step("libcst-candidates", 1.0, 1.0),
                       _step("check-cold", cold_cpu, cold_cpu))
    assert [c.verdict for c in benchmark.target_checks(results)] == [verdict]


def test_table_has_ratios_to_the_reference() -> None:
    table = benchmark.render(_results("llm", _step("libcst-candidates", 50, 100), _step("check-cold", 200, 400)))
    assert "| check-cold | 200.00 | 400.00 | 100 | 200 | 4.00x | 4.00x |  |" in table
    assert "- FAIL: cold check CPU within 1.5x the libcst parse CPU of the files the tool parses: 400.0 s / 100.0 s = 4.00x" in table


def _wheel(path: Path, members: dict[str, bytes]) -> PinnedWheel:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return PinnedWheel("demo", "1.0", path.name, hashlib.sha256(path.read_bytes()).hexdigest())


def test_tree_holds_only_the_python_files_of_verified_wheels(tmp_path: Path) -> None:
    wheels = tmp_path / "cache" / "wheels"
    wheels.mkdir(parents=True)
    pin = _wheel(wheels / "demo-1.0-py3-none-any.whl", {
        "demo/__init__.py": b"", "demo/core.py": b"x = 1\n", "demo/data.json": b"{}", "demo-1.0.dist-info/METADATA": b""})
    spec = TreeSpec("demo", "demo tree", (pin,))

    def no_download(_: PinnedWheel, __: Path) -> str:
        raise AssertionError("a verified wheel in the cache is not downloaded again")

    tree = benchmark.build_tree(spec, tmp_path / "cache", download=no_download)
    assert sorted(p.relative_to(tree).as_posix() for p in benchmark.python_files(tree)) == ["demo/__init__.py", "demo/core.py"]
    assert (tree / ".git").is_dir()
    assert benchmark.build_tree(spec, tmp_path / "cache", skip_build=True, download=no_download) == tree


def test_a_download_with_another_hash_is_refused(tmp_path: Path) -> None:
    pin = PinnedWheel("demo", "1.0", "demo-1.0-py3-none-any.whl", "0" * 64)

    def impostor(_: PinnedWheel, destination: Path) -> str:
        (destination / pin.filename).write_bytes(b"not the pinned file")
        return ""

    with pytest.raises(BenchmarkError, match="sha256 is .* the pin says 0000"):
        benchmark.fetch_wheel(pin, tmp_path / "wheels", impostor)
    assert not (tmp_path / "wheels" / pin.filename).exists()


@pytest.mark.parametrize(("problem", "message"), [
    ("missing", "gave nothing, not demo-1.0-py3-none-any.whl"),
    ("collision", "both contain demo/core.py"),
])
def test_tree_building_problems_say_what_to_do(tmp_path: Path, problem: str, message: str) -> None:
    cache = tmp_path / "cache"
    (cache / "wheels").mkdir(parents=True)
    if problem == "missing":
        pins: tuple[PinnedWheel, ...] = (PinnedWheel("demo", "1.0", "demo-1.0-py3-none-any.whl", "0" * 64),)
    else:
        pins = (_wheel(cache / "wheels" / "demo-1.0-py3-none-any.whl", {"demo/core.py": b""}),
                _wheel(cache / "wheels" / "other-1.0-py3-none-any.whl", {"demo/core.py": b""}))
    with pytest.raises(BenchmarkError, match=message):
        benchmark.build_tree(TreeSpec("demo", "demo", pins), cache, download=lambda _, __: "")


def test_skip_build_without_a_tree_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match="run once without --skip-build"):
        benchmark.build_tree(benchmark.NONAI_TREE, tmp_path, skip_build=True)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="the whole-tree RSS sampler reads /proc")
def test_process_tree_rss_counts_this_process() -> None:
    rss = benchmark._process_tree_rss(os.getpid(), os.sysconf("SC_PAGE_SIZE"))
    assert rss is not None and rss > 1 << 20


def test_a_step_does_not_inherit_the_benchmarks_own_peak_memory(tmp_path: Path) -> None:
    ballast = bytearray(300 << 20)
    ballast[:: 1 << 12] = b"x" * len(ballast[:: 1 << 12])  # touch every page: the benchmark's high-water RSS is now >300 MB
    result, _ = benchmark.measure("tiny", "tiny", [sys.executable, "-c", "pass"], cwd=tmp_path, scratch=tmp_path)
    del ballast
    assert result.ok and 0 < result.peak_rss_mb < 100, result


def test_a_command_that_cannot_start_is_a_failed_step(tmp_path: Path) -> None:
    result, _ = benchmark.measure("gone", "gone", [str(tmp_path / "no-such-program")], cwd=tmp_path, scratch=tmp_path)
    assert not result.ok and result.note.startswith("FAILED to start:") and "no-such-program" in result.note
