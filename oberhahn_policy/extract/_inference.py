"""Inference: what an expression is — an imported module, class or function (`QName`), an SDK client, or a local function."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from ._bindings import (
    END,
    MAX_DEPTH,
    Assigned,
    Binding,
    Client,
    DefinedClass,
    DefinedFunction,
    Imported,
    LocalFunction,
    Opaque,
    Parameter,
    QName,
    Scope,
    Symbol,
    built_otherwise,
    is_property,
)
from ._values import dotted_name

if TYPE_CHECKING:
    from ._model import ModuleModel



class Inference:
    """Follows an expression through bindings, attributes, calls and subscripts to what it denotes."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        #: What top-level questions answered, by (id of node, id of scope, seq); the node is kept so its id stays its.
        self._answers: dict[tuple[int, int, int], tuple[cst.BaseExpression, Symbol | None]] = {}

    def qualify(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> str | None:
        """The qualified name `node` denotes; `depth` is the question's depth when an evaluation asks it on the way
        (a value read inside an inference must not start the depth count again: `df = df.loc[df.index.f()]`)."""
        symbol = self.infer(node, scope, seq, depth)
        if isinstance(symbol, QName):
            return symbol.name
        if symbol is None:
            return dotted_name(node)  # builtins such as `str`, `dict`
        return None

    def infer(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Symbol | None:
        """What `node` denotes where it is read; a top-level question is answered once (site building, OBH003,
        constants and exports ask about the same expressions), unless a recursion guard is holding a partial
        answer somewhere up the stack, which would make this answer partial too."""
        if depth == 0 and self.model.settled():
            key = (id(node), id(scope), seq)
            known = self._answers.get(key)
            if known is None:
                known = self._answers[key] = (node, self._infer(node, scope, seq, 0))
            return known[1]
        return self._infer(node, scope, seq, depth)

    def _infer(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Symbol | None:
        if depth > MAX_DEPTH:
            return None
        # `type(node) is`, not `isinstance`: libcst's node classes are final, and an `isinstance` that fails goes
        # through ABCMeta's Python-level check (this runs hundreds of thousands of times a run)
        if type(node) is cst.Name:
            return self._infer_name(node.value, scope, seq, depth)
        if type(node) is cst.Attribute:
            return self._infer_attribute(node, scope, seq, depth)
        if type(node) is cst.Call:
            return self._infer_call(node, scope, seq, depth)
        if type(node) is cst.Await:
            return self.infer(node.expression, scope, seq, depth + 1)
        if type(node) is cst.BooleanOperation:
            # `client or OpenAI()`: either side may be the client
            return self.infer(node.right, scope, seq, depth + 1) or self.infer(node.left, scope, seq, depth + 1)
        if type(node) is cst.IfExp:
            return self.infer(node.body, scope, seq, depth + 1) or self.infer(node.orelse, scope, seq, depth + 1)
        if type(node) is cst.Subscript:
            return self._infer_item(node, scope, seq, depth)
        return None

    def _infer_name(self, name: str, scope: Scope, seq: int, depth: int) -> Symbol | None:
        """A name, through every binding that may reach the point it is read: branches may build different clients."""
        reaching = self.model.names.reaching(name, scope, seq)
        if len(reaching) <= 1:
            return self.infer_binding(reaching[0] if reaching else None, depth)
        symbols = [self.infer_binding(binding, depth) for binding in reaching]
        clients = [s for s in symbols if isinstance(s, Client)]
        if clients:
            return _merged(clients)
        return next((s for s in symbols if s is not None), None)

    def _infer_item(self, node: cst.Subscript, scope: Scope, seq: int, depth: int) -> Symbol | None:
        """`CLIENTS["groq"]`: an entry of a dict literal of clients, by literal key."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        evaluator = self.model.evaluation.evaluator(scope, seq)
        key = evaluator.value(node.slice[0].slice.value, depth + 1)
        container = evaluator.follow(node.value, depth + 1)
        if not isinstance(container, cst.Dict):
            return None
        if key.known:
            for element in container.elements:
                if isinstance(element, cst.DictElement) and evaluator.value(element.key, depth + 1).value == key.value:
                    return self.infer(element.value, scope, seq, depth + 1)
            return None
        # `CLIENTS[name]`: any entry will do when they are all the same kind of client at the same endpoint
        found: list[Client] = []
        for element in container.elements:
            symbol = self.infer(element.value, scope, seq, depth + 1) if isinstance(element, cst.DictElement) else None
            if not isinstance(symbol, Client):
                return None
            found.append(symbol)
        kinds = {(c.family.name, c.provider, c.constructor, self.model.clients.endpoint_text(c)) for c in found}
        return found[0] if len(kinds) == 1 else None

    def infer_binding(self, binding: Binding | None, depth: int) -> Symbol | None:
        if binding is None or isinstance(binding, Opaque):
            return None
        if isinstance(binding, Imported):
            return self.model.clients.project_symbol(binding.qualified) or QName(binding.qualified)
        if isinstance(binding, Assigned):
            symbol = self.infer(binding.value, binding.scope, binding.seq, depth + 1)
            if symbol is None and binding.annotation is not None and not built_otherwise(binding.value):
                return self.model.annotations.client(binding.annotation, binding.scope, depth)
            return symbol
        if isinstance(binding, Parameter):
            if binding.annotation is not None:
                symbol = self.model.annotations.client(binding.annotation, binding.scope, depth)
                if symbol is not None:
                    return symbol
            if binding.default is not None:
                return self.infer(binding.default, binding.scope, END, depth + 1)
            return self.model.clients.passed_in(binding, depth)
        if isinstance(binding, DefinedFunction):
            return LocalFunction(binding.scope)
        return None

    def _infer_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> Symbol | None:
        attr = node.attr.value
        value = node.value
        if isinstance(value, cst.Name):
            owner = self.model.names.self_owner(value.value, scope, seq)
            if owner is not None:
                binding = self.model.names.attribute_binding(owner, attr)
                if isinstance(binding, DefinedFunction) and is_property(binding.scope):
                    return self.model.clients.returned(binding.scope, depth)
                if binding is None:
                    return self.model.clients.inherited_from_project(owner, attr, depth)
                return self.infer_binding(binding, depth)
        base = self.infer(value, scope, seq, depth + 1)
        if isinstance(base, QName):
            return self.model.clients.project_symbol(f"{base.name}.{attr}") or QName(f"{base.name}.{attr}")
        if isinstance(base, Client):
            if attr in base.family.transparent:
                return base
            return replace(base, chain=base.chain + (attr,))
        if base is None:
            # `deps.claude` with `deps: Deps`, `Service().client`: an attribute of a project class's instance
            owner = self.model.instances.instance_class(value, scope, seq, depth + 1)
            if owner is not None:
                binding = self.model.names.attribute_binding(owner, attr)
                if isinstance(binding, DefinedFunction) and is_property(binding.scope):
                    return self.model.clients.returned(binding.scope, depth)
                found = self.infer_binding(binding, depth)
                if found is not None:
                    return found
            return self.stored(node, depth)
        return None

    def stored(self, node: cst.Attribute, depth: int) -> Symbol | None:
        """`request.app.state.openai` read where the module stored `app.state.openai = AsyncOpenAI()`."""
        dotted = dotted_name(node)
        if dotted is None or dotted.count(".") < 2:
            return None
        suffix = dotted.split(".")[-2:]
        for target, assigned in reversed(self.model.reader.settings):
            written = dotted_name(target)
            if written is not None and written.count(".") >= 2 and written.split(".")[-2:] == suffix:
                symbol = self.infer(assigned.value, assigned.scope, assigned.seq, depth + 1)
                if isinstance(symbol, Client):
                    return symbol
        return None

    def _infer_call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Symbol | None:
        if isinstance(node.func, cst.Name):
            defined = self.model.names.lookup(node.func.value, scope, seq)
            if isinstance(defined, DefinedClass):
                return self.model.clients.subclass_client(defined.scope, node, scope, depth)
        func = self.infer(node.func, scope, seq, depth + 1)
        if isinstance(func, QName):
            constructor = self.model.constructors.get(func.name)
            if constructor is not None:
                family, client = constructor
                if client.when is not None and not self.model.clients.condition_holds(client.when, node, scope, seq, depth):
                    return None
                if client.wraps is not None:
                    wrapped_node = self.model.arguments.argument(node, client.wraps)
                    wrapped = self.infer(wrapped_node, scope, seq, depth + 1) if wrapped_node is not None else None
                    if isinstance(wrapped, Client):
                        return replace(wrapped, framework=client.framework or wrapped.framework)
                    return None
                return Client(family, client.provider or family.provider, (), func.name, node, scope, (),
                              client.framework or family.framework, client.model_is_deployment)
            exported = self.model.project_clients.get(func.name)
            if exported is not None and exported.kind == "factory":
                return self.model.clients.imported_client(exported, func.name)
            return None
        if isinstance(func, Client) and func.chain:
            *prefix, method = func.chain
            if method in func.family.derive:
                return replace(func, chain=tuple(prefix), extra_carrier_calls=func.extra_carrier_calls + ((node, scope),))
            chain = ".".join(func.chain)
            for factory in func.family.factories:
                if factory.chain == chain:
                    if factory.when is not None and not self.model.clients.condition_holds(factory.when, node, scope, seq, depth):
                        return None
                    target = self.model.surface.family(factory.family)
                    return Client(target, factory.provider or target.provider, (), f"{func.constructor}.{chain}",
                                  node, scope, (), target.framework)
            return None
        if isinstance(func, LocalFunction):
            returned = self.model.clients.returned(func.scope, depth)
            if returned is not None:
                return replace(returned, factory=returned.factory or f"{self.model.reader.module_name}.{func.scope.qualname()}")
            return None
        return None


def _merged(clients: list[Client]) -> Client:
    """One client for the clients branches may build: the nearest one's family, every provider they may bill.

    The provider reported is the family's own vendor when it is among them (Anthropic's SDK on Anthropic, Vertex or
    Bedrock bills Anthropic's model), else the nearest branch's; `providers` keeps all of them.
    """
    first = clients[0]
    same_family = [c for c in clients if c.family is first.family]
    providers = tuple(dict.fromkeys(c.provider for c in same_family))
    if len(providers) == 1:
        return first
    provider = first.family.provider if first.family.provider in providers else first.provider
    return replace(first, provider=provider, providers=providers)
