"""Names: what a name or `self.attr` is bound to where it is read, by Python's scoping rules (LEGB, classes skipped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from ._bindings import END, MAX_DEPTH, Assigned, Binding, DefinedClass, Parameter, Scope

if TYPE_CHECKING:
    from ._model import ModuleModel



class NameResolver:
    """Looks names up in the scopes the walk recorded."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self._code: dict[int, str] = {}

    def code(self, node: cst.CSTNode) -> str:
        key = id(node)
        if key not in self._code:
            self._code[key] = self.model.reader.module.code_for_node(node).strip()
        return self._code[key]

    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        """The binding of `name` as seen from `scope` at sequence `seq` (Python's LEGB, classes skipped)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            bindings = current.names.get(name)
            if bindings:
                before = [b for s, b in bindings if s <= seq] if first else []
                return before[-1] if before else bindings[-1][1]
            first = False
            current = current.parent
        return None

    def attribute_binding(self, owner: Scope, attr: str, depth: int = 0) -> Binding | None:
        found = owner.attributes.get(attr)
        if found:
            # prefer a binding we can follow; `self.client = None` placeholders come first in __init__
            for _, binding in reversed(found):
                if isinstance(binding, Assigned) and not (isinstance(binding.value, cst.Name) and binding.value.value == "None"):
                    return binding
                if isinstance(binding, Parameter):
                    return binding
            return found[-1][1]
        class_level = owner.names.get(attr)
        if class_level:
            return class_level[-1][1]
        # inherited from a base class defined in the same module (`self.client` set in `BaseAgent.__init__`)
        for base in self.base_classes(owner):
            inherited = self.attribute_binding(base, attr, depth + 1) if depth < MAX_DEPTH else None
            if inherited is not None:
                return inherited
        return None

    def base_classes(self, owner: Scope) -> Iterator[Scope]:
        node = owner.node
        if not isinstance(node, cst.ClassDef) or owner.parent is None:
            return
        for base in node.bases:
            if isinstance(base.value, cst.Name):
                binding = self.lookup(base.value.value, owner.parent, END)
                if isinstance(binding, DefinedClass) and binding.scope is not owner:
                    yield binding.scope

    def self_owner(self, name: str, scope: Scope, seq: int) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.kind == "function":
            if current.self_name == name and current.owner is not None:
                if self.lookup(name, scope, seq) is not None:
                    return current.owner
            current = current.parent
        # `cls.client` in a classmethod and `ClassName.client` also read class attributes
        binding = self.lookup(name, scope, seq)
        if isinstance(binding, DefinedClass):
            return binding.scope
        return None
