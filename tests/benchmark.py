"""Benchmark: how long a check takes, as ratios against baselines measured in the same run.

    python tests/benchmark.py [PATH ...]       (default: the fixture corpora and the example app)

Baselines: reading every file, `ast.parse` of every file, and `libcst.parse_module` of every
file (the floor for any libcst-based checker). Then the real engine: cold (no cache) on one
process and on every core, and warm (everything cached). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import libcst

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oberhahn_policy.engine import RunOptions, run  # noqa: E402

from oberhahn_policy.policy import default_policy  # noqa: E402


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(arguments: list[str]) -> None:
    roots = [Path(a).resolve() for a in arguments] or [REPO / "tests" / "corpus", REPO / "tests" / "holdout", REPO / "examples"]
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        for index, root in enumerate(roots):
            shutil.copytree(root, tree / f"{index}-{root.name}", ignore=shutil.ignore_patterns(".oberhahn-cache", ".git"))
        (tree / ".git").mkdir()
        files = sorted(tree.rglob("*.py"))
        sources = [f.read_bytes() for f in files]
        lines = sum(s.count(b"\n") for s in sources)
        print(f"{len(files)} files, {lines:,} lines; {os.cpu_count()} cores")

        def parse_all(parse: Callable[[bytes], object]) -> None:
            for source in sources:
                try:
                    parse(source)
                except Exception:  # noqa: BLE001 - a file that doesn't parse costs what it costs
                    pass

        cache = Path(scratch) / "cache"
        loaded = default_policy()

        def check(jobs: int, cached: bool) -> None:
            options = RunOptions(use_cache=cached, jobs=jobs, cache_dir=cache if cached else None)
            run([tree], loaded, root=tree, cwd=tree, options=options)

        timings = {
            "read every file": _timed(lambda: [f.read_bytes() for f in files]),
            "ast.parse every file": _timed(lambda: parse_all(ast.parse)),
            "libcst.parse_module every file": _timed(lambda: parse_all(libcst.parse_module)),
            "check, cold, 1 process": _timed(lambda: check(1, False)),
            f"check, cold, {os.cpu_count()} processes": _timed(lambda: check(os.cpu_count() or 1, False)),
        }
        check(1, True)  # fill the cache
        timings["check, warm cache"] = _timed(lambda: check(1, True))
    floor = timings["libcst.parse_module every file"]
    ast_time = timings["ast.parse every file"]
    print(f"{'work':<34} {'seconds':>8} {'x libcst parse':>15} {'x ast.parse':>12}")
    for name, seconds in timings.items():
        print(f"{name:<34} {seconds:>8.2f} {seconds / floor:>15.2f} {seconds / ast_time:>12.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
