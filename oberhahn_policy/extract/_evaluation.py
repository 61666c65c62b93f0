"""The link between the walk's bindings and the static evaluator: where a name's value is written."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from ..callsite import StaticValue
from ._bindings import (
    END,
    MAX_DEPTH,
    Assigned,
    Binding,
    DefinedClass,
    DefinedFunction,
    Imported,
    Parameter,
    QName,
    Scope,
    is_enum,
    is_property,
)
from ._values import Bound, Evaluator, dotted_name

if TYPE_CHECKING:
    from ._model import ModuleModel



class _Environment:
    """Where names read in one scope, at one point, are bound (the evaluator's view of the walk)."""

    __slots__ = ("glue", "scope", "seq")

    def __init__(self, glue: EvaluationGlue, scope: Scope, seq: int) -> None:
        self.glue = glue
        self.scope = scope
        self.seq = seq

    def bound(self, node: cst.Name | cst.Attribute, depth: int) -> tuple[Bound, ...]:
        return self.glue.bound(node, self.scope, self.seq, depth)

    def code(self, node: cst.CSTNode) -> str:
        return self.glue.model.names.code(node)

    def evaluator_for(self, node: cst.BaseExpression) -> Evaluator | None:
        origin = self.glue.origins.get(id(node))
        if origin is None or (origin[0] is self.scope and origin[1] == self.seq):
            return None
        return self.glue.evaluator(*origin)


class EvaluationGlue:
    """Gives the evaluator the expressions names are bound to, and the scope to read them in."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        #: Bound expressions written in another scope than the one reading them: where to evaluate them.
        self.origins: dict[int, tuple[Scope, int]] = {}
        #: Gateway header builders (`portkey_ai.createHeaders`) -> the header prefix they add.
        self.header_builders = {b.function: b.prefix for g in model.surface.gateways for b in g.header_builders}

    def evaluator(self, scope: Scope, seq: int) -> Evaluator:
        """An evaluator for expressions read in `scope` at `seq`."""
        return Evaluator(_Environment(self, scope, seq), lambda expr, depth: self.model.inference.qualify(expr, scope, seq, depth),
                         self.header_builders)

    def bound(self, node: cst.Name | cst.Attribute, scope: Scope, seq: int, depth: int) -> tuple[Bound, ...]:
        """What `node` may be bound to when read in `scope` at `seq`: one binding, or one per branch that may reach."""
        if isinstance(node, cst.Name):
            return tuple(b for binding in self.model.names.reaching(node.value, scope, seq)
                         for b in self._of_binding(binding, scope, depth))
        return self._of_attribute(node, scope, seq, depth)

    def bound_expression(self, node: cst.Name | cst.Attribute, scope: Scope, seq: int, depth: int
                         ) -> cst.BaseExpression | str | None:
        """The one expression (or imported name) `node` is bound to; None when unknown or when branches disagree."""
        found = self.bound(node, scope, seq, depth)
        if len(found) != 1:
            return None
        return found[0].expression if found[0].expression is not None else found[0].qualified

    def _of_binding(self, binding: Binding, scope: Scope, depth: int) -> tuple[Bound, ...]:
        if isinstance(binding, Imported):
            return (Bound(qualified=binding.qualified),)
        if isinstance(binding, Assigned):
            if isinstance(binding.value, (cst.Name, cst.Attribute)) and binding.scope is not scope and depth < MAX_DEPTH:
                # `self.model = model` in __init__: the name means what it means there
                return self.bound(binding.value, binding.scope, binding.seq, depth + 1)
            # read where it is written: another scope, or this one before later bindings (`m = m + "-mini"`)
            self.origins[id(binding.value)] = (binding.scope, binding.seq)
            return (Bound(binding.value),)
        if isinstance(binding, Parameter):
            # a parameter's default is only what runs when a caller passes nothing
            default = binding.default
            if default is None:
                return ()
            if isinstance(default, (cst.Name, cst.Attribute)) and dotted_name(default) not in ("None", "True", "False") \
                    and depth < MAX_DEPTH:
                return tuple(replace(b, source="parameter default")
                             for b in self.bound(default, binding.scope, END, depth + 1))
            return (Bound(default, source="parameter default"),)
        if isinstance(binding, DefinedFunction) and is_property(binding.scope) and len(binding.scope.returns) == 1:
            return (Bound(binding.scope.returns[0]),)
        return ()

    def _of_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> tuple[Bound, ...]:
        binding: Binding | None = None
        if isinstance(node.value, cst.Name):
            owner = self.model.names.self_owner(node.value.value, scope, seq)
            if owner is not None:
                binding = self.model.names.attribute_binding(owner, node.attr.value)
        if binding is None and node.attr.value == "value" and isinstance(node.value, cst.Attribute) \
                and isinstance(node.value.value, cst.Name):
            # `Model.FAST.value` on an Enum defined in the module
            enum = self.model.names.lookup(node.value.value.value, scope, seq)
            if isinstance(enum, DefinedClass) and is_enum(enum.scope):
                member = enum.scope.names.get(node.value.attr.value)
                if member and isinstance(member[-1][1], Assigned):
                    return (Bound(member[-1][1].value),)
        if binding is None:
            owner = self.model.instances.instance_class(node.value, scope, seq, depth + 1)
            if owner is not None:
                built = self.model.instances.construction(node.value, scope, seq, depth + 1)
                if built is not None:
                    # `QueuedChat(**payload).model`: the class default holds only if the call can't set it
                    call, call_scope, call_seq = built
                    if any(a.star or a.keyword is None for a in call.args):
                        return ()
                    for arg in call.args:
                        if arg.keyword is not None and arg.keyword.value == node.attr.value:
                            if call_scope is not scope:
                                self.origins[id(arg.value)] = (call_scope, call_seq)
                            return (Bound(arg.value),)
                binding = self.model.names.attribute_binding(owner, node.attr.value)
        if binding is None:
            qualified = self._qualified_attribute(node, scope, seq, depth)
            return (Bound(qualified=qualified),) if qualified is not None else ()
        return self._of_binding(binding, scope, depth)

    def _qualified_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> str | None:
        """`settings.MODEL` where `settings` comes from another project module: the name resolve looks up."""
        base = self.model.inference.infer(node.value, scope, seq, depth + 1)
        if isinstance(base, QName):
            return f"{base.name}.{node.attr.value}"
        holder: cst.BaseExpression = node.value
        if isinstance(holder, cst.Name):
            bound = self.model.names.lookup(holder.value, scope, seq)
            if isinstance(bound, Assigned):
                holder = bound.value
            elif isinstance(bound, Parameter) and bound.annotation is not None:
                # `settings: Annotated[Settings, Depends(get_settings)]` with Settings from a project module
                imported = self.model.annotations.class_name(bound.annotation, bound.scope, depth + 1)
                if imported is not None:
                    return f"{imported}.{node.attr.value}"
        if isinstance(holder, cst.Call) and not holder.args:
            # `get_settings().MODEL` with get_settings imported from a project module
            called = self.model.inference.infer(holder.func, scope, seq, depth + 1)
            if isinstance(called, QName):
                return f"{called.name}.{node.attr.value}"
        return None

    def setting(self, qualified: str) -> StaticValue | None:
        """The value last assigned to a module attribute (`openai.api_type`) anywhere in the file."""
        found: StaticValue | None = None
        for target, assigned in self.model.reader.settings:
            if self.model.inference.qualify(target, assigned.scope, assigned.seq) == qualified:
                found = self.evaluator(assigned.scope, assigned.seq).value(assigned.value)
        return found
