"""The code a libcst node holds, without its layout: the fields a walk needs, in libcst's own visiting order.

libcst's generic visitor enters every node, whitespace and punctuation included, and rebuilds each one as
it leaves (`_visit_and_replace_children`), which costs several times the parse. The walks of extraction
only look at code, so they read the fields that hold code directly: a `Call`'s `func` and `args`, never its
parentheses or the whitespace around its comma. Layout nodes (whitespace, comments, brackets, operators,
commas) never contain code, so nothing a walk looks for is below them.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator

import libcst as cst

#: Fields that only hold layout: whitespace, comments, brackets, punctuation and operators.
_LAYOUT_FIELDS = frozenset({
    "lpar", "rpar", "lbrace", "rbrace", "lbracket", "rbracket", "comma", "colon", "first_colon", "second_colon",
    "semicolon", "separator", "dot", "relative", "equal", "operator", "leading_lines", "lines_after_decorators",
    "header", "footer", "empty_lines", "trailing_whitespace", "newline", "first_line", "last_line",
    "leading_whitespace", "comment", "trailing_comma", "posonly_ind", "asynchronous", "indent",
    # plain values, never nodes
    "star", "start", "end", "conversion", "encoding", "default_indent", "default_newline",
    "has_trailing_newline",
})

#: Where libcst visits a node's code fields in another order than it declares them (source order: the body of
#: `a if test else b` comes first, decorators before the `def`). Checked against libcst by the tests.
_VISIT_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.Arg: ("keyword", "value"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.TypeAlias: ("name", "type_parameters", "value"),
}

_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def code_fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    """The fields of a node class that may hold code, in the order libcst visits them."""
    found = _FIELDS.get(kind)
    if found is None:
        declared = tuple(f.name for f in dataclasses.fields(kind) if f.name not in _LAYOUT_FIELDS and not f.name.startswith("whitespace"))
        order = _VISIT_ORDER.get(kind)
        found = order if order is not None else declared
        _FIELDS[kind] = found
    return found


def code_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's children that hold code (leaves included: names, strings, numbers), in libcst's visiting order."""
    for name in code_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item
