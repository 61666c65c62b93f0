"""Every hostile-input case of tests/test_hostile_inputs.py through the real entry point, as a markdown table.

    python tests/hostile_table.py

Each row of `ROWS` is built in a temporary directory and `python -m oberhahn_policy ARGS` runs in a subprocess
(its own session, a memory cap, a timeout): the table gives the exit code, the wall time and the line about the
hostile input itself (else the line the case expects). For reports and closing notes; not a test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

import test_hostile_inputs as hostile  # noqa: E402


def _key_line(output: str, expect: tuple[str, ...]) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    about_input = [line for line in lines if " OBH00" in line or "OBH4" in line or "OBH102" in line]
    about_input = about_input or [line for line in lines if not any(c in line for c in ("OBH101", "OBH202", "OBH204"))
                                  and not line.startswith(("Found ", "No findings", "|", "Checked"))]
    if about_input:
        return about_input[0]
    return next((line for line in lines if any(f in line for f in expect)), lines[0] if lines else "")


def main() -> None:
    print("| case | command | exit | s | what it printed |")
    print("|---|---|---:|---:|---|")
    for case in hostile.ROWS:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch) / "project"
            hostile._build(root, case)
            code, output, took = hostile.run_isolated(case.args, root, timeout=case.seconds + 10)
        line = _key_line(output, case.expect).replace("|", "\\|")
        print(f"| {case.id} | `{' '.join(case.args)}` | {code} | {took:.1f} | {line} |", flush=True)


if __name__ == "__main__":
    main()
