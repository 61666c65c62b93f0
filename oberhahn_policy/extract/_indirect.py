"""Calls through other callables (`partial`, executors, `to_thread`), and the decorators and `with` items around a call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from ..callsite import ScopeCall, StaticValue
from ..surface import CallForwarder
from ._bindings import LocalFunction, RecordedCall, Scope

if TYPE_CHECKING:
    from ._model import ModuleModel



class IndirectCalls:
    """Unwraps indirect calls and reads the scopes a call runs in."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model

    def unpartial(self, call: RecordedCall, *, bound: bool = True) -> RecordedCall:
        """A call made through another callable, as the call of the SDK method it runs.

        The SDK data's call forwarders say which: `asyncio.to_thread(f, ...)`, `executor.submit(f, ...)` and
        `loop.run_in_executor(None, f, ...)` call `f` with what they forward; `functools.partial(f, **fixed)` and
        `sync_to_async(f)` return a callable that does, inline or bound to a name. The site stays at the outer call.
        `bound=False` says the module can't hold a callable such a forwarder returned bound to a name (its bytes name
        none of them), which saves looking up what every called name is bound to.
        """
        func = call.node.func
        target: cst.BaseExpression | None = None
        arguments: list[cst.Arg] = []
        forwarder = self.forwarder(func, call, returns=False) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if forwarder is not None:
            target, arguments = self._split(call.node, forwarder.callable)
            returning = self.forwarder(target.func, call, returns=True) if isinstance(target, cst.Call) else None
            if isinstance(target, cst.Call) and returning is not None:
                # `run_in_executor(None, partial(client.chat.completions.create, model=...))`
                inner_target, fixed = self._split(target, returning.callable)
                target, arguments = inner_target, [*fixed, *arguments]
        else:
            inner = func if isinstance(func, cst.Call) else None
            if inner is None and bound and isinstance(func, (cst.Name, cst.Attribute)):
                value = self.model.evaluation.bound_expression(func, call.scope, call.seq, 0)
                inner = value if isinstance(value, cst.Call) else None
            returning = self.forwarder(inner.func, call, returns=True) if inner is not None else None
            if inner is not None and returning is not None:
                target, fixed = self._split(inner, returning.callable)
                arguments = [*fixed, *call.node.args]
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return call
        ordered = [a for a in arguments if a.keyword is None and not a.star] + \
            [a for a in arguments if a.keyword is not None or a.star]
        try:
            merged = cst.Call(func=target, args=ordered)
        except cst.CSTValidationError:
            return call
        return RecordedCall(merged, call.scope, call.seq, call.context)

    def forwarder(self, func: cst.BaseExpression, call: RecordedCall, *, returns: bool) -> CallForwarder | None:
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None
        name = self.model.inference.qualify(func, call.scope, call.seq)
        attr = func.attr.value if isinstance(func, cst.Attribute) else None
        for forwarder in self.model.surface.call_forwarders:
            if forwarder.returns == returns and ((forwarder.name is not None and forwarder.name == name)
                                                 or (forwarder.method is not None and forwarder.method == attr)):
                return forwarder
        return None

    @staticmethod
    def _split(node: cst.Call, position: int) -> tuple[cst.BaseExpression | None, list[cst.Arg]]:
        """The callable at positional `position` and the arguments after it (None when it isn't plainly there)."""
        args = list(node.args)
        if len(args) <= position or any(a.keyword is not None or a.star for a in args[:position + 1]):
            return None, []
        return args[position].value, args[position + 1:]

    def scope_calls(self, call: RecordedCall) -> tuple[ScopeCall, ...]:
        found: list[ScopeCall] = []
        for holder in call.context:
            if isinstance(holder, cst.FunctionDef):
                owner_scope = call.scope
                while owner_scope.node is not holder and owner_scope.parent is not None:
                    owner_scope = owner_scope.parent
                outer = owner_scope.parent or self.model.reader.root
                for decorator in holder.decorators:
                    found.extend(self._scope_call(decorator.decorator, "decorator", outer, call.seq))
            elif isinstance(holder, cst.WithItem):
                found.extend(self._scope_call(holder.item, "with", call.scope, call.seq))
        return tuple(found)

    def _scope_call(self, node: cst.BaseExpression, kind: str, scope: Scope, seq: int) -> Iterator[ScopeCall]:
        target = node.func if isinstance(node, cst.Call) else node
        name = self.model.inference.qualify(target, scope, seq)
        if name is None:
            symbol = self.model.inference.infer(target, scope, seq)
            if isinstance(symbol, LocalFunction):
                name = f"{self.model.reader.module_name}.{symbol.scope.qualname()}"
        if name is None:
            return
        arguments: tuple[tuple[str, StaticValue], ...] = ()
        if isinstance(node, cst.Call):
            evaluator = self.model.evaluation.evaluator(scope, seq)
            arguments = tuple((a.keyword.value, evaluator.value(a.value)) for a in node.args if a.keyword is not None)
        yield ScopeCall(name, "decorator" if kind == "decorator" else "with", arguments)
