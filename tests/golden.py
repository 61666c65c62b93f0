"""Golden files, in one layout: tests/golden/COMMAND/FIXTURE.FORMAT.SUFFIX.

`assert_golden` compares an output with its golden file; `assert_generated` does the same for a
checked-in file the tool generates (schemas/, the README's rule table). `UPDATE_GOLDEN=1 pytest`
rewrites them instead; review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
#: The file suffix of each output format.
SUFFIX = {"text": "txt", "json": "json", "sarif": "json", "github": "txt", "junit": "xml", "gitlab": "json",
          "markdown": "md", "csv": "csv", "html": "html"}


def golden_name(command: str, fixture: str, fmt: str) -> str:
    """The golden file of `command --format fmt` run on `fixture`."""
    return f"{command}/{fixture}.{fmt}.{SUFFIX[fmt]}"


def assert_generated(path: Path, actual: str) -> None:
    """`actual` is exactly the content of `path`; `UPDATE_GOLDEN=1` rewrites `path` instead."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing; run the tests with UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; review it and run with UPDATE_GOLDEN=1 if intended"


def assert_golden(name: str, actual: str) -> None:
    """`actual` is exactly tests/golden/NAME."""
    assert_generated(GOLDEN / name, actual)
