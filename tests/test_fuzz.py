"""Property tests (issue 15): generated and mutated sources and policies never crash, hang or abort a run.

Sources come from a small grammar (nested calls, strings, PEP 701 f-strings, `match`, PEP 695
generics, Python 2 `print`, the SDK calls the tool looks for) and are then mutated the way files
in the wild are (BOMs, CRLF and CR line ends, form feeds, NUL bytes, coding cookies, flipped
bytes, truncation). Policies are built from the policy schema's own keys with values of every
type (infinities, huge numbers, regexes, gitignore patterns, anchors), then mutated as text.

Every property runs a fixed number of derandomized examples with a per-example deadline, so the
file is deterministic and stays under a minute. Cases the fuzzer found are pinned as explicit
rows in tests/test_hostile_inputs.py.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oberhahn_policy.cli import main
from oberhahn_policy.extract._guard import check_parseable
from oberhahn_policy.policy import PolicyLoadError, load_policy_text, policy_json_schema

#: No shrinking: a failure is reported at once with the example as generated (shrinking these can take minutes).
FUZZ = settings(max_examples=150, deadline=5000, derandomize=True, database=None, report_multiple_bugs=False,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
EXIT_CODES = {0, 1, 2}
OK = ("import openai\nclient = openai.OpenAI()\n"
      "client.chat.completions.create(model='gpt-4o', messages=[], max_tokens=10)\n")

# --- Python sources -------------------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "x", "client", "self.client", "openai", "MODEL", "settings.llm.model", "os.environ"])
NUMBERS = st.one_of(st.integers(-10**6, 10**6).map(str), st.sampled_from(["1e309", "-1e309", "0x1F", "1_000", "10" + "0" * 400,
                                                                          "1.5", "0o17", "1j", "float('nan')"]))
QUOTES = st.sampled_from(["'", '"', "'''", '"""'])
PREFIXES = st.sampled_from(["", "r", "b", "u", "f", "rb", "F", "fr"])


@st.composite
def string_literal(draw: st.DrawFn) -> str:
    quote, prefix = draw(QUOTES), draw(PREFIXES)
    body = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\\'\"{}\r\n\x00"),
                        max_size=12))
    if "b" in prefix.lower():
        body = body.encode("ascii", "ignore").decode()
    return f"{prefix}{quote}{body}{quote}"


def _expressions() -> st.SearchStrategy[str]:
    atoms = st.one_of(NAMES, NUMBERS, string_literal(), st.sampled_from(["None", "True", "...", "[]", "{}"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "|", "and", "or", "<", "in", "%", "@"]), inner)
            .map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            st.tuples(NAMES, st.lists(inner, max_size=3), st.lists(st.tuples(st.sampled_from(["model", "max_tokens", "metadata"]), inner),
                                                                  max_size=2))
            .map(lambda t: f"{t[0]}({', '.join(t[1] + [f'{k}={v}' for k, v in t[2]])})"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
            inner.map(lambda e: f"({e})"),
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(st.tuples(string_literal(), inner), max_size=3).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
            inner.map(lambda e: f"lambda: {e}"),
            st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
            inner.map(lambda e: 'f"{' + e.replace("\n", " ") + '}"'),               # PEP 701: any quotes inside
            inner.map(lambda e: f"f'{{{e.replace(chr(10), ' ')}!r:>{{10}}}}'"),
            st.lists(string_literal(), min_size=2, max_size=6).map(lambda s: "(" + " ".join(s) + ")"),  # adjacent strings
            inner.map(lambda e: f"not {e}"),
            inner.map(lambda e: f"await {e}"),
        )

    return st.recursive(atoms, extend, max_leaves=12)


#: Shapes that stress the parser, applied once at the top (nested inside each other they would explode in size).
EXPRESSIONS = st.one_of(
    _expressions(),
    st.tuples(_expressions(), st.integers(1, 180)).map(lambda t: "(" * t[1] + t[0] + ")" * t[1]),   # below CPython's limit
    st.tuples(_expressions(), st.integers(2, 800)).map(lambda t: " + ".join([t[0]] * t[1])),         # long chains
    st.integers(2, 3000).map(lambda n: "(" + " ".join(["'a'"] * n) + ")"),                        # many adjacent strings
)


def expressions() -> st.SearchStrategy[str]:
    return EXPRESSIONS


SDK_CALL = st.tuples(expressions(), expressions()).map(
    lambda t: f"client.chat.completions.create(model={t[0]}, messages=[], max_tokens={t[1]}, metadata={{'team': 'a'}})")


@st.composite
def statement(draw: st.DrawFn) -> str:
    expression = draw(expressions())
    kind = draw(st.integers(0, 13))
    if kind == 0:
        return f"x = {expression}"
    if kind == 1:
        return draw(SDK_CALL)
    if kind == 2:
        return f"def f[T](a: T = {expression}) -> T:\n    return {draw(SDK_CALL)}"
    if kind == 3:
        return f"type Alias[T] = list[T] | {draw(NAMES)}"
    if kind == 4:
        return (f"match {expression}:\n    case [1, *rest] if rest:\n        pass\n    case {{'k': v}}:\n        y = v\n"
                "    case Point(x=0) | None:\n        pass\n    case _:\n        pass")
    if kind == 5:
        return f"print {expression}"                                             # Python 2
    if kind == 6:
        return f"class C[T](Base):\n    MODEL = {expression}\n    def run(self):\n        return {draw(SDK_CALL)}"
    if kind == 7:
        return f"@decorator({expression})\nasync def g():\n    async with x as y:\n        await {draw(SDK_CALL)}"
    if kind == 8:
        depth = draw(st.integers(1, 60))
        return "".join("    " * i + "if x:\n" for i in range(depth)) + "    " * depth + f"y = {expression}"
    if kind == 9:
        return f"for i in range(10):\n    {draw(SDK_CALL)}"
    if kind == 10:
        return "exec 'code'\nprint >>sys.stderr, `x`"                          # Python 2
    if kind == 11:
        return f"from app.settings import MODEL\nLIMIT = {expression}"
    if kind == 12:
        return f"with open('p.md') as f:\n    PROMPT = f.read() + {expression}"
    return f"x: int = {expression}  # oberhahn: ignore[OBH101] reason"


SOURCES = st.lists(statement(), min_size=1, max_size=6).map(
    lambda statements: "import openai\nimport os\nclient = openai.OpenAI()\n" + "\n".join(statements) + "\n")


@st.composite
def mutated(draw: st.DrawFn, sources: st.SearchStrategy[str] = SOURCES) -> bytes:
    data = draw(sources).encode("utf-8")
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 10))
        if kind == 0:
            data = b"\xef\xbb\xbf" + data
        elif kind == 1:
            data = data.replace(b"\n", b"\r\n")
        elif kind == 2:
            data = data.replace(b"\n", b"\r")
        elif kind == 3:
            position = draw(st.integers(0, len(data)))
            data = data[:position] + b"\x0c" + data[position:]
        elif kind == 4:
            position = draw(st.integers(0, len(data)))
            data = data[:position] + b"\x00" + data[position:]
        elif kind == 5:
            cookie = draw(st.sampled_from([b"utf-8", b"latin-1", b"ascii", b"utf-16", b"klingon", b"cp1252"]))
            data = b"# -*- coding: " + cookie + b" -*-\n" + data
        elif kind == 6 and data:
            position = draw(st.integers(0, len(data) - 1))
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
        elif kind == 7:
            data = data[:draw(st.integers(0, len(data)))]
        elif kind == 8:
            data = data.replace(b"    ", b"\t")
        elif kind == 9:
            data = draw(st.binary(max_size=200)) + data
        else:
            depth = draw(st.integers(150, 2500))                                 # beyond what libcst survives
            data += b"\nz = " + b"(" * depth + b"1" + b")" * depth + b"\n"
    return data


@FUZZ
@given(mutated())
def test_guard_then_libcst_never_crash_or_stall(source: bytes) -> None:
    """What the guard lets through, libcst parses (or reports as a syntax error) quickly; nothing else escapes."""
    start = time.monotonic()
    problem = check_parseable(source)
    assert time.monotonic() - start < 1.0
    if problem is not None:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
        return
    start = time.monotonic()
    try:
        cst.parse_module(source)
    except (cst.ParserSyntaxError, cst.CSTValidationError):
        pass  # both are syntax errors (`'a' b'b'` is the second kind), reported as OBH001 by extraction
    assert time.monotonic() - start < 3.0


def _run(args: list[str], files: dict[str, bytes]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / ".git").mkdir()
        for name, content in files.items():
            (root / name).write_bytes(content)
        previous = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, args, catch_exceptions=True)
        finally:
            os.chdir(previous)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"
    return result.exit_code, output


@settings(FUZZ, max_examples=60)
@given(mutated())
def test_check_survives_any_source(source: bytes) -> None:
    start = time.monotonic()
    code, output = _run(["check", ".", "--no-cache", "--jobs", "1"], {"ok.py": OK.encode(), "gen.py": source})
    assert code in EXIT_CODES, output
    assert "internal error" not in output and "Traceback" not in output, output
    assert "ok.py:3:1: OBH101" in output, output  # the run went on past the generated file
    assert time.monotonic() - start < 5.0


# --- policies -------------------------------------------------------------------------------------


def _schema_keys() -> dict[str, list[str]]:
    """Section -> its keys, from the published schema (so new fields are fuzzed without editing this file)."""
    schema = policy_json_schema()
    keys: dict[str, list[str]] = {"": list(schema.get("properties", {}))}
    for name, definition in schema.get("$defs", {}).items():
        keys[name] = list(definition.get("properties", {}))
    return keys


SCHEMA_KEYS = _schema_keys()
ALL_KEYS = sorted({k for keys in SCHEMA_KEYS.values() for k in keys})
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), st.integers(10**15, 10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
    st.sampled_from(["^(a+)+$", "(a)\\1", "[a-", "\\", "**/*.py", "tests/**", "!x", "gpt-*", "teams", "use_cases",
                     "error", "warning", "allow", "deny", "body", "header", "v[0-9]+", "*-preview", "(?=x)"]),
)


def _policy_value(depth: int = 0) -> st.SearchStrategy[Any]:
    if depth >= 3:
        return VALUES
    return st.one_of(
        VALUES,
        st.lists(st.deferred(lambda: _policy_value(depth + 1)), max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(ALL_KEYS), st.text(min_size=1, max_size=6)),
                        st.deferred(lambda: _policy_value(depth + 1)), max_size=4),
    )


POLICIES = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 1, 1, 2, "1"])},
    optional={key: _policy_value() for key in SCHEMA_KEYS[""] if key not in ("version", "extends")},
)


@st.composite
def policy_text(draw: st.DrawFn) -> str:
    text = yaml.safe_dump(draw(POLICIES), sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.integers(0, 7))
        if kind == 0:
            text = "base: &b {monthly_budget_usd: 5}\n" + text.replace("{}", "*b", 1)
        elif kind == 1:
            text = text.replace(": ", ": !!set ", 1)
        elif kind == 2:
            text += "teams:\n  1: {}\n"
        elif kind == 3:
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(st.sampled_from(["\x00", "\t", ": ", "- ", "&a ", "*a", "[", "{", "\ufeff", "<<: "])) + text[position:]
        elif kind == 4:
            text += "teams: &t {a: *t}\n"
        elif kind == 5:
            text = text[:draw(st.integers(0, len(text)))]
        elif kind == 6:
            text += "x: " + "[" * draw(st.integers(1, 3000)) + "\n"
        else:
            text = text.replace("1", ".inf", 1)
    return text


@FUZZ
@given(policy_text())
def test_policy_loading_fails_only_with_policy_errors(text: str) -> None:
    start = time.monotonic()
    try:
        loaded = load_policy_text(text, "fuzz.yaml")
    except PolicyLoadError as exc:
        assert exc.errors and all(str(e).startswith("fuzz.yaml:") for e in exc.errors), exc.errors
    else:
        assert loaded.policy.version == 1
    assert time.monotonic() - start < 2.0


@settings(FUZZ, max_examples=80)
@given(policy_text())
def test_check_and_cost_survive_any_policy(text: str) -> None:
    files = {"ok.py": OK.encode(), "oberhahn-policy.yaml": text.encode("utf-8", "surrogatepass")}
    for args in (["validate"], ["check", ".", "--no-cache", "--jobs", "1"], ["cost", ".", "--format", "json", "--no-cache"]):
        code, output = _run(args, files)
        assert code in EXIT_CODES, (args, output)
        assert "internal error" not in output and "Traceback" not in output, (args, output)
        assert "Infinity" not in output and "NaN" not in output, (args, output)


@pytest.mark.parametrize("data", [b"\x00", b"\xff\xfe\x00", bytes(range(256)), b"version: 1\n" + bytes(range(32))])
def test_validate_survives_arbitrary_policy_bytes(data: bytes) -> None:
    code, output = _run(["validate"], {"oberhahn-policy.yaml": data})
    assert code == 2 and "internal error" not in output and "Traceback" not in output, output
