"""Dicts and lists read as far as they are known: attribution carriers, settings tables, gateway headers.

The structural half of the static evaluator (`_values.Evaluator.structure`): literal dicts and lists,
`**` and `*` merges, `|` and `+`, `dict(BASE, k=v)`, copies and `json.dumps`, settings fields'
defaults and gateway header builders. Scalars inside them are read by the evaluator itself.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..callsite import StaticValue
from ._values import _MAX_DEPTH, Evaluator, weaker

#: How many values (entries, items and pieces, nested ones included) one dict or list may have and still be read:
#: attribution carriers and settings have a handful; larger ones are data tables nobody attributes with.
MAX_SHAPE_VALUES = 128

#: Calls that return their (first) argument's dict or list unchanged, for reading: copies, JSON encodings and
#: read-only views. `json.dumps` keeps the dict readable for the gateways' JSON headers (`x-portkey-metadata`).
_SAME_SHAPE = frozenset({"copy.copy", "copy.deepcopy", "json.dumps", "types.MappingProxyType", "dict", "list", "tuple"})


class StructureReader:
    """Reads one expression's dict or list structure for an evaluator (which reads the scalars in it)."""

    def __init__(self, evaluator: Evaluator) -> None:
        self._evaluator = evaluator

    def read(self, node: cst.BaseExpression, depth: int, budget: list[int]) -> StaticValue:
        """`Evaluator.structure`, with `budget[0]` the values left to read (shared by the pieces of one read)."""
        text = self._evaluator._env.code(node)
        budget[0] -= 1
        if depth > _MAX_DEPTH or budget[0] < 0:
            return StaticValue.unknown(text)
        if isinstance(node, (cst.Name, cst.Attribute)):
            bound = self._evaluator._env.bound(node, depth)
            if len(bound) == 1 and bound[0].qualified is not None:
                return StaticValue(expression=text, reference=bound[0].qualified, source=bound[0].source)
            if len(bound) == 1 and bound[0].expression is not None:
                elsewhere = self._evaluator._env.evaluator_for(bound[0].expression) or self._evaluator
                inner = StructureReader(elsewhere).read(bound[0].expression, depth + 1, budget)
                if inner.shaped or (inner.reference is not None and not inner.parts):
                    return replace(inner, expression=text, source=weaker(inner.source, bound[0].source))
            return self._evaluator.value(node, depth)
        if isinstance(node, cst.Dict):
            return self._dict(node, text, depth, budget)
        if isinstance(node, (cst.List, cst.Tuple)):
            return self._sequence(node, text, depth, budget)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitOr, cst.Add)):
            scalar = self._evaluator.value(node, depth)
            if scalar.known or scalar.parts or scalar.options:
                return scalar  # `PREFIX + "-triage"`: a string
            pieces = [self.read(node.left, depth + 1, budget), self.read(node.right, depth + 1, budget)]
            if any(p.shaped for p in pieces) or all(p.reference is not None for p in pieces):
                return StaticValue.composed(text, pieces)
            return scalar
        if isinstance(node, cst.Call):
            return self._built(node, text, depth, budget)
        return self._evaluator.value(node, depth)

    def _dict(self, node: cst.Dict, text: str, depth: int, budget: list[int]) -> StaticValue:
        pieces: list[StaticValue] = []
        entries: list[tuple[str, StaticValue]] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self._evaluator._scalar(element.key, depth + 1)
                if isinstance(key.value, str):
                    entries.append((key.value, self.read(element.value, depth + 1, budget)))
                    continue
                unread = StaticValue.unknown(self._evaluator._env.code(element))  # a key the code computes: any key
            else:
                inner = self.read(element.value, depth + 1, budget)
                unread = replace(inner, expression=f"**{inner.expression}")
            if entries:
                pieces.append(StaticValue(expression=text, entries=tuple(entries)))
                entries = []
            pieces.append(unread)
        if not pieces:
            return StaticValue(expression=text, entries=tuple(entries))
        if entries:
            pieces.append(StaticValue(expression=text, entries=tuple(entries)))
        return StaticValue.composed(text, pieces)

    def _sequence(self, node: cst.List | cst.Tuple, text: str, depth: int, budget: list[int]) -> StaticValue:
        pieces: list[StaticValue] = []
        items: list[StaticValue] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                if items:
                    pieces.append(StaticValue(expression=text, items=tuple(items)))
                    items = []
                inner = self.read(element.value, depth + 1, budget)
                pieces.append(replace(inner, expression=f"*{inner.expression}"))
            else:
                items.append(self.read(element.value, depth + 1, budget))
        if not pieces:
            return StaticValue(expression=text, items=tuple(items))
        if items:
            pieces.append(StaticValue(expression=text, items=tuple(items)))
        return StaticValue.composed(text, pieces)

    def _built(self, node: cst.Call, text: str, depth: int, budget: list[int]) -> StaticValue:
        """Calls that build or hand on a dict or list: `dict(BASE, k=v)`, copies, `json.dumps`, settings fields."""
        name = self._evaluator._qualify(node.func, depth + 1)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if name is not None and name in self._evaluator._header_builders and not positional:
            # Portkey `createHeaders(metadata={...})`: each keyword becomes a header, `some_name` -> `x-portkey-some-name`
            prefix = self._evaluator._header_builders[name]
            built = tuple((prefix + key.replace("_", "-"), self.read(value, depth + 1, budget))
                          for key, value in keywords.items())
            splats = [replace(inner, expression=f"**{inner.expression}") for inner in
                      (self.read(a.value, depth + 1, budget) for a in node.args if a.star == "**")]
            return StaticValue.composed(text, [*splats, StaticValue(expression=text, entries=built)])
        if name == "dict":
            pieces = [self.read(value, depth + 1, budget) for value in positional[:1]]
            pieces += [replace(inner, expression=f"**{inner.expression}") for inner in
                       (self.read(a.value, depth + 1, budget) for a in node.args if a.star == "**")]
            if any(a.star == "*" for a in node.args):
                return StaticValue.unknown(text)
            literal = tuple((key, self.read(value, depth + 1, budget)) for key, value in keywords.items())
            return StaticValue.composed(text, [*pieces, StaticValue(expression=text, entries=literal)])
        if name in _SAME_SHAPE and len(positional) == 1 and not any(a.star for a in node.args) \
                and (name in ("json.dumps", "types.MappingProxyType") or not keywords):
            return replace(self.read(positional[0], depth + 1, budget), expression=text)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "copy" and not node.args:
            return replace(self.read(node.func.value, depth + 1, budget), expression=text)
        if name is not None and name.rsplit(".", 1)[-1] in ("Field", "field"):
            # pydantic `Field(default_factory=lambda: {...})`, dataclass `field(default=...)`: the field's default
            factory = keywords.get("default_factory")
            if isinstance(factory, cst.Lambda) and not factory.params.params:
                return replace(self.read(factory.body, depth + 1, budget), expression=text)
            if factory is not None:
                made = self._evaluator._qualify(factory, depth + 1)
                if made in ("dict", "list", "tuple"):
                    return StaticValue(expression=text, entries=()) if made == "dict" else \
                        StaticValue(expression=text, items=())
                return StaticValue.unknown(text)
            default = keywords.get("default", positional[0] if positional else None)
            if default is not None:
                return replace(self.read(default, depth + 1, budget), expression=text)
        return self._evaluator.value(node, depth)
