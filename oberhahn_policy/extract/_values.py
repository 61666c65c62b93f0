"""Static evaluation of expressions: literals, constants, env defaults, f-strings, `**` dicts.

The evaluator never guesses: what it cannot know it returns as unknown, with the source text
and, where the expression names an imported project constant, a reference for the resolve step.
"""

from __future__ import annotations

import ast
import math
from typing import Callable, Protocol

import libcst as cst

from ..callsite import Scalar, StaticValue

_MAX_DEPTH = 12
#: Integers beyond this are no model setting (and `9**9**9`-like products would take minutes to compute).
_MAX_INT = 10**18


def _number(value: int | float) -> int | float | None:
    """A number the code can mean; None (unknown) for infinities, NaN and absurdly large integers (`1e309`)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value if -_MAX_INT <= value <= _MAX_INT else None


class NameEnvironment(Protocol):
    """What the evaluator needs from the file reader: where names are bound."""

    def binding_of(self, node: cst.Name | cst.Attribute, depth: int) -> cst.BaseExpression | str | None:
        """The expression a name is bound to, or the qualified name it imports, or None."""

    def code(self, node: cst.CSTNode) -> str:
        """Source text of a node."""

    def evaluator_for(self, node: cst.BaseExpression) -> Evaluator | None:
        """An evaluator for the scope a bound expression was written in, when it isn't this one."""


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
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


class Evaluator:
    """Evaluates expressions of one file against its bindings."""

    def __init__(self, env: NameEnvironment, qualify: Callable[[cst.BaseExpression], str | None]) -> None:
        self._env = env
        self._qualify = qualify

    def value(self, node: cst.BaseExpression, depth: int = 0) -> StaticValue:
        """The StaticValue of an expression."""
        text = self._env.code(node)
        scalar, reference = self._scalar(node, depth)
        if scalar is not None:
            return StaticValue(expression=text, value=scalar, known=True)
        if reference is None:
            parts = self._pieces(node, depth)
            if parts:
                return StaticValue(expression=text, parts=parts)
        return StaticValue(expression=text, reference=reference)

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
        """Follow names to the expression they are bound to (for stepping into dicts and configs)."""
        while depth < _MAX_DEPTH and isinstance(node, (cst.Name, cst.Attribute)):
            bound = self._env.binding_of(node, depth)
            if not isinstance(bound, cst.BaseExpression):
                break
            node = bound
            depth += 1
        return node

    def _scalar(self, node: cst.BaseExpression, depth: int) -> tuple[Scalar | None, str | None]:
        if depth > _MAX_DEPTH:
            return None, None
        literal = string_literal(node)
        if literal is not None:
            return literal, None
        if isinstance(node, cst.Integer):
            try:
                return _number(int(node.evaluated_value)), None
            except (SyntaxError, ValueError):  # over Python's 4,300-digit limit for int literals
                return None, None
        if isinstance(node, cst.Float):
            return _number(float(node.evaluated_value)), None
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner, _ = self._scalar(node.expression, depth + 1)
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return -inner, None
            return None, None
        if isinstance(node, cst.Name) and node.value in ("True", "False"):
            return node.value == "True", None
        if isinstance(node, (cst.Name, cst.Attribute)):
            bound = self._env.binding_of(node, depth)
            if isinstance(bound, str):
                return None, bound  # an imported name: the resolve step may know it
            if isinstance(bound, cst.BaseExpression):
                elsewhere = self._env.evaluator_for(bound)
                if elsewhere is not None:
                    return elsewhere._scalar(bound, depth + 1)
                return self._scalar(bound, depth + 1)
            return None, None
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, depth), None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left, _ = self._scalar(node.left, depth + 1)
            right, _ = self._scalar(node.right, depth + 1)
            if isinstance(left, str) and isinstance(right, str):
                return left + right, None
            if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool):
                return _number(left + right), None
            return None, None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
            left, _ = self._scalar(node.left, depth + 1)
            right, _ = self._scalar(node.right, depth + 1)
            if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool):
                return _number(left * right), None
            return None, None
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            # `model or DEFAULT_MODEL`: the fallback applies when the left side is None or empty
            followed = self.follow(node.left, depth + 1)
            if isinstance(followed, cst.Name) and followed.value == "None":
                return self._scalar(node.right, depth + 1)
            if isinstance(followed, cst.Call) and len(followed.args) == 1 \
                    and self._qualify(followed.func) in ("os.getenv", "os.environ.get"):
                # `os.getenv("MODEL") or "gpt-4o"`: the code's own fallback, like an env default
                return self._scalar(node.right, depth + 1)
            value, _ = self._scalar(node.left, depth + 1)
            if value is None:
                return None, None
            return (value, None) if value else self._scalar(node.right, depth + 1)
        if isinstance(node, cst.Call):
            return self._call(node, depth)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, depth)
        return None, None

    def _fstring(self, node: cst.FormattedString, depth: int) -> str | None:
        pieces: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
                continue
            if not isinstance(part, cst.FormattedStringExpression) or part.format_spec or part.conversion:
                return None
            value, _ = self._scalar(part.expression, depth + 1)
            if value is None or isinstance(value, bool):
                return None
            pieces.append(str(value))
        return "".join(pieces)

    def _call(self, node: cst.Call, depth: int) -> tuple[Scalar | None, str | None]:
        name = self._qualify(node.func)
        # Defaults of environment lookups: the code's own fallback is its statically known value.
        if name in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            if len(node.args) >= 2:
                return self._scalar(node.args[1].value, depth + 1)
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    return self._scalar(arg.value, depth + 1)
            return None, None
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args \
                and name not in ("os.environ.get",):
            # `MODELS.get("triage", "gpt-4o-mini")` on a dict literal
            container = self.follow(node.func.value, depth + 1)
            if isinstance(container, cst.Dict):
                key, _ = self._scalar(node.args[0].value, depth + 1)
                if key is None:
                    return None, None
                for element in container.elements:
                    if not isinstance(element, cst.DictElement):
                        return None, None
                    element_key, _ = self._scalar(element.key, depth + 1)
                    if element_key == key:
                        return self._scalar(element.value, depth + 1)
                return self._scalar(node.args[1].value, depth + 1) if len(node.args) > 1 else (None, None)
            return None, None
        if name is not None and name.rsplit(".", 1)[-1] in ("Field", "field"):
            # pydantic `Field("gpt-4o", ...)` / dataclass `field(default="gpt-4o")`: the default is the value
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    return self._scalar(arg.value, depth + 1)
            if node.args and node.args[0].keyword is None and not node.args[0].star:
                return self._scalar(node.args[0].value, depth + 1)
            return None, None
        if name in ("str", "int") and len(node.args) == 1:
            inner, ref = self._scalar(node.args[0].value, depth + 1)
            if inner is None:
                return None, ref
            try:
                return (str(inner) if name == "str" else int(inner)), None
            except (TypeError, ValueError, OverflowError):  # int(inf), int(nan)
                return None, None
        if name in ("textwrap.dedent", "inspect.cleandoc") and len(node.args) == 1:
            inner, _ = self._scalar(node.args[0].value, depth + 1)
            if isinstance(inner, str):
                import inspect
                import textwrap

                return (textwrap.dedent(inner) if name == "textwrap.dedent" else inspect.cleandoc(inner)), None
        return None, None

    def _subscript(self, node: cst.Subscript, depth: int) -> tuple[Scalar | None, str | None]:
        # Constant tables: MODELS["triage"]
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None, None
        key_node = node.slice[0].slice.value
        key, _ = self._scalar(key_node, depth + 1)
        container = self.follow(node.value, depth + 1)
        if key is not None and isinstance(container, cst.Dict):
            for element in container.elements:
                if isinstance(element, cst.DictElement):
                    element_key, _ = self._scalar(element.key, depth + 1)
                    if element_key == key:
                        return self._scalar(element.value, depth + 1)
        if isinstance(key, int) and isinstance(container, (cst.List, cst.Tuple)):
            elements = container.elements
            if -len(elements) <= key < len(elements):
                return self._scalar(elements[key].value, depth + 1)
        return None, None
