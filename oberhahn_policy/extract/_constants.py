"""What a module offers other modules: its constants (and settings-object fields) and the clients it exports."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ..callsite import ExportedClient, StaticValue
from ._bindings import (
    END,
    Assigned,
    Client,
    DefinedClass,
    DefinedFunction,
    ModuleReader,
    Scope,
)
from ._model import ModuleModel
from ._positions import NodePositions
from ._sites import client_carriers
from ._values import Evaluator


def module_constants(reader: ModuleReader, model: ModuleModel) -> Iterator[tuple[str, StaticValue]]:
    """Module-level constants, class constants and settings-object fields other modules may import."""
    root = reader.root
    evaluator = model.evaluator(root, END)
    for name, bindings in root.names.items():
        binding = bindings[-1][1]
        if isinstance(binding, Assigned):
            value = _constant(evaluator, binding.value)
            if value is not None:
                # an imported constant re-exported, or built from one, resolves through its module
                yield name, value
            if (value is None or not value.known) and isinstance(binding.value, cst.Call) \
                    and not any(a.star or a.keyword is None for a in binding.value.args):
                # `settings = Settings()` / `settings = get_settings()`: the settings class's field defaults,
                # unless the construction sets the field
                target = model.instance_class(binding.value, root, END)
                if target is not None:
                    passed = {a.keyword.value: a.value for a in binding.value.args if a.keyword is not None}
                    for field_name, field_value in _class_fields(target, model):
                        head = field_name.split(".")[0]
                        if head in passed:
                            if head == field_name:
                                passed_value = _constant(evaluator, passed[head])
                                if passed_value is not None:
                                    yield f"{name}.{field_name}", passed_value
                            continue
                        yield f"{name}.{field_name}", field_value
        elif isinstance(binding, DefinedClass):
            yield from ((f"{name}.{field_name}", v) for field_name, v in _class_fields(binding.scope, model))
        elif isinstance(binding, DefinedFunction):
            # `def get_settings() -> Settings: return Settings()`, read as `get_settings().FIELD`
            for returned in binding.scope.returns:
                target = model.instance_class(returned, binding.scope, END)
                if target is not None:
                    yield from ((f"{name}.{field_name}", v) for field_name, v in _class_fields(target, model))
                    break


def _class_fields(scope: Scope, model: ModuleModel, depth: int = 0) -> Iterator[tuple[str, StaticValue]]:
    evaluator = model.evaluator(scope, END)
    for name, bindings in scope.names.items():
        binding = bindings[-1][1]
        if isinstance(binding, Assigned) and depth < 3:
            # nested settings objects: `llm: LLMSettings = LLMSettings()` read as `settings.llm.model`
            nested = model.instance_class(binding.value, scope, END)
            if nested is None and binding.annotation is not None and isinstance(binding.annotation, cst.Name):
                target = model.lookup(binding.annotation.value, scope, END)
                nested = target.scope if isinstance(target, DefinedClass) else None
            if nested is not None and nested is not scope:
                yield from ((f"{name}.{sub}", v) for sub, v in _class_fields(nested, model, depth + 1))
                continue
        if isinstance(binding, Assigned):
            node = binding.value
            if isinstance(node, cst.Call) and node.args and dotted_field(node) and \
                    not any(a.keyword is not None and a.keyword.value == "default_factory" for a in node.args):
                node = node.args[0].value  # Field("gpt-4o", ...) / field(default="...")
                for arg in binding.value.args:  # type: ignore[attr-defined]
                    if arg.keyword is not None and arg.keyword.value == "default":
                        node = arg.value
            value = _constant(evaluator, node)
            if value is not None:
                yield name, value


def _constant(evaluator: Evaluator, node: cst.BaseExpression) -> StaticValue | None:
    """What other modules may read of a constant: a known value, one built from other modules' constants, or a dict or
    list (attribution carriers, settings tables; `Field(default_factory=lambda: {...})` included); None otherwise."""
    value = evaluator.value(node)
    if value.known or value.reference is not None or value.parts:
        return value
    shaped = evaluator.structure(node)
    return shaped if shaped.shaped else None


def dotted_field(node: cst.Call) -> bool:
    func = node.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return name in ("Field", "field")


def exported_clients(path: str, reader: ModuleReader, model: ModuleModel, positions: NodePositions
             ) -> Iterator[tuple[str, ExportedClient]]:
    """Clients and client factories the module defines at its top level, for other modules to import."""
    found: list[tuple[str, Client, str]] = []
    for name, bindings in reader.root.names.items():
        binding = bindings[-1][1]
        symbol: object = None
        kind: str = "client"
        if isinstance(binding, Assigned):
            # through every module-level binding (`client: OpenAI = None` set at start-up, clients built in branches)
            symbol = model.infer(cst.Name(name), reader.root, END)
        elif isinstance(binding, DefinedFunction):
            symbol, kind = model.returned_client(binding.scope), "factory"
        if isinstance(symbol, Client) and not symbol.chain:
            found.append((f"{reader.module_name}.{name}", symbol, kind))
            continue
        # clients held by a module-level instance (`service = LLMService()`, read as `service.client`)
        # or by a class (`class LLM: client = OpenAI()`, read as `LLM.client`)
        owner = model.instance_class(binding.value, reader.root, END) if isinstance(binding, Assigned) \
            else binding.scope if isinstance(binding, DefinedClass) else None
        if owner is None:
            continue
        for attr in sorted({*owner.attributes, *owner.names}):
            held = model.infer(cst.Attribute(value=cst.Name(name), attr=cst.Name(attr)), reader.root, END)
            if isinstance(held, Client) and not held.chain:
                found.append((f"{reader.module_name}.{name}.{attr}", held, "client"))
    if not found:
        return
    for qualified, client, kind in found:
        entries, opaque, base_url = client_carriers(model, client)
        line = column = 0
        if client.construction is not None:
            start = positions.start(client.construction)
            line, column = start.line, start.column + 1
        yield qualified, ExportedClient(
            client.family.name, client.provider, client.constructor, "factory" if kind == "factory" else "client",
            tuple(entries), tuple(opaque), base_url if base_url is not None else client.base_url, path, line, column,
            client.model_is_deployment)
