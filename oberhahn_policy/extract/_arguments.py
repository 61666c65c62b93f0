"""Arguments: a call's keyword and positional arguments, value paths into dicts and configs, and attribution carriers."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator

import libcst as cst

from ..attribution_carriers import GatewayConventions, read_carrier
from ..callsite import AttributionEntry, OpaqueCarrier
from ..surface import Carrier
from ._bindings import MAX_DEPTH, Scope
from ._values import Evaluator, dotted_name

#: A call's keyword arguments (with `**` dict literals merged in), its positional ones, and its opaque `*`/`**` splats.
CallArguments = tuple[dict[str, cst.BaseExpression], list[cst.BaseExpression], list[cst.BaseExpression]]

if TYPE_CHECKING:
    from ._model import ModuleModel



class ArgumentReader:
    """Locates values in a call's arguments by value path, with `**` dict literals merged in."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self.conventions = GatewayConventions.of(model.surface.gateways)

    def argument(self, node: cst.Call, name: str) -> cst.BaseExpression | None:
        """A call's argument by keyword, or by position with `#N`."""
        if name.startswith("#"):
            index = int(name[1:])
            positional = [a for a in node.args if a.keyword is None and not a.star]
            return positional[index].value if index < len(positional) else None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        return None

    def call_arguments(self, node: cst.Call, scope: Scope, seq: int) -> CallArguments:
        """Keyword arguments (with `**dict` literals merged in), positional ones, and opaque `**` splats."""
        keywords: dict[str, cst.BaseExpression] = {}
        positional: list[cst.BaseExpression] = []
        opaque: list[cst.BaseExpression] = []
        evaluator = self.model.evaluation.evaluator(scope, seq)
        for arg in node.args:
            if arg.star == "**":
                target = evaluator.follow(arg.value)
                entries = self.dict_entries(target, evaluator)
                if entries is None:
                    opaque.append(arg.value)
                else:
                    keywords.update(entries)
            elif arg.star == "*":
                opaque.append(arg.value)
            elif arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            else:
                positional.append(arg.value)
        return keywords, positional, opaque

    def dict_entries(self, node: cst.BaseExpression, evaluator: Evaluator, depth: int = 0) -> dict[str, cst.BaseExpression] | None:
        """The string-keyed entries of a dict literal or `dict(...)` call, `**` merges included."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Dict):
            entries: dict[str, cst.BaseExpression] = {}
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = evaluator.value(element.key)
                    if not key.known or not isinstance(key.value, str):
                        return None
                    entries[key.value] = element.value
                else:
                    inner = self.dict_entries(evaluator.follow(element.value), evaluator, depth + 1)
                    if inner is None:
                        return None
                    entries.update(inner)
            return entries
        if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
            entries = {}
            for arg in node.args:
                if arg.keyword is not None:
                    entries[arg.keyword.value] = arg.value
                elif arg.star == "**" or not arg.star:
                    inner = self.dict_entries(evaluator.follow(arg.value), evaluator, depth + 1)
                    if inner is None:
                        return None
                    entries.update(inner)
            return entries
        return None

    def locate(self, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], path: str,
               evaluator: Evaluator, scope: Scope, seq: int) -> cst.BaseExpression | None:
        """The expression at a value path (`inferenceConfig.maxTokens`, `#0`, `config.max_output_tokens`)."""
        first, *rest = path.split(".")
        current = _path_start(keywords, positional, first)
        for part in rest:
            if current is None:
                return None
            current = self._step(evaluator.follow(current), part, evaluator, scope, seq)
        return current

    def _step(self, node: cst.BaseExpression, part: str, evaluator: Evaluator, scope: Scope, seq: int) -> cst.BaseExpression | None:
        if isinstance(node, cst.Call):
            name = self.model.inference.qualify(node.func, scope, seq)
            if name == "json.dumps" and node.args:
                return self._step(evaluator.follow(node.args[0].value), part, evaluator, scope, seq)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode":
                return self._step(evaluator.follow(node.func.value), part, evaluator, scope, seq)
            entries = self.dict_entries(node, evaluator) if name == "dict" else None
            if entries is None:
                keywords, _, _ = self.call_arguments(node, scope, seq)
                return keywords.get(part)
            return entries.get(part)
        entries = self.dict_entries(node, evaluator)
        return entries.get(part) if entries is not None else None

    def carriers(self, carriers: Iterable[Carrier], keywords: dict[str, cst.BaseExpression],
                 positional: list[cst.BaseExpression], scope: Scope, seq: int
                 ) -> Iterator[AttributionEntry | OpaqueCarrier]:
        """What each carrier the call passes holds: entries, and carriers (or pieces) that can't be read here.

        A carrier whose value names another module's constant comes back whole as an `OpaqueCarrier` with its
        `value`, for resolve to read again; see oberhahn_policy/attribution_carriers.py.
        """
        evaluator = self.model.evaluation.evaluator(scope, seq)
        for carrier in carriers:
            found = self._carrier_node(keywords, positional, carrier.path, evaluator, scope, seq)
            if found is None:
                continue
            node, within = found
            if not within and isinstance(node, cst.Name) and node.value == "None":
                continue
            place = OpaqueCarrier(carrier.path, carrier.layer, self.model.names.code(node), carrier.kind, carrier.key,
                                  within=within)
            value = evaluator.structure(node)
            reading = read_carrier(place, value, self.conventions, final=False)
            if reading is None:
                yield replace(place, value=value)  # resolve reads it again, with other modules' constants known
                continue
            yield from reading.entries
            yield from reading.unread

    def _carrier_node(self, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], path: str,
                      evaluator: Evaluator, scope: Scope, seq: int) -> tuple[cst.BaseExpression, str] | None:
        """The expression a carrier's value path reaches, and the rest of the path when an expression on the way
        can't be stepped into here (`extra_body=EXTRA` for `extra_body.metadata`); None when the call doesn't pass it.
        """
        first, *rest = path.split(".")
        current = _path_start(keywords, positional, first)
        for position, part in enumerate(rest):
            if current is None:
                return None
            followed = evaluator.follow(current)
            if isinstance(followed, cst.Name) and followed.value == "None":
                return None
            if not self._steppable(followed, scope, seq):
                return current, ".".join(rest[position:])
            current = self._step(followed, part, evaluator, scope, seq)
        return (current, "") if current is not None else None

    def _steppable(self, node: cst.BaseExpression, scope: Scope, seq: int) -> bool:
        """Whether `_step` reads what `node` holds (a dict literal, a constructor's keywords), so that a missing key is
        known to be absent, rather than unknown."""
        if isinstance(node, cst.Dict):
            return self.dict_entries(node, self.model.evaluation.evaluator(scope, seq)) is not None
        if not isinstance(node, cst.Call):
            return False
        name = self.model.inference.qualify(node.func, scope, seq) or ""
        if name == "json.dumps" or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode"):
            return True
        if any(a.star == "**" for a in node.args):
            return False
        # a constructor (`GenerateContentConfig(labels=...)`, `dict(...)`) holds what its keywords say; what any other
        # function returns is not known
        return name == "dict" or name.rsplit(".", 1)[-1][:1].isupper()


def _path_start(keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression],
                first: str) -> cst.BaseExpression | None:
    """The argument a value path starts at: `#N` is the Nth positional argument, anything else a keyword."""
    if first.startswith("#"):
        index = int(first[1:])
        return positional[index] if index < len(positional) else None
    return keywords.get(first)
