"""Benchmark: `check` against the parse floors and a peer, every figure measured in the same run.

    python tests/benchmark.py [--tree llm|nonai|both] [--jobs N] [--repeat N] [--skip-build]
                              [--checkout PATH] [--json FILE]
    python tests/benchmark.py PATH [PATH ...]    (the same steps on a scratch copy of these paths)

The two trees of issue 14 are built from pinned wheels (sha256 below), downloaded with pip into a cache
(`~/.cache/oberhahn-policy/bench`, or `$OBERHAHN_BENCH_CACHE`), keeping only the `.py` files, laid out like
site-packages under one project root marked by a `.git` directory.

Every step runs as its own subprocess, so its wall time, CPU seconds (user + sys of the process and the
worker processes it reaped) and peak RSS are its own: `os.wait4` gives the largest single process, and a
sampler adds up the RSS of the whole process tree every 0.2 s. The reference every ratio divides by is
`libcst.parse_module` of the files the tool itself parses in `check .` (asked of its extract stage:
`tool_parsed`; the pre-filter's candidates whose compiled code names a call, and the modules it parses
besides), on all cores: the floor for any checker that parses with libcst. A second line parses every file
past the byte scan (its candidates, and those modules), which a checker without the compile stage parses. The non-AI tree, where almost nothing is a candidate, is judged against its pre-filtered parse floor: the tool's pre-filter step plus that parse.
`check` runs through the real entry point, `python -m oberhahn_policy check .`, with the checkout under test
first on PYTHONPATH (and PYTHONSAFEPATH set, so the tree's own `requests` or `pandas` never shadow the tool's),
byte-compiled first as an installed package is (into its `__pycache__` folders, which git ignores).
Not a pytest test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, Sequence

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()

#: Where downloaded wheels and built trees are kept between runs, unless $OBERHAHN_BENCH_CACHE says otherwise.
DEFAULT_CACHE = Path.home() / ".cache" / "oberhahn-policy" / "bench"
CACHE_VARIABLE = "OBERHAHN_BENCH_CACHE"

#: pip fetches the wheels for one fixed target, so the same pinned files come down on any host
#: (only their `.py` files are used, which are the same on every platform).
DOWNLOAD_TARGET = ("--platform", "manylinux_2_28_x86_64", "--python-version", "3.11",
                   "--implementation", "cp", "--abi", "cp311")


class BenchmarkError(Exception):
    """A run that can't go on: a failed download, a hash mismatch, a missing tree; said in one line."""


@dataclass(frozen=True, slots=True)
class PinnedWheel:
    """One release file from the package registry, identified by its exact name and content hash."""

    #: Distribution name as pip spells it.
    name: str
    version: str
    #: The file pip must fetch for DOWNLOAD_TARGET.
    filename: str
    #: Hex sha256 of that file, recorded when the pin was made.
    sha256: str


@dataclass(frozen=True, slots=True)
class TreeSpec:
    """A benchmark tree: which wheels it is unpacked from, and which of the issue's targets apply to it."""

    #: The `--tree` value and the tree's directory name in the cache.
    key: str
    title: str
    wheels: tuple[PinnedWheel, ...]


# Pinned 2026-12-05 from the package registry (`pip download --no-deps`); every version the issue names exists.
LLM_TREE = TreeSpec("llm", "LLM-library tree", (
    PinnedWheel("langchain-community", "0.4.2", "langchain_community-0.4.2-py3-none-any.whl",
                "84dd8c5122532394d5b6849a5fc9995ef28e4f77227daeb09f24b3d942e9e466"),
    PinnedWheel("langchain-openai", "1.7.4", "langchain_openai-1.7.4-py3-none-any.whl",
                "aaee93369765bac7ebf640aab62f8ae16df403ed982737ae51f88f6a24a151ab"),
    PinnedWheel("langchain-anthropic", "1.7.10", "langchain_anthropic-1.7.10-py3-none-any.whl",
                "9ba64332784bddedabbeb24f5f5759f2d0dfe58244e0ef07e313e039b21ecb1f"),
    PinnedWheel("llama-index-core", "0.14.25", "llama_index_core-0.14.25-py3-none-any.whl",
                "caa7d9c5ac9b13dc33400cf8d5e92e689b6d1e4497eb9bfa50d6f52ca2eb22a1"),
    PinnedWheel("llama-index-llms-openai", "0.8.3", "llama_index_llms_openai-0.8.3-py3-none-any.whl",
                "b86deb1a9d296ca8a66cd2fa1e039e8752a529232cebaf0c7c1d0626c039a29a"),
    PinnedWheel("openai", "3.57.0", "openai-3.57.0-py3-none-any.whl",
                "f97bc74024c06ced8428b56c4a3594066709d3082779bf9d0b4b6092fbf587a8"),
    PinnedWheel("anthropic", "2.14.0", "anthropic-2.14.0-py3-none-any.whl",
                "5cf986851f61c0858ac88c6f7c28490369a68ff4a89c309849605b764da0664d"),
    PinnedWheel("litellm", "1.110.2", "litellm-1.110.2-cp310-abi3-manylinux_2_28_x86_64.whl",
                "9d94d1c7d524b6fd10c14f9c8c6c4f0ac31705f9964ac59dcfd8337c046d8917"),
    PinnedWheel("dspy", "3.4.1", "dspy-3.4.1-py3-none-any.whl",
                "afda9e7f8b3d46be0829af19ac1153a6feaa6db5923f2b1011eef547fb15ce2d"),
    PinnedWheel("instructor", "1.17.0", "instructor-1.17.0-py3-none-any.whl",
                "f6b1832d178e899ee0a6a3f247e221f19580fa525c815211c02447691d761217"),
))
NONAI_TREE = TreeSpec("nonai", "non-AI tree", (
    PinnedWheel("django", "5.2.19", "django-5.2.19-py3-none-any.whl",
                "5965d974a5218a2b68a11dd1276434707f23886525c23f0598eccedaf4f4ca00"),
    PinnedWheel("sqlalchemy", "2.1.9",
                "sqlalchemy-2.1.9-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",
                "3a24b459e52b3ac138f6a05e99a4bd0589443a1ae18041a59c1cfdee12134a2b"),
    PinnedWheel("pandas", "3.1.1", "pandas-3.1.1-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
                "4f1602f614bb83f443381dbcbb94c4ac764b2e50c8d6c965614c5cd83e328c47"),
    PinnedWheel("flask", "3.1.3", "flask-3.1.3-py3-none-any.whl",
                "f4bcbefc124291925f1a26446da31a5178f9483862233b23c0c96a20701f670c"),
    PinnedWheel("requests", "2.34.2", "requests-2.34.2-py3-none-any.whl",
                "2a0d60c172f83ac6ab31e4554906c0f3b3588d37b5cb939b1c061f4907e278e0"),
))
TREES = {spec.key: spec for spec in (LLM_TREE, NONAI_TREE)}

#: Written into a built tree last, so a half-built tree is never taken for a finished one.
TREE_MARKER = ".benchmark-pins.json"


# --- the trees -------------------------------------------------------------------------------------------


def cache_root() -> Path:
    configured = os.environ.get(CACHE_VARIABLE)
    return Path(configured).expanduser() if configured else DEFAULT_CACHE


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pip_download(pin: PinnedWheel, destination: Path) -> str:
    """Download the pinned release with pip for DOWNLOAD_TARGET; returns pip's last line of complaint, if any."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", *DOWNLOAD_TARGET,
               "--dest", str(destination), f"{pin.name}=={pin.version}"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in completed.stderr.splitlines() if "is ignored" not in line and line.strip()]
    return "" if completed.returncode == 0 else (lines[-1] if lines else f"pip exited {completed.returncode}")


def fetch_wheel(pin: PinnedWheel, wheels: Path, download: Callable[[PinnedWheel, Path], str] = pip_download) -> Path:
    """The pinned wheel from the cache, or downloaded; its sha256 is checked either way."""
    target = wheels / pin.filename
    if target.is_file() and file_sha256(target) == pin.sha256:
        return target
    wheels.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wheels) as scratch:
        complaint = download(pin, Path(scratch))
        downloaded = Path(scratch) / pin.filename
        if not downloaded.is_file():
            found = ", ".join(sorted(p.name for p in Path(scratch).iterdir())) or "nothing"
            raise BenchmarkError(f"pip download {pin.name}=={pin.version} gave {found}, not {pin.filename}"
                                 f"{f' ({complaint})' if complaint else ''}; check the registry, or re-pin this wheel "
                                 "in tests/benchmark.py")
        actual = file_sha256(downloaded)
        if actual != pin.sha256:
            raise BenchmarkError(f"{pin.filename}: sha256 is {actual}, the pin says {pin.sha256}; "
                                 "the registry served a different file: re-pin it only if that is expected")
        os.replace(downloaded, target)
    return target


def unpack_python_files(wheel: Path, destination: Path, owners: dict[str, str]) -> int:
    """Write the wheel's `.py` files under `destination`; `owners` catches two wheels writing the same path."""
    written = 0
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            name = member.filename
            if member.is_dir() or not name.endswith(".py"):
                continue
            parts = Path(name).parts
            if Path(name).is_absolute() or ".." in parts:
                raise BenchmarkError(f"{wheel.name}: member {name!r} escapes the tree; this wheel can't be used")
            if name in owners:
                raise BenchmarkError(f"{wheel.name} and {owners[name]} both contain {name}; the tree can't hold both")
            owners[name] = wheel.name
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
            written += 1
    return written


def build_tree(spec: TreeSpec, cache: Path, *, skip_build: bool = False,
               download: Callable[[PinnedWheel, Path], str] = pip_download) -> Path:
    """The tree for `spec`, unpacked from its pinned wheels; rebuilt when the pins changed."""
    tree = cache / "trees" / spec.key
    marker = tree / TREE_MARKER
    wanted = json.dumps([dataclasses.asdict(w) for w in spec.wheels], indent=1)
    if marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return tree
    if skip_build:
        raise BenchmarkError(f"{tree}: no tree built from the current pins; run once without --skip-build")
    wheels = [fetch_wheel(pin, cache / "wheels", download) for pin in spec.wheels]
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    owners: dict[str, str] = {}
    for wheel in wheels:
        unpack_python_files(wheel, tree, owners)
    (tree / ".git").mkdir()  # the tool (and ruff) take the tree for one repository
    marker.write_text(wanted, encoding="utf-8")
    return tree


_COPY_IGNORED = shutil.ignore_patterns(".git", ".oberhahn-cache", "__pycache__", ".ruff_cache", ".mypy_cache",
                                       ".venv", "venv", "node_modules")


def copy_paths(paths: Sequence[Path], tree: Path) -> Path:
    """A scratch project holding copies of `paths` (the edit step writes to a file, never to the originals)."""
    tree.mkdir(parents=True)
    for index, path in enumerate(paths):
        if not path.exists():
            raise BenchmarkError(f"{path}: no such file or directory")
        name = path.name if len(paths) > 1 else ""
        if len(paths) > 1 and (tree / name).exists():
            name = f"{name}_{index}"
        if path.is_dir():
            shutil.copytree(path, tree / name if name else tree, ignore=_COPY_IGNORED, dirs_exist_ok=True)
        else:
            shutil.copy2(path, tree / path.name)
    (tree / ".git").mkdir(exist_ok=True)
    return tree


def python_files(root: Path) -> list[Path]:
    """Every `.py` file under the tree, outside version-control and cache directories."""
    skipped = {".git", ".oberhahn-cache", "__pycache__", ".ruff_cache"}
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
        found.extend(Path(directory) / f for f in sorted(filenames) if f.endswith(".py"))
    return found


# --- work done inside a measured subprocess -----------------------------------------------------------------


def tool_candidates(root: Path) -> tuple[int, list[Path]]:
    """The files the tool decides to parse, asked of the tool itself: (files it reads, candidates).

    The one place that knows the tool's extraction API: keep it in step with `extract_source`'s gate.
    Imports the checkout on `sys.path`, so the subprocess that calls it sets PYTHONPATH to the checkout.
    """
    from oberhahn_policy.discover import discover
    from oberhahn_policy.api import extraction_inputs
    from oberhahn_policy.extract import is_candidate
    from oberhahn_policy.policy.load import resolve_policy
    from oberhahn_policy.project import module_name

    loaded = resolve_policy(None, root)  # the policy file in the tree if any, else the default, as `check` does
    inputs = extraction_inputs(loaded)
    files = discover([root], loaded.policy.files, root, root)
    candidates = []
    for file in files:
        try:
            source = file.absolute.read_bytes()
        except OSError:
            continue
        if is_candidate(source, inputs, module_name(file.path)):
            candidates.append(file.absolute)
    return len(files), candidates


def tool_parsed(root: Path) -> list[Path]:
    """Every file the tool parses in `check .` of the tree: its pre-filter's candidates, and the modules it parses
    besides (the modules holding constants that values name, files using a client another module exports), asked of
    the tool's public API as `check` runs it. With the cache the previous `check .` wrote, nothing is parsed again.
    """
    from oberhahn_policy.api import CheckOptions, project_extraction

    extracted = project_extraction(["."], None, CheckOptions(cwd=root, jobs=1))
    return [root / path for path, file in sorted(extracted.files.items()) if file.parsed]


def _parse_one(parser: str, path: str) -> bool:
    """Parse one file; False when it doesn't parse (a file that doesn't parse costs what it costs)."""
    source = Path(path).read_bytes()
    try:
        if parser == "ast":
            ast.parse(source)
        else:
            import libcst

            libcst.parse_module(source)
    except Exception:  # noqa: BLE001 - syntax errors, odd encodings, recursion: all count as "failed"
        return False
    return True


def parse_files(paths: Sequence[Path], parser: str, jobs: int) -> dict[str, int]:
    """Parse every file with `ast` or `libcst` on `jobs` processes, largest files first so the cores finish together."""
    if parser not in ("ast", "libcst"):
        raise ValueError(f"unknown parser {parser!r}")
    ordered = [str(p) for p in sorted(paths, key=lambda p: p.stat().st_size, reverse=True)]
    work = partial(_parse_one, parser)
    if jobs > 1 and len(ordered) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(work, ordered, chunksize=4))
    else:
        outcomes = [work(p) for p in ordered]
    return {"files": len(ordered), "failed": outcomes.count(False)}


def read_files(paths: Sequence[Path]) -> dict[str, int]:
    return {"files": len(paths), "bytes": sum(len(p.read_bytes()) for p in paths)}


def run_step(arguments: Sequence[str]) -> int:
    """The `_step` entry point: one unit of work in its own process; prints a JSON summary."""
    parser = argparse.ArgumentParser(prog="benchmark.py _step")
    parser.add_argument("kind", choices=("read", "ast", "libcst", "candidates", "parsed"))
    parser.add_argument("--files", type=Path, help="a file listing the paths to work on, one a line")
    parser.add_argument("--root", type=Path, help="the tree (candidates, parsed)")
    parser.add_argument("--output", type=Path, help="where the list of files goes (candidates, parsed)")
    parser.add_argument("--jobs", type=int, default=1)
    options = parser.parse_args(arguments)
    try:
        if options.kind == "candidates":
            files, candidates = tool_candidates(options.root.resolve())
            options.output.write_text("".join(f"{p}\n" for p in candidates), encoding="utf-8")
            summary = {"files": files, "candidates": len(candidates)}
        elif options.kind == "parsed":
            parsed = tool_parsed(options.root.resolve())
            options.output.write_text("".join(f"{p}\n" for p in parsed), encoding="utf-8")
            summary = {"parsed": len(parsed)}
        else:
            paths = [Path(line) for line in options.files.read_text(encoding="utf-8").splitlines() if line]
            summary = read_files(paths) if options.kind == "read" else parse_files(paths, options.kind, options.jobs)
    except BrokenProcessPool:
        print(json.dumps({"error": "a worker process died (the parser may have overflowed the C stack)"}))
        return 3
    print(json.dumps(summary))
    return 0


# --- measuring a subprocess -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepResult:
    """One measured step: what it cost the machine, and what it did."""

    #: Stable name for targets and JSON (`check-cold`, `libcst-candidates`...).
    key: str
    #: What was measured, as the table says it.
    step: str
    wall_s: float
    #: User + system CPU seconds of the step's process and every worker process it reaped.
    cpu_s: float
    #: High-water RSS of the largest single process of the step (`wait4`'s ru_maxrss).
    peak_rss_mb: float
    #: Highest sum of RSS over the step's whole process tree, sampled every 0.2 s; None without /proc.
    all_processes_mb: float | None
    exit_code: int
    #: False when the step failed; its figures then describe a failure, not the work.
    ok: bool
    #: The step's own facts (the edited file) or why it failed.
    note: str = ""
    #: What the step counted (`files`, `failed`, `candidates`...), as its process reported them.
    counts: tuple[tuple[str, int], ...] = ()


def describe(step: StepResult) -> str:
    """The step's counts and note in one phrase: `10,594 files, 0 failed`, `1 file, 1 candidate`."""
    counts = (f"{value:,} {name[:-1] if value == 1 and name in _PLURAL_COUNTS else name}" for name, value in step.counts)
    return ", ".join([*counts, *([step.note] if step.note else [])])


#: Counts named by a plural noun, said in the singular for one.
_PLURAL_COUNTS = frozenset({"files", "candidates"})


def _process_tree_rss(root_pid: int, page_size: int, *, include_root: bool = True) -> int | None:
    """Bytes of RSS of `root_pid` (unless left out) and all its descendants, from /proc; None without /proc."""
    parents: dict[int, int] = {}
    resident: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stream:
                stat = stream.read()
        except OSError:
            continue  # the process ended while we looked
        fields = stat[stat.rfind(b")") + 2:].split()  # the command name may hold spaces and parentheses
        parents[int(entry)] = int(fields[1])
        resident[int(entry)] = int(fields[21]) * page_size
    total, frontier = 0, [root_pid]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while frontier:
        pid = frontier.pop()
        total += resident.get(pid, 0) if include_root or pid != root_pid else 0
        frontier.extend(children.get(pid, ()))
    return total


class _TreeSampler:
    """Samples the RSS of a process tree in a thread until stopped; keeps the highest sum."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        #: The launcher; its descendants are the step.
        self.pid = pid
        self.interval = interval
        self.highest: int | None = None
        self._stop = threading.Event()
        self._page_size = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            sample = _process_tree_rss(self.pid, self._page_size, include_root=False)
            if sample is not None and (self.highest is None or sample > self.highest):
                self.highest = sample
            if self._stop.wait(self.interval):
                return


#: Starts the measured command and reports its rusage. It runs as a fresh, small interpreter because Linux
#: starts a child's ru_maxrss at its parent's high-water RSS (exec keeps the old image's mark): launched
#: from the benchmark itself, which has held big outputs, every step would read at least that size.
_LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as stream:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
               "exit": os.waitstatus_to_exitcode(status)}, stream)
"""


def measure(key: str, step: str, command: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None,
            accepted: Sequence[int] = (0,), scratch: Path) -> tuple[StepResult, Path]:
    """Run `command` as a subprocess and measure it alone; returns the result and the file holding its stdout.

    Wall, CPU (the command and every worker process it reaped) and the largest process's peak RSS come from
    `wait4` in the launcher; the whole tree's RSS is sampled from here, the launcher itself left out.
    """
    stdout_path, stderr_path, report_path = scratch / f"{key}.out", scratch / f"{key}.err", scratch / f"{key}.rusage.json"
    report_path.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report_path), *command]
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(launcher, cwd=cwd, env=env, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
        with _TreeSampler(process.pid) as sampler:
            launcher_exit = process.wait()
    try:
        usage = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        note = _failure(launcher_exit, stdout_path, stderr_path).replace("FAILED:", "FAILED to start:")
        return StepResult(key, step, 0.0, 0.0, 0.0, None, launcher_exit, False, note), stdout_path
    to_mb = 1 / (1 << 20) if sys.platform == "darwin" else 1 / 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    exit_code = int(usage["exit"])
    ok = exit_code in accepted
    peak = usage["maxrss"] * to_mb
    # a short step can end between two samples; the whole tree was at least as large as its largest process
    together = max(sampler.highest / (1 << 20), peak) if sampler.highest is not None else None
    result = StepResult(key=key, step=step, wall_s=usage["wall"], cpu_s=usage["cpu"], peak_rss_mb=peak,
                        all_processes_mb=together, exit_code=exit_code, ok=ok,
                        note="" if ok else _failure(exit_code, stdout_path, stderr_path))
    return result, stdout_path


def _failure(exit_code: int, stdout: Path, stderr: Path) -> str:
    lines = (stderr.read_text(encoding="utf-8", errors="replace") + stdout.read_text(encoding="utf-8", errors="replace"))
    last = [line for line in lines.strip().splitlines() if line.strip()][-1:] or ["no output"]
    return f"FAILED: exit {exit_code}: {last[0][:200]}"


def best_of(repeat: int, attempt: Callable[[int], tuple[StepResult, Path]]) -> tuple[StepResult, Path]:
    """The fastest of `repeat` attempts by wall time (a failed attempt is returned at once)."""
    best: tuple[StepResult, Path] | None = None
    for number in range(max(1, repeat)):
        outcome = attempt(number)
        if not outcome[0].ok:
            return outcome
        if best is None or outcome[0].wall_s < best[0].wall_s:
            best = outcome
    assert best is not None
    return best


# --- the steps on one tree ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchmarkOptions:
    """How a run measures: worker count, repetitions, the checkout under test, where scratch files go."""

    jobs: int
    repeat: int
    #: The oberhahn-policy source tree whose `oberhahn_policy` package is measured.
    checkout: Path
    #: Print each step as it finishes (stderr).
    progress: bool = True


@dataclass(frozen=True, slots=True)
class TreeResults:
    """Everything measured on one tree, in the order it was measured."""

    #: `llm`, `nonai`, or `custom`.
    key: str
    title: str
    root: str
    files: int
    lines: int
    steps: tuple[StepResult, ...]
    #: 1-, 5- and 15-minute load averages before and after the tree was measured.
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    def step(self, key: str) -> StepResult | None:
        return next((s for s in self.steps if s.key == key and s.ok), None)


#: The step every ratio divides by.
REFERENCE = "libcst-candidates"
#: libcst.parse_module of every file past the byte scan: what a checker with the same byte scan and no second stage
#: would parse.
EXAMINED = "libcst-examined"


def compile_checkout(checkout: Path) -> None:
    """Byte-compile the checkout's package into its `__pycache__` folders, as pip does when it installs a package:
    a checkout run from its sources with PYTHONDONTWRITEBYTECODE set (as on CI machines) would otherwise compile
    every module in every measured process, which an installed tool never does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "oberhahn_policy")],
                   capture_output=True, check=False)


def tool_environment(checkout: Path) -> dict[str, str]:
    """The environment for the tool's processes: the checkout first on the path, the tree's packages never."""
    existing = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(checkout) + (os.pathsep + existing if existing else ""),
            # the tree holds `requests`, `pandas`...: `-m` would put the working directory first on sys.path
            "PYTHONSAFEPATH": "1", "NO_COLOR": "1"}


def ruff_executable() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.is_file() else shutil.which("ruff")


def edit_target(root: Path, env: dict[str, str], candidates: Sequence[Path]) -> tuple[Path, str]:
    """A file with a call site, by the tool's own inventory; else a candidate, else any file (and says which)."""
    completed = subprocess.run([sys.executable, "-m", "oberhahn_policy", "inventory", ".", "--format", "json"],
                               cwd=root, env=env, capture_output=True, text=True, check=False)
    try:
        paths = sorted({site["path"] for site in json.loads(completed.stdout)["call_sites"]})
    except (ValueError, KeyError, TypeError):
        paths = []
    if paths:
        return root / paths[0], "has a call site"
    if candidates:
        return min(candidates), "no call site in the tree: a candidate file"
    return python_files(root)[0], "no call site or candidate in the tree: the first file"


def measure_tree(key: str, title: str, root: Path, options: BenchmarkOptions) -> TreeResults:
    """Run every step on `root` and return the measurements."""
    root = root.resolve()
    files = python_files(root)
    if not files:
        raise BenchmarkError(f"{root}: no .py files to measure")
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    env = tool_environment(options.checkout)
    load_before = os.getloadavg()
    steps: list[StepResult] = []
    jobs = options.jobs

    def log(result: StepResult) -> None:
        steps.append(result)
        if options.progress:
            print(f"  {result.step}: {result.wall_s:.2f} s wall, {result.cpu_s:.2f} s CPU, "
                  f"{result.peak_rss_mb:.0f} MB; {describe(result)}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="oberhahn-bench-") as scratch_name:
        scratch = Path(scratch_name)
        listing = scratch / "files.txt"
        listing.write_text("".join(f"{p}\n" for p in files), encoding="utf-8")
        chosen = scratch / "candidates.txt"
        internal = [sys.executable, str(SCRIPT), "_step"]

        def internal_step(step_key: str, step: str, arguments: list[str], step_env: dict[str, str] | None = None) -> StepResult:
            result, stdout = best_of(options.repeat, lambda _: measure(
                step_key, step, [*internal, *arguments], cwd=scratch, env=step_env, scratch=scratch))
            output = stdout.read_text(encoding="utf-8", errors="replace")
            try:
                summary = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
            except ValueError:
                summary = {}
            counts = tuple((k, v) for k, v in summary.items() if isinstance(v, int))
            note = f"FAILED: {summary['error']}" if "error" in summary else result.note
            return dataclasses.replace(result, counts=counts, note=note)

        log(internal_step("read", "read every file", ["read", "--files", str(listing)]))
        log(internal_step("ast-1", "ast.parse every file, 1 process", ["ast", "--files", str(listing), "--jobs", "1"]))
        log(internal_step("ast-n", f"ast.parse every file, {jobs} processes",
                          ["ast", "--files", str(listing), "--jobs", str(jobs)]))
        log(internal_step("libcst-all", f"libcst.parse_module every file, {jobs} processes",
                          ["libcst", "--files", str(listing), "--jobs", str(jobs)]))
        log(internal_step("candidates", "the tool's pre-filter over every file (discover + byte scan)",
                          ["candidates", "--root", str(root), "--output", str(chosen)], env))
        candidates = [Path(line) for line in chosen.read_text(encoding="utf-8").splitlines() if line] if chosen.exists() else []

        check = [sys.executable, "-m", "oberhahn_policy", "check", ".", "--jobs", str(jobs)]
        cache = root / ".oberhahn-cache"

        def check_step(step_key: str, step: str, arguments: list[str], before: Callable[[int], None] | None = None,
                       after: Callable[[], None] | None = None) -> StepResult:
            def attempt(number: int) -> tuple[StepResult, Path]:
                if before is not None:
                    before(number)
                try:
                    return measure(step_key, step, [*check, *arguments], cwd=root, env=env, accepted=(0, 1), scratch=scratch)
                finally:
                    if after is not None:
                        after()
            result, _ = best_of(options.repeat, attempt)
            return result

        def clear_cache(_: int = 0) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        clear_cache()
        log(check_step("check-cold", "`check . --no-cache`, cold", ["--no-cache"]))
        log(check_step("check-fill", "`check .`, empty cache (writes it)", [], before=clear_cache))
        parsed_list = scratch / "parsed.txt"
        log(internal_step("parsed", "the files `check .` parsed, asked of its extract stage (from the cache)",
                          ["parsed", "--root", str(root), "--output", str(parsed_list)], env))
        if steps[-1].ok:
            parsed_paths = parsed_list.read_text(encoding="utf-8").splitlines()
            parsed = len(parsed_paths)
            log(internal_step(REFERENCE, f"libcst.parse_module of the {parsed:,} file{'s' if parsed != 1 else ''} the tool parses, {jobs} processes",
                              ["libcst", "--files", str(parsed_list), "--jobs", str(jobs)]))
            # the files past the byte scan: its candidates (Python's compiler then rules out those whose code names
            # no call) and the modules it parses besides
            examined = sorted({*parsed_paths, *(str(p) for p in candidates)})
            if len(examined) > parsed:
                examined_list = scratch / "examined.txt"
                examined_list.write_text("".join(f"{p}\n" for p in examined), encoding="utf-8")
                log(internal_step(EXAMINED, f"libcst.parse_module of the {len(examined):,} files past its byte scan "
                                            f"(candidates and modules parsed besides), {jobs} processes",
                                  ["libcst", "--files", str(examined_list), "--jobs", str(jobs)]))
        target, why = edit_target(root, env, candidates)
        original = target.read_bytes()
        stamp = os.stat(target)
        log(check_step("check-warm", "`check .`, warm cache, nothing changed", []))
        token = time.time_ns()

        def edit(number: int) -> None:
            # a new line each attempt, so no attempt finds its edit already cached
            target.write_bytes(original + f"\n# oberhahn-policy benchmark edit {token}-{number}\n".encode())

        def restore() -> None:
            target.write_bytes(original)
            os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))

        edited = check_step("check-edit", "`check .` after editing one file", [], before=edit, after=restore)
        log(dataclasses.replace(edited, note=f"{target.relative_to(root).as_posix()} ({why})" if edited.ok else edited.note))
        ruff = ruff_executable()
        if ruff is None:
            log(StepResult("ruff", "`ruff check`, default rules", 0.0, 0.0, 0.0, None, -1, False,
                           "skipped: ruff is not installed (pip install ruff)"))
        else:
            result, _ = best_of(options.repeat, lambda _: measure(
                "ruff", "`ruff check --isolated --no-cache` (default rules)", [ruff, "check", "--isolated", "--no-cache", "."],
                cwd=root, env=env, accepted=(0, 1), scratch=scratch))
            log(result)
        clear_cache()
    return TreeResults(key=key, title=title, root=str(root), files=len(files), lines=lines, steps=tuple(steps),
                       load_before=load_before, load_after=os.getloadavg())


# --- the report ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """One of the issue's targets, judged on this run: PASS, FAIL or UNKNOWN (a step it needs failed)."""

    target: str
    verdict: str
    #: The figures the verdict rests on.
    detail: str


def _judge(passed: bool | None) -> str:
    return "UNKNOWN" if passed is None else ("PASS" if passed else "FAIL")


def target_checks(results: TreeResults) -> list[TargetCheck]:
    """The issue's targets for this tree (none for a custom tree)."""
    reference, cold = results.step(REFERENCE), results.step("check-cold")
    checks: list[TargetCheck] = []
    if results.key == "llm":
        ratio = cold.cpu_s / reference.cpu_s if cold and reference and reference.cpu_s > 0 else None
        checks.append(TargetCheck(
            "cold check CPU within 1.5x the libcst parse CPU of the files the tool parses",
            _judge(None if ratio is None else ratio <= 1.5),
            f"{cold.cpu_s:.1f} s / {reference.cpu_s:.1f} s = {ratio:.2f}x" if cold and reference and ratio else "a step failed"))
        examined = results.step(EXAMINED)
        if cold and examined and examined.cpu_s > 0:
            checks.append(TargetCheck(
                "(the same, against its byte scan's candidates) cold check CPU within 1.5x the libcst parse CPU of the "
                "files past its byte scan", _judge(cold.cpu_s / examined.cpu_s <= 1.5),
                f"{cold.cpu_s:.1f} s / {examined.cpu_s:.1f} s = {cold.cpu_s / examined.cpu_s:.2f}x"))
        checks.append(TargetCheck("cold check wall under 50 s", _judge(None if cold is None else cold.wall_s < 50),
                                  f"{cold.wall_s:.1f} s" if cold else "the cold check failed"))
        checks.append(TargetCheck(
            "cold check under 500 MB peak (largest process)", _judge(None if cold is None else cold.peak_rss_mb < 500),
            (f"{cold.peak_rss_mb:.0f} MB; all processes together {_mb(cold.all_processes_mb)} MB" if cold
             else "the cold check failed")))
        warm, edited = results.step("check-warm"), results.step("check-edit")
        checks.append(TargetCheck("warm re-run under 2 s", _judge(None if warm is None else warm.wall_s < 2),
                                  f"{warm.wall_s:.2f} s" if warm else "the warm run failed"))
        checks.append(TargetCheck("after editing one file under 3 s", _judge(None if edited is None else edited.wall_s < 3),
                                  f"{edited.wall_s:.2f} s" if edited else "the edit run failed"))
    elif results.key == "nonai":
        prefilter = results.step("candidates")
        if cold and reference and prefilter:
            floor_cpu, floor_wall = prefilter.cpu_s + reference.cpu_s, prefilter.wall_s + reference.wall_s
            ratio = cold.cpu_s / floor_cpu
            checks.append(TargetCheck(
                "cold check CPU within 1.2x the pre-filtered parse floor (the tool's pre-filter + libcst parse of its candidates)",
                _judge(ratio <= 1.2),
                f"{cold.cpu_s:.2f} s / {floor_cpu:.2f} s = {ratio:.2f}x (wall {cold.wall_s:.2f} s / {floor_wall:.2f} s = "
                f"{cold.wall_s / floor_wall:.2f}x)"))
        else:
            checks.append(TargetCheck("cold check within 1.2x the pre-filtered parse floor", "UNKNOWN", "a step failed"))
    return checks


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _ratio(value: float, reference: float | None) -> str:
    return "n/a" if not reference or reference <= 0 else f"{value / reference:.2f}x"


def render(results: TreeResults) -> str:
    """A markdown table of the tree's steps with ratios to the reference, then the target lines."""
    reference = results.step(REFERENCE)
    out = [f"### {results.title}: {results.files:,} files, {results.lines:,} lines",
           "",
           (f"`{results.root}`; load average {' '.join(f'{x:.2f}' for x in results.load_before)} before, "
            f"{' '.join(f'{x:.2f}' for x in results.load_after)} after; {os.cpu_count()} cores."),
           "",
           "| step | wall s | CPU s | peak RSS MB | all processes MB | CPU vs ref | wall vs ref | note |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for s in results.steps:
        if not s.ok:
            out.append(f"| {s.step} | | | | | | | {describe(s)} |")
            continue
        marker = " (ref)" if s.key == REFERENCE else ""
        out.append(f"| {s.step}{marker} | {s.wall_s:.2f} | {s.cpu_s:.2f} | {s.peak_rss_mb:.0f} | {_mb(s.all_processes_mb)} | "
                   f"{_ratio(s.cpu_s, reference.cpu_s if reference else None)} | "
                   f"{_ratio(s.wall_s, reference.wall_s if reference else None)} | {describe(s)} |")
    out += ["", ("ref = libcst.parse_module of the files the tool parses (its pre-filter's candidates whose compiled code "
                 "names a call, and the modules it parses besides); peak RSS = largest single process; "
                 "all processes = highest sampled sum over the step's process tree. "
                 "Each step includes its interpreter start-up; the tool's modules are byte-compiled beforehand, as pip does "
                 "on install.")]
    checks = target_checks(results)
    if checks:
        out += ["", "Targets (issue 14):", ""]
        out += [f"- {c.verdict}: {c.target}: {c.detail}" for c in checks]
    return "\n".join(out)


def to_json(all_results: Sequence[TreeResults], options: BenchmarkOptions, command: Sequence[str]) -> dict[str, object]:
    return {
        "command": list(command),
        "checkout": str(options.checkout),
        "python": sys.version.split()[0],
        "cores": os.cpu_count(),
        "jobs": options.jobs,
        "repeat": options.repeat,
        "trees": [{**dataclasses.asdict(r), "targets": [dataclasses.asdict(c) for c in target_checks(r)]}
                  for r in all_results],
    }


# --- the command line -----------------------------------------------------------------------------------------


def parse_arguments(arguments: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmark.py", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("paths", nargs="*", type=Path, help="measure copies of these paths instead of the pinned trees")
    parser.add_argument("--tree", choices=("llm", "nonai", "both"), default="both")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    parser.add_argument("--repeat", type=int, default=1, help="run each step N times and keep the fastest")
    parser.add_argument("--skip-build", action="store_true", help="use the trees already in the cache, download nothing")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the oberhahn-policy source to measure")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args(arguments)
    if options.jobs < 1 or options.repeat < 1:
        parser.error("--jobs and --repeat take a number of at least 1")
    return options


def main(arguments: Sequence[str]) -> int:
    if arguments and arguments[0] == "_step":
        return run_step(arguments[1:])
    args = parse_arguments(arguments)
    checkout = args.checkout.resolve()
    if not (checkout / "oberhahn_policy" / "__init__.py").is_file():
        print(f"benchmark: {checkout}: no oberhahn_policy package here; pass the checkout with --checkout", file=sys.stderr)
        return 2
    options = BenchmarkOptions(jobs=args.jobs, repeat=args.repeat, checkout=checkout)
    compile_checkout(checkout)
    results: list[TreeResults] = []
    try:
        for key, title, root, scratch in _trees(args):
            print(f"{title}: measuring {root}", file=sys.stderr, flush=True)
            try:
                results.append(measure_tree(key, title, root, options))
            finally:
                if scratch is not None:
                    shutil.rmtree(scratch, ignore_errors=True)
    except BenchmarkError as exc:
        print(f"benchmark: {exc}", file=sys.stderr)
        return 2
    print(f"oberhahn-policy at {checkout}; python {sys.version.split()[0]}; --jobs {args.jobs}; best of {args.repeat}\n")
    print("\n\n".join(render(r) for r in results))
    if args.json is not None:
        args.json.write_text(json.dumps(to_json(results, options, [sys.executable, str(SCRIPT), *arguments]), indent=2),
                             encoding="utf-8")
    return 0


def _trees(args: argparse.Namespace) -> Iterator[tuple[str, str, Path, Path | None]]:
    """(key, title, root, scratch directory to remove afterwards) for each tree the arguments name."""
    if args.paths:
        scratch = Path(tempfile.mkdtemp(prefix="oberhahn-bench-tree-"))
        try:
            root = copy_paths([p.resolve() for p in args.paths], scratch / "tree")
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        yield "custom", ", ".join(str(p) for p in args.paths), root, scratch
        return
    cache = cache_root()
    for spec in (LLM_TREE, NONAI_TREE):
        if args.tree in (spec.key, "both"):
            yield spec.key, spec.title, build_tree(spec, cache, skip_build=args.skip_build), None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
