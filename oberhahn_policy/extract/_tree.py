"""Small helpers over libcst trees and the reader's scopes, shared by the call-context modules."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ._bindings import DefinedFunction, ModuleReader, RecordedCall, Scope
from ._model import ModuleModel
from ._syntax import code_children
from ._values import dotted_name

_NESTED = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every code node below `node` that runs with it (nested functions, classes and lambdas are skipped;
    whitespace, comments and punctuation hold no code and are not visited)."""
    stack = list(code_children(node))
    while stack:
        current = stack.pop()
        if isinstance(current, _NESTED):
            continue
        yield current
        stack.extend(code_children(current))


def path_to(root: cst.CSTNode, target: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes from `root` down to `target`, both included (empty when `target` is not below `root`)."""
    path: list[cst.CSTNode] = []
    stack: list[tuple[cst.CSTNode, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        del path[depth:]
        path.append(node)
        if node is target:
            return path
        stack.extend((child, depth + 1) for child in reversed(list(code_children(node))))
    return []


def names(node: cst.CSTNode) -> set[str]:
    """Dotted names read by an expression (`i`, `self.turns`, `len(queue)` -> `queue`)."""
    found: set[str] = set()
    for child in (node, *walk(node)):
        if isinstance(child, (cst.Name, cst.Attribute)):
            dotted = dotted_name(child)
            if dotted is not None:
                found.add(dotted)
    return found


def inside(scope: Scope | None, function: Scope) -> bool:
    """`scope` is `function` or nested in it."""
    while scope is not None:
        if scope is function:
            return True
        scope = scope.parent
    return False


class CallIndex:
    """Which recorded calls call a given function of the module (by name, or `self.name` from its class)."""

    def __init__(self, reader: ModuleReader, model: ModuleModel) -> None:
        self.reader = reader
        self.model = model
        #: Calls by the name they call (`f(...)` and `x.f(...)` both under `f`), built on first use.
        self._by_name: dict[str, list[RecordedCall]] | None = None

    def named(self, name: str) -> list[RecordedCall]:
        """Calls of something named `name` (`name(...)`, `x.name(...)`), from an index built on first use."""
        if self._by_name is None:
            self._by_name = {}
            for recorded in self.reader.calls:
                func = recorded.node.func
                called = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
                if called is not None:
                    self._by_name.setdefault(called, []).append(recorded)
        return self._by_name.get(name, [])

    def calls(self, call: RecordedCall, function: Scope) -> bool:
        """`call` calls `function`: by its name, or as `self.name(...)` / `cls.name(...)` from its own class."""
        func = call.node.func
        definition = function.node
        if not isinstance(definition, cst.FunctionDef):
            return False
        name = definition.name.value
        if isinstance(func, cst.Name) and func.value == name:
            binding = self.model.lookup(name, call.scope, call.seq)
            return isinstance(binding, DefinedFunction) and binding.scope is function
        if isinstance(func, cst.Attribute) and func.attr.value == name and isinstance(func.value, cst.Name):
            scope: Scope | None = call.scope
            while scope is not None and scope.kind == "function":
                if scope.owner is not None and scope.owner is function.parent and func.value.value in (scope.self_name, "cls"):
                    return True
                scope = scope.parent
        return False
