"""Static evaluation of expressions: literals, constants, env defaults, f-strings, `**` dicts.

The evaluator never guesses: what it cannot know it returns as unknown, with the source text
and, where the expression names an imported project constant, a reference for the resolve step.
What it knows only as a default (a parameter's default, an environment variable's default, the
right side of `x or DEFAULT`) it returns with that provenance, and where branches assign different
values it returns the set of them. Dicts and lists (attribution carriers, settings tables) it reads as
far as they are known, leaving pieces that name other modules' constants to the resolve step
(`_structures.StructureReader`).
"""

from __future__ import annotations

import ast
import inspect
import math
import textwrap
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Protocol

import libcst as cst

from ..callsite import VALUE_SOURCES, Scalar, StaticValue, ValueSource

_MAX_DEPTH = 12
#: Integers beyond this are no model setting (and `9**9**9`-like products would take minutes to compute).
_MAX_INT = 10**18


def _number(value: int | float) -> int | float | None:
    """A number the code can mean; None (unknown) for infinities, NaN and absurdly large integers (`1e309`)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value if -_MAX_INT <= value <= _MAX_INT else None


@dataclass(frozen=True, slots=True)
class Bound:
    """What a name read at one point is bound to: an expression, or an imported qualified name."""

    expression: cst.BaseExpression | None = None
    #: An imported name (`app.config.MODEL`): the resolve step, which sees other modules, may know it.
    qualified: str | None = None
    #: Whether the binding is only a default (of a parameter the callers may pass).
    source: ValueSource = "code"


class NameEnvironment(Protocol):
    """What the evaluator needs from the file reader: where names are bound."""

    def bound(self, node: cst.Name | cst.Attribute, depth: int) -> tuple[Bound, ...]:
        """What the name may be bound to where it is read: nothing known, one binding, or one per branch."""

    def code(self, node: cst.CSTNode) -> str:
        """Source text of a node."""

    def evaluator_for(self, node: cst.BaseExpression) -> Evaluator | None:
        """An evaluator for where a bound expression was written (its scope, before later bindings), when that isn't
        where this one reads."""


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while type(node) is cst.Attribute:  # not `isinstance`: see `Inference._infer`
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def string_literal(node: cst.BaseExpression) -> str | None:
    """The value of a plain or concatenated string literal (not f-strings)."""
    if isinstance(node, cst.SimpleString):
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_literal(node.left), string_literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def weaker(a: ValueSource, b: ValueSource) -> ValueSource:
    """The provenance of a value built from two: a default anywhere makes the whole a default."""
    return a if VALUE_SOURCES.index(a) >= VALUE_SOURCES.index(b) else b


@dataclass(frozen=True, slots=True)
class _Found:
    """What evaluating an expression found out."""

    value: Scalar | None = None
    reference: str | None = None
    #: The values several branches give, when they disagree (each known).
    options: tuple[Scalar, ...] = ()
    source: ValueSource = "code"
    #: The expression is the literal `None` (which `value` can't say).
    none: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None

    def sourced(self, source: ValueSource) -> _Found:
        return self if source == "code" else replace(self, source=weaker(self.source, source))


_UNKNOWN = _Found()


def _combine(found: list[_Found]) -> _Found:
    """One value from the alternatives branches give: known when they agree, the set when all are known but differ."""
    if len(found) == 1:
        return found[0]
    source: ValueSource = "code"
    values: list[Scalar] = []
    for item in found:
        source = weaker(source, item.source)
        if item.known:
            assert item.value is not None
            values.append(item.value)
        elif item.options:
            values.extend(item.options)
        else:
            return _Found(source=source)  # one branch is dynamic: the set is open
    distinct = tuple(dict.fromkeys(values))
    if len(distinct) == 1:
        return _Found(value=distinct[0], source=source)
    return _Found(options=distinct, source=source)


class Evaluator:
    """Evaluates expressions of one file against its bindings."""

    def __init__(self, env: NameEnvironment, qualify: Callable[[cst.BaseExpression, int], str | None],
                 header_builders: Mapping[str, str] | None = None) -> None:
        self._env = env
        self._qualify = qualify
        #: Functions that build gateway headers from keyword arguments -> the header prefix they add.
        self._header_builders: Mapping[str, str] = header_builders or {}

    def value(self, node: cst.BaseExpression, depth: int = 0) -> StaticValue:
        """The StaticValue of an expression."""
        text = self._env.code(node)
        found = self._scalar(node, depth)
        if found.known:
            return StaticValue(expression=text, value=found.value, known=True, source=found.source)
        if found.options:
            return StaticValue(expression=text, options=found.options, source=found.source)
        if found.reference is None:
            parts = self._pieces(node, depth)
            if parts:
                return StaticValue(expression=text, parts=parts)
        return StaticValue(expression=text, reference=found.reference, source=found.source)

    def structure(self, node: cst.BaseExpression, depth: int = 0) -> StaticValue:
        """The value of an expression that may be a dict or a list, read as far as it is known.

        `{"team": "support"}` gives its entries, `["team:support"]` its items; `{**BASE, "use_case": "x"}`,
        `BASE | {...}`, `dict(BASE, k=v)` and `TAGS + [...]` give their pieces merged when each is known here, else
        the pieces (a piece naming another module's constant is a reference for resolve, one that can't be read is
        unknown). Settings fields (`Field(default_factory=lambda: {...})`), copies and `json.dumps(...)` read as the
        dict they hold. Anything else is read as `value` reads it.
        """
        from ._structures import MAX_SHAPE_VALUES, StructureReader  # it builds on this module

        return StructureReader(self).read(node, depth, [MAX_SHAPE_VALUES])

    def _pieces(self, node: cst.BaseExpression, depth: int) -> tuple[StaticValue, ...]:
        """The pieces of an f-string or `+` concatenation when each is known or names a project constant."""
        if depth > _MAX_DEPTH:
            return ()
        node = self.follow(node, depth + 1)
        expressions: list[cst.BaseExpression | str] = []
        if isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    expressions.append(part.value)
                elif isinstance(part, cst.FormattedStringExpression) and not part.format_spec and not part.conversion:
                    expressions.append(part.expression)
                else:
                    return ()
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            expressions = [node.left, node.right]
        else:
            return ()
        pieces: list[StaticValue] = []
        for expression in expressions:
            if isinstance(expression, str):
                pieces.append(StaticValue.literal(expression))
                continue
            piece = self.value(expression, depth + 1)
            if piece.known and isinstance(piece.value, str):
                pieces.append(piece)
            elif piece.reference is not None:
                pieces.append(piece)
            elif piece.parts:
                pieces.extend(piece.parts)
            else:
                return ()
        return tuple(pieces) if any(not p.known for p in pieces) else ()

    def follow(self, node: cst.BaseExpression, depth: int = 0) -> cst.BaseExpression:
        """Follow names to the one expression they are bound to (for stepping into dicts and configs).

        A name that branches bind to different expressions is not followed: which one applies is not known.
        """
        env = self._env
        while depth < _MAX_DEPTH and isinstance(node, (cst.Name, cst.Attribute)):
            bound = env.bound(node, depth)
            if len(bound) != 1 or bound[0].expression is None:
                break
            node = bound[0].expression
            elsewhere = env.evaluator_for(node)  # the next name is read where this expression is written
            if elsewhere is not None:
                env = elsewhere._env
            depth += 1
        return node

    def _scalar(self, node: cst.BaseExpression, depth: int) -> _Found:
        if depth > _MAX_DEPTH:
            return _UNKNOWN
        literal = string_literal(node)
        if literal is not None:
            return _Found(literal)
        if isinstance(node, cst.Integer):
            try:
                return _Found(_number(int(node.evaluated_value)))
            except (SyntaxError, ValueError):  # over Python's 4,300-digit limit for int literals
                return _UNKNOWN
        if isinstance(node, cst.Float):
            return _Found(_number(float(node.evaluated_value)))  # `1e309` is no limit anyone meant
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner = self._scalar(node.expression, depth + 1)
            if isinstance(inner.value, (int, float)) and not isinstance(inner.value, bool):
                return replace(inner, value=-inner.value)
            return _UNKNOWN
        if isinstance(node, cst.Name) and node.value in ("True", "False"):
            return _Found(node.value == "True")
        if isinstance(node, cst.Name) and node.value == "None":
            return _Found(none=True)
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._bound(node, depth)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, depth)
        if isinstance(node, cst.BinaryOperation):
            return self._arithmetic(node, depth)
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return self._fallback(node, depth)
        if isinstance(node, cst.IfExp):
            # `"gpt-4o" if deep else "gpt-4o-mini"`: either, as branches would give
            return _combine([self._scalar(node.body, depth + 1), self._scalar(node.orelse, depth + 1)])
        if isinstance(node, cst.Call):
            return self._call(node, depth)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, depth)
        return _UNKNOWN

    def _bound(self, node: cst.Name | cst.Attribute, depth: int) -> _Found:
        found: list[_Found] = []
        for bound in self._env.bound(node, depth):
            if bound.qualified is not None:
                found.append(_Found(reference=bound.qualified, source=bound.source))
            elif bound.expression is not None:
                elsewhere = self._env.evaluator_for(bound.expression) or self
                found.append(elsewhere._scalar(bound.expression, depth + 1).sourced(bound.source))
            else:
                found.append(_UNKNOWN)
        return _combine(found) if found else _UNKNOWN

    def _arithmetic(self, node: cst.BinaryOperation, depth: int) -> _Found:
        if not isinstance(node.operator, (cst.Add, cst.Multiply)):
            return _UNKNOWN
        left, right = self._scalar(node.left, depth + 1), self._scalar(node.right, depth + 1)
        source = weaker(left.source, right.source)
        a, b = left.value, right.value
        if isinstance(node.operator, cst.Add) and isinstance(a, str) and isinstance(b, str):
            return _Found(a + b, source=source)
        if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and not isinstance(b, bool):
            if max(abs(a), abs(b)) > _MAX_INT:
                return _UNKNOWN
            return _Found(_number(a + b if isinstance(node.operator, cst.Add) else a * b), source=source)
        return _UNKNOWN

    def _fallback(self, node: cst.BooleanOperation, depth: int) -> _Found:
        """`model or DEFAULT_MODEL`: the left side when it is set, else the code's own fallback.

        When the left side is only known to be None or empty by default, or not known at all, the value is
        the fallback, known only as that: the program may well use the left side.
        """
        left = self._scalar(node.left, depth + 1)
        if left.known and left.value:
            return left
        if left.known or left.none:
            return self._scalar(node.right, depth + 1).sourced("fallback" if left.source != "code" else "code")
        followed = self.follow(node.left, depth + 1)
        if isinstance(followed, cst.Call) and self._qualify(followed.func, depth + 1) in ("os.getenv", "os.environ.get"):
            # `os.getenv("MODEL") or "gpt-4o"`: the code's own fallback, like an environment default
            return self._scalar(node.right, depth + 1).sourced("environment default")
        right = self._scalar(node.right, depth + 1)
        return right.sourced("fallback") if right.known or right.options else _UNKNOWN

    def _fstring(self, node: cst.FormattedString, depth: int) -> _Found:
        pieces: list[str] = []
        source: ValueSource = "code"
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
                continue
            if not isinstance(part, cst.FormattedStringExpression) or part.format_spec or part.conversion:
                return _UNKNOWN
            value = self._scalar(part.expression, depth + 1)
            if value.value is None or isinstance(value.value, bool):
                return _UNKNOWN
            source = weaker(source, value.source)
            pieces.append(str(value.value))
        return _Found("".join(pieces), source=source)

    def _call(self, node: cst.Call, depth: int) -> _Found:
        name = self._qualify(node.func, depth + 1)
        # Defaults of environment lookups: the code's own fallback, used when the environment doesn't set one.
        if name in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            default: cst.BaseExpression | None = node.args[1].value if len(node.args) >= 2 else None
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    default = arg.value
            return self._scalar(default, depth + 1).sourced("environment default") if default is not None else _UNKNOWN
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args \
                and name not in ("os.environ.get",):
            return self._dict_get(node, depth)
        if name is not None and name.rsplit(".", 1)[-1] in ("Field", "field"):
            # pydantic `Field("gpt-4o", ...)` / dataclass `field(default="gpt-4o")`: the default is the value
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    return self._scalar(arg.value, depth + 1)
            if node.args and node.args[0].keyword is None and not node.args[0].star:
                return self._scalar(node.args[0].value, depth + 1)
            return _UNKNOWN
        if name in ("str", "int") and len(node.args) == 1:
            inner = self._scalar(node.args[0].value, depth + 1)
            if inner.value is None:
                return _Found(reference=inner.reference, source=inner.source) if inner.reference else _UNKNOWN
            try:
                converted: Scalar = str(inner.value) if name == "str" else int(inner.value)
            except (TypeError, ValueError, OverflowError):  # int(inf), int(nan)
                return _UNKNOWN
            if isinstance(converted, int):
                converted_number = _number(converted)
                if converted_number is None:
                    return _UNKNOWN
                converted = converted_number
            return replace(inner, value=converted)
        if name in ("textwrap.dedent", "inspect.cleandoc") and len(node.args) == 1:
            inner = self._scalar(node.args[0].value, depth + 1)
            if isinstance(inner.value, str):
                text = textwrap.dedent(inner.value) if name == "textwrap.dedent" else inspect.cleandoc(inner.value)
                return replace(inner, value=text)
        return _UNKNOWN

    def _dict_get(self, node: cst.Call, depth: int) -> _Found:
        """`MODELS.get("triage", "gpt-4o-mini")` on a dict literal."""
        assert isinstance(node.func, cst.Attribute)
        container = self.follow(node.func.value, depth + 1)
        if not isinstance(container, cst.Dict):
            return _UNKNOWN
        key = self._scalar(node.args[0].value, depth + 1)
        if key.value is None:
            return _UNKNOWN
        for element in container.elements:
            if not isinstance(element, cst.DictElement):
                return _UNKNOWN
            if self._scalar(element.key, depth + 1).value == key.value:
                return self._scalar(element.value, depth + 1)
        return self._scalar(node.args[1].value, depth + 1) if len(node.args) > 1 else _UNKNOWN

    def _subscript(self, node: cst.Subscript, depth: int) -> _Found:
        # Constant tables: MODELS["triage"]
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return _UNKNOWN
        key = self._scalar(node.slice[0].slice.value, depth + 1).value
        container = self.follow(node.value, depth + 1)
        if key is not None and isinstance(container, cst.Dict):
            for element in container.elements:
                if isinstance(element, cst.DictElement) and self._scalar(element.key, depth + 1).value == key:
                    return self._scalar(element.value, depth + 1)
        if isinstance(key, int) and isinstance(container, (cst.List, cst.Tuple)):
            elements = container.elements
            if -len(elements) <= key < len(elements):
                return self._scalar(elements[key].value, depth + 1)
        return _UNKNOWN
