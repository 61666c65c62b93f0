"""Instances of the module's own classes: which project class an expression is an instance of, and how it was built."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ._bindings import (
    END,
    MAX_DEPTH,
    Assigned,
    Binding,
    DefinedClass,
    DefinedFunction,
    Parameter,
    QName,
    Scope,
)
from ._values import dotted_name

if TYPE_CHECKING:
    from ._model import ModuleModel



class InstanceReader:
    """Finds the project class behind settings objects, services and wrappers."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        #: Functions whose returned instance is being worked out (recursion returns nothing).
        self._instancing: set[int] = set()

    def idle(self) -> bool:
        """No function's returned instance is being worked out (answers given now are not cut short by recursion)."""
        return not self._instancing

    def instance_class(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Scope | None:
        """The project class `node` is an instance of (`settings = Settings()`, `settings: Settings`, `get_settings()`)."""
        if depth > MAX_DEPTH:
            return None
        if type(node) is cst.BooleanOperation and isinstance(node.operator, cst.Or):
            # `self.config = config or Config()`
            return self.instance_class(node.left, scope, seq, depth + 1) or \
                self.instance_class(node.right, scope, seq, depth + 1)
        if type(node) is cst.Call:
            func = node.func
            if type(func) is cst.Name:
                called = self.model.names.lookup(func.value, scope, seq)
                if isinstance(called, DefinedClass):
                    return called.scope
                if isinstance(called, DefinedFunction) and id(called.scope) not in self._instancing:
                    self._instancing.add(id(called.scope))
                    try:
                        for returned in called.scope.returns:
                            found = self.instance_class(returned, called.scope, END, depth + 1)
                            if found is not None:
                                return found
                    finally:
                        self._instancing.discard(id(called.scope))
            if (dotted_name(func) or "").rsplit(".", 1)[-1] in ("Field", "field"):
                # `llm: LLMSettings = Field(default_factory=LLMSettings)`
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "default_factory":
                        return self.class_named(arg.value, scope, seq)
            return None
        binding: Binding | None = None
        if type(node) is cst.Name:
            binding = self.model.names.lookup(node.value, scope, seq)
        elif type(node) is cst.Attribute:
            owner = self.model.names.self_owner(node.value.value, scope, seq) if type(node.value) is cst.Name else None
            if owner is None:
                # `settings.llm.model`: a field of a settings object that is itself a settings object
                owner = self.instance_class(node.value, scope, seq, depth + 1)
            if owner is not None:
                binding = self.model.names.attribute_binding(owner, node.attr.value)
        if isinstance(binding, Assigned):
            found = self.instance_class(binding.value, binding.scope, binding.seq, depth + 1)
            if found is None and binding.annotation is not None:
                found = self.class_named(binding.annotation, binding.scope, END)
            return found
        if isinstance(binding, Parameter) and binding.annotation is not None:
            return self.class_named(binding.annotation, binding.scope, END)
        return None

    def class_name(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> str | None:
        """Qualified name of the class `node` is an instance of (`LLMClient()`, `llm: LLMClient`), for wrappers."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Call):
            return self.named_class(node.func, scope, seq)
        binding: Binding | None = None
        if isinstance(node, cst.Name):
            binding = self.model.names.lookup(node.value, scope, seq)
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            owner = self.model.names.self_owner(node.value.value, scope, seq)
            binding = self.model.names.attribute_binding(owner, node.attr.value) if owner is not None else None
        if isinstance(binding, Assigned):
            return self.class_name(binding.value, binding.scope, binding.seq, depth + 1) or (
                self.named_class(binding.annotation, binding.scope, END) if binding.annotation is not None else None)
        if isinstance(binding, Parameter) and binding.annotation is not None:
            return self.named_class(binding.annotation, binding.scope, END)
        return None

    def named_class(self, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        if isinstance(node, cst.Name):
            local = self.model.names.lookup(node.value, scope, seq)
            if isinstance(local, DefinedClass):
                return f"{self.model.reader.module_name}.{local.scope.qualname()}"
        symbol = self.model.inference.infer(node, scope, seq) if isinstance(node, (cst.Name, cst.Attribute)) else None
        return symbol.name if isinstance(symbol, QName) else None

    def construction(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int
                      ) -> tuple[cst.Call, Scope, int] | None:
        """The call that built a project-class instance (`request = QueuedChat(**payload)`), when it is in sight."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            return (node, scope, seq) if isinstance(self.model.names.lookup(node.func.value, scope, seq), DefinedClass) else None
        if isinstance(node, cst.Name):
            binding = self.model.names.lookup(node.value, scope, seq)
            if isinstance(binding, Assigned):
                return self.construction(binding.value, binding.scope, binding.seq, depth + 1)
        return None

    def class_named(self, node: cst.BaseExpression, scope: Scope, seq: int) -> Scope | None:
        if isinstance(node, cst.Name):
            target = self.model.names.lookup(node.value, scope, seq)
            if isinstance(target, DefinedClass):
                return target.scope
        return None
