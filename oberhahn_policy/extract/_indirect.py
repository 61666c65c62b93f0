"""Calls through other callables (`partial`, executors, `to_thread`), and the decorators and `with` items around a call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from ..callsite import ScopeCall, StaticValue
from ._bindings import LocalFunction, RecordedCall, Scope

if TYPE_CHECKING:
    from ._model import ModuleModel



class IndirectCalls:
    """Unwraps indirect calls and reads the scopes a call runs in."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model

    def unpartial(self, call: RecordedCall) -> RecordedCall:
        """A call made through another callable, as the call of the SDK method it runs.

        `ask(...)` with `ask = functools.partial(f, **fixed)`, `asyncio.to_thread(f, ...)`,
        `executor.submit(f, ...)` and `loop.run_in_executor(None, f, ...)` all call `f`; the
        arguments they fix or forward are merged in. The site stays at the outer call.
        """
        func = call.node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return call
        target: cst.BaseExpression | None = None
        arguments: list[cst.Arg] = []
        positional = [a for a in call.node.args if a.keyword is None and not a.star]
        name = self.model.inference.qualify(func, call.scope, call.seq)
        attr = func.attr.value if isinstance(func, cst.Attribute) else None
        if (name == "asyncio.to_thread" or attr == "submit") and positional and call.node.args[0] is positional[0]:
            target, arguments = positional[0].value, list(call.node.args[1:])
        elif attr == "run_in_executor" and len(positional) >= 2 and call.node.args[1] is positional[1]:
            target, arguments = positional[1].value, list(call.node.args[2:])
        else:
            bound = self.model.evaluation.bound_expression(func, call.scope, call.seq, 0)
            if isinstance(bound, cst.Call):
                target, arguments = bound, list(call.node.args)
        if isinstance(target, cst.Call):
            # `partial(client.chat.completions.create, model=...)`, bound to a name or inline
            if self.model.inference.qualify(target.func, call.scope, call.seq) != "functools.partial" or not target.args \
                    or target.args[0].star:
                return call
            arguments = [*target.args[1:], *arguments]
            target = target.args[0].value
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return call
        ordered = [a for a in arguments if a.keyword is None and not a.star] + \
            [a for a in arguments if a.keyword is not None or a.star]
        try:
            merged = cst.Call(func=target, args=ordered)
        except cst.CSTValidationError:
            return call
        return RecordedCall(merged, call.scope, call.seq, call.context)

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
