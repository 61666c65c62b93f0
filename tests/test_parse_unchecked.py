"""Parsing without libcst's node checks (`extract/_parse.py`): the same trees, only for code Python compiles,
and the checks back on afterwards."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from oberhahn_policy.extract import ExtractionInputs, extract_source
from oberhahn_policy.extract._parse import parse_module
from oberhahn_policy.surface import load_surface

REPO = Path(__file__).resolve().parent.parent
FIXTURE_FILES = sorted(p for group in ("tests/corpus", "tests/holdout", "examples") for p in (REPO / group).rglob("*.py"))


def test_unchecked_trees_are_the_checked_trees() -> None:
    for path in FIXTURE_FILES:
        source = path.read_bytes()
        try:
            checked = parse_module(source)
        except cst.ParserSyntaxError:
            continue
        unchecked = parse_module(source, checked=False)
        assert unchecked.deep_equals(checked), path
        assert unchecked.code == checked.code


def test_the_checks_are_back_after_an_unchecked_parse_even_a_failed_one() -> None:
    parse_module(b"x = 1\n", checked=False)
    with pytest.raises(cst.ParserSyntaxError):
        parse_module(b"def (:\n", checked=False)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_code_python_refuses_is_parsed_with_every_check() -> None:
    """`'a' b'b'`: libcst's parser takes it, its checks refuse to build the tree, Python refuses it too; a worker
    (unchecked_nodes) reports the syntax error as one process does."""
    source = b"import openai\nc = openai.OpenAI()\nc.chat.completions.create(model='m')\nx = 'a' b'b'\n"
    inputs = ExtractionInputs(load_surface())
    one = extract_source("app.py", source, "app", inputs)
    worker = extract_source("app.py", source, "app", inputs, unchecked_nodes=True)
    assert one.problem is not None and "syntax error" in one.problem.message
    assert worker == one
