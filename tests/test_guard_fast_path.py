"""The guard's fast path (`plainly_safe`) never clears a file the token scan would refuse.

`check_parseable` first asks `plainly_safe`, an over-estimate from regular expressions (about 20 times
cheaper than tokenizing), and runs the token scan only for files it can't clear. The property checked
here: whenever the fast path says safe, the token scan finds nothing either — over every hostile row,
every fixture and example file, and generated sources (tests/test_fuzz.py's grammar and mutations).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from test_fuzz import FUZZ, mutated
from test_hostile_inputs import GUARD_ROWS

from oberhahn_policy.extract import MAX_FILE_BYTES
from oberhahn_policy.extract._guard import GuardProblem, source_text, _Scanner, plainly_safe

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p for group in ("oberhahn_policy", "tests", "examples") for p in (REPO / group).rglob("*.py"))


def _agrees(source: bytes) -> None:
    """If the fast path clears the text, the token scan finds nothing in it either."""
    if len(source) > MAX_FILE_BYTES:
        return  # refused before either looks at it
    text = source_text(source)
    if isinstance(text, GuardProblem):
        return  # refused before either looks at it (the encoding)
    if plainly_safe(text):
        assert _Scanner().scan(text) is None


@pytest.mark.parametrize(("source", "fragment"), [pytest.param(s, f, id=i) for i, s, f in GUARD_ROWS])
def test_fast_path_never_clears_a_hostile_row(source: bytes, fragment: str | None) -> None:
    _agrees(source)


# (id, source, plainly safe)
SHAPES = [
    ("ordinary code", "import os\n\ndef f(a, b=1):\n    return os.path.join(a, str(b))\n", True),
    ("30 brackets deep", "x = " + "(" * 30 + "1" + ")" * 30 + "\n", True),
    ("31 brackets deep", "x = " + "(" * 31 + "1" + ")" * 31 + "\n", False),
    ("100 links in a chain", "x = " + " + ".join(["a"] * 101) + "\n", True),
    ("101 links in a chain", "x = " + " + ".join(["a"] * 102) + "\n", False),
    ("101 links over several lines in brackets", "x = (" + " +\n".join(["a"] * 102) + ")\n", False),
    ("101 statements of one link", "".join(f"x{i} = a.b\n" for i in range(101)), True),
    ("a chain split by commas", "f(" + ", ".join(["a.b"] * 200) + ")\n", True),
    ("a chain continued with backslashes", "x = " + " + \\\n".join(["a"] * 102) + "\n", False),
    ("brackets and operators in strings and comments", "x = '((((.....' + \"))))\"  # ((((((((\n" * 5, True),
    ("an f-string field", 'x = f"{a.b(c)} and {{literal}}"\n', True),
    ("31 brackets deep in an f-string field", 'x = f"{' + "(" * 31 + "1" + ")" * 31 + '}"\n', False),
    ("a stray quote", "x = 'unterminated\n", False),
    ("unbalanced brackets", "x = (1\n", False),
    ("a triple-quoted docstring", 'def f():\n    """A ((( docstring\n    over lines."""\n', True),
]


@pytest.mark.parametrize(("name", "source", "safe"), SHAPES, ids=[s[0] for s in SHAPES])
def test_fast_path_shapes(name: str, source: str, safe: bool) -> None:
    assert plainly_safe(source) is safe
    _agrees(source.encode())


def test_fast_path_agrees_on_every_repository_file() -> None:
    cleared = 0
    for path in FILES:
        _agrees(path.read_bytes())
        text = source_text(path.read_bytes())
        cleared += isinstance(text, str) and plainly_safe(text)
    assert cleared > 0.9 * len(FILES)  # the fast path is what runs for ordinary code


@FUZZ
@given(mutated())
def test_fast_path_agrees_on_generated_sources(source: bytes) -> None:
    _agrees(source)
