"""The libcst edits `fix` makes, row by row: added code follows the call's own layout, and nothing else moves."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from oberhahn_policy.fix._edits import Refusal, Style, edit_path, lookup, merge_entries


def _call(source: str) -> tuple[cst.Module, cst.Call]:
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    statement = module.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    expression = statement.body[0]
    value = expression.value if isinstance(expression, (cst.Expr, cst.Assign)) else None
    assert isinstance(value, cst.Call)
    return module, value


def _replaced(module: cst.Module, old: cst.Call, new: cst.Call) -> str:
    class Swap(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            return new if original_node is old else updated_node

    return module.visit(Swap()).code


def _set_limit(source: str, path: str, value: int = 512) -> str | Refusal:
    module, call = _call(source)
    style = Style.of(call)
    edited = edit_path(call, path.split("."), lambda present: cst.Integer(str(value)), style)
    if isinstance(edited, Refusal):
        return edited
    assert isinstance(edited, cst.Call)
    return _replaced(module, call, edited)


ADD_ARGUMENT = [
    ("one line", "f(a=1, b=2)\n", "f(a=1, b=2, max_tokens=512)\n"),
    ("no arguments", "f()\n", "f(max_tokens=512)\n"),
    ("spaces around =", "f(a = 1)\n", "f(a = 1, max_tokens = 512)\n"),
    ("one per line, trailing comma, comment on the last line stays there",
     """
     f(
         a=1,
         b=2,  # note
     )
     """,
     """
     f(
         a=1,
         b=2,  # note
         max_tokens=512,
     )
     """),
    ("one per line, no trailing comma",
     """
     f(
         a=1,
         b=2  # note
     )
     """,
     """
     f(
         a=1,
         b=2,  # note
         max_tokens=512
     )
     """),
    ("hanging indent",
     """
     x = client.create(a=1,
                       b=2)
     """,
     """
     x = client.create(a=1,
                       b=2,
                       max_tokens=512)
     """),
    ("a single argument on its own line",
     """
     f(
         a=1,
     )
     """,
     """
     f(
         a=1,
         max_tokens=512,
     )
     """),
    ("a comment line before the closing bracket stays above the new argument",
     """
     f(
         a=1,
         # more to come
     )
     """,
     """
     f(
         a=1,
         # more to come
         max_tokens=512,
     )
     """),
    ("tabs",
     "if x:\n\tf(\n\t\ta=1,\n\t)\n",
     "if x:\n\tf(\n\t\ta=1,\n\t\tmax_tokens=512,\n\t)\n"),
]


@pytest.mark.parametrize(("case", "before", "after"), ADD_ARGUMENT, ids=[row[0] for row in ADD_ARGUMENT])
def test_added_argument_follows_the_layout(case: str, before: str, after: str) -> None:
    if case == "tabs":
        module = cst.parse_module(before)
        call = module.body[0].body.body[0].body[0].value  # type: ignore[attr-defined]
        edited = edit_path(call, ["max_tokens"], lambda present: cst.Integer("512"), Style.of(call))
        assert isinstance(edited, cst.Call)
        assert _replaced(module, call, edited) == after
        return
    assert _set_limit(before, "max_tokens") == textwrap.dedent(after).lstrip("\n")


VALUE_PATHS = [
    ("merged into a dict literal", 'c.converse(inferenceConfig={"temperature": 0})\n', "inferenceConfig.maxTokens",
     'c.converse(inferenceConfig={"temperature": 0, "maxTokens": 512})\n'),
    ("created as a dict", "c.converse(modelId=m)\n", "inferenceConfig.maxTokens",
     'c.converse(modelId=m, inferenceConfig={"maxTokens": 512})\n'),
    ("a None placeholder is replaced", "c.converse(modelId=m, inferenceConfig=None)\n", "inferenceConfig.maxTokens",
     'c.converse(modelId=m, inferenceConfig={"maxTokens": 512})\n'),
    ("keyword of a config constructor", "c.generate(config=types.GenerateContentConfig(temperature=0))\n",
     "config.max_output_tokens", "c.generate(config=types.GenerateContentConfig(temperature=0, max_output_tokens=512))\n"),
    ("inside json.dumps", "c.invoke_model(body=json.dumps({'max_tokens': 4096}))\n", "body.max_tokens",
     "c.invoke_model(body=json.dumps({'max_tokens': 512}))\n"),
    ("inside json.dumps(...).encode()", "c.invoke_model(body=json.dumps({'a': 1}).encode())\n", "body.max_tokens",
     "c.invoke_model(body=json.dumps({'a': 1, 'max_tokens': 512}).encode())\n"),
    ("an existing literal is replaced", "c.create(max_tokens=4096)\n", "max_tokens", "c.create(max_tokens=512)\n"),
]


@pytest.mark.parametrize(("case", "before", "path", "after"), VALUE_PATHS, ids=[row[0] for row in VALUE_PATHS])
def test_value_paths(case: str, before: str, path: str, after: str) -> None:
    assert _set_limit(before, path) == after


REFUSED = [
    ("a container in a name", "c.generate(config=cfg)\n", "config.max_output_tokens", "`config` is `cfg`"),
    ("a container built by a function", "c.generate(config=make_config(t=0))\n", "config.max_output_tokens",
     "`config` is `make_config(t=0)`"),
    ("a body in a name", "c.invoke_model(body=json.dumps(payload))\n", "body.max_tokens", "`body` is `json.dumps(payload)`"),
    ("a dict merging another", "c.converse(inferenceConfig={**base, 'topP': 1})\n", "inferenceConfig.maxTokens",
     "merges `**base`"),
    ("a dict with a computed key", "c.converse(inferenceConfig={key: 1})\n", "inferenceConfig.maxTokens",
     "not a string literal"),
    ("a positional argument can't be created", "c.chat()\n", "#1", "can't be passed as a keyword"),
]


@pytest.mark.parametrize(("case", "before", "path", "reason"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused_edits_say_why(case: str, before: str, path: str, reason: str) -> None:
    outcome = _set_limit(before, path)
    assert isinstance(outcome, Refusal)
    assert reason in outcome.reason


def test_lookup_reads_only_what_is_written_at_the_call() -> None:
    _, call = _call("c.converse(inferenceConfig={'maxTokens': 300}, requestMetadata=meta)\n")
    found = lookup(call, ["inferenceConfig", "maxTokens"])
    assert isinstance(found, cst.Integer) and found.value == "300"
    assert lookup(call, ["temperature"]) is None
    assert isinstance(lookup(call, ["requestMetadata", "team"]), Refusal)


MERGES = [
    ('{"a": "1"}', '{"a": "1", "team": "platform"}'),
    ("{}", '{"team": "platform"}'),
    ("{'a': '1'}", "{'a': '1', 'team': 'platform'}"),
    ('{\n    "a": "1",  # why\n}', '{\n    "a": "1",  # why\n    "team": "platform",\n}'),
]


@pytest.mark.parametrize(("before", "after"), MERGES)
def test_dict_merges_keep_the_layout_and_quotes(before: str, after: str) -> None:
    module = cst.parse_module(f"f(metadata={before})\n")
    call = module.body[0].body[0].value  # type: ignore[attr-defined]
    style = Style.of(call)
    mapping = call.args[0].value
    merged = merge_entries(mapping, [("team", style.string("platform"))], style)
    assert isinstance(merged, cst.Dict)
    assert module.code_for_node(merged) == after


def test_a_key_already_present_is_not_added_twice() -> None:
    mapping = cst.parse_expression('{"team": "a"}')
    assert isinstance(mapping, cst.Dict)
    assert isinstance(merge_entries(mapping, [("team", cst.SimpleString('"b"'))], Style()), Refusal)


@pytest.mark.parametrize(("quote", "text", "literal"), [
    ('"', 'say "hi"', '"say \\"hi\\""'),
    ("'", "it's", "'it\\'s'"),
    ('"', "back\\slash", '"back\\\\slash"'),
    ('"', "line\nbreak", '"line\\x0abreak"'),
    ('"', "café", '"café"'),
])
def test_strings_are_escaped_for_their_quotes(quote: str, text: str, literal: str) -> None:
    node = Style(quote=quote).string(text)
    assert node.value == literal
    assert node.evaluated_value == text
