"""Building call sites: a recorded call whose callee is an SDK method, function or declared wrapper becomes an `ExtractedCallSite`.

The SDK surface says, per method or function, where the model, the output limit, the endpoint
and the attribution carriers are (value paths); the model's readers find the expressions there
and the evaluator turns them into `StaticValue`s. Positions are taken from the module only for
calls that are call sites.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator, Literal

import libcst as cst

from ..attribution_carriers import needs_resolve
from ..callsite import (
    AttributionEntry,
    ClientInfo,
    ExportedClient,
    ExtractedCallSite,
    OpaqueCarrier,
    StaticValue,
)
from ..fingerprint import call_digest
from ..providers import canonical_site, load_providers, model_text
from ..surface import AliasTable, Carrier, Function, ModelLimit, Surface, Switch
from ._bindings import END, Client, LocalFunction, QName, RecordedCall, Scope
from ._inputs import ExtractionInputs, WrapperSpec
from ._model import ModuleModel
from ._positions import NodePositions


@dataclass(frozen=True)
class SitePlace:
    """Where a module's call sites are reported: its root-relative path and its nodes' positions."""

    path: str
    module: cst.Module
    positions: NodePositions
    #: The module's bytes, to rule calls out cheaply (None: every call is examined).
    source: bytes | None = None


@dataclass(frozen=True)
class _ClientOrigin:
    """Where the client a call uses was built: a node of this module, or another module's export."""

    constructor: str
    node: cst.CSTNode | None = None
    exported: ExportedClient | None = None
    base_url: StaticValue | None = None
    factory: str | None = None


def call_sites(model: ModuleModel, inputs: ExtractionInputs, place: SitePlace) -> Iterator[tuple[cst.Call, ExtractedCallSite]]:
    """Every recorded call of the module that is a call site, with the node it was found at."""
    functions = inputs.surface.function_index()
    wrappers = {w.function: w for w in inputs.wrappers}
    module_clients = {m: family for family in inputs.surface.families for m in family.module_clients}
    module_name = model.reader.module_name
    bound = _names_forwarders(inputs.surface, place.source, returning=True)
    forwards = bound or _names_forwarders(inputs.surface, place.source, returning=False)
    methods = None if bound else _site_methods(model, inputs)
    for recorded in model.reader.calls:
        func = recorded.node.func
        if methods is not None and isinstance(func, cst.Attribute) and func.attr.value not in methods:
            continue
        call = model.unpartial(recorded, bound=bound) if forwards else recorded
        scope, seq = call.scope, call.seq
        function_name = scope.qualname() if scope.kind == "function" else None
        if function_name and f"{module_name}.{function_name}" in wrappers:
            continue  # the SDK call inside a declared wrapper is reported at the wrapper's call sites
        symbol = model.infer(call.node.func, scope, seq)
        site: ExtractedCallSite | None = None
        if isinstance(symbol, LocalFunction):
            qualified = f"{module_name}.{symbol.scope.qualname()}"
            if qualified in wrappers:
                site = _wrapper_site(model, place, recorded, call, wrappers[qualified], function_name, symbol.scope)
        elif isinstance(symbol, QName):
            root, _, rest = symbol.name.partition(".")
            spec = functions.get(symbol.name) or (functions.get(f"{root}.*.{rest.rsplit('.', 1)[-1]}") if rest else None)
            if spec is not None:
                site = _function_site(model, place, recorded, call, spec, function_name)
            elif symbol.name in wrappers:
                site = _wrapper_site(model, place, recorded, call, wrappers[symbol.name], function_name)
            else:
                for module, family in module_clients.items():
                    if symbol.name.startswith(module + "."):
                        chain = tuple(p for p in symbol.name[len(module) + 1:].split(".") if p not in family.transparent)
                        client = Client(family, family.provider, chain, constructor=module)
                        site = _client_site(model, place, recorded, call, client, function_name, module_level=True)
                        break
        elif isinstance(symbol, Client):
            site = _client_site(model, place, recorded, call, symbol, function_name)
        elif symbol is None and wrappers and isinstance(call.node.func, cst.Attribute):
            # a wrapper method on an instance: `llm = LLMClient(); llm.complete(...)`
            owner = model.class_name(call.node.func.value, scope, seq)
            method = f"{owner}.{call.node.func.attr.value}" if owner is not None else None
            if method in wrappers:
                site = _wrapper_site(model, place, recorded, call, wrappers[method], function_name)
        if site is not None:
            yield recorded.node, replace(site, scopes=model.scope_calls(call))


def _site_methods(model: ModuleModel, inputs: ExtractionInputs) -> frozenset[str]:
    """The names `x.NAME(...)` must call to be a call site in a module that names no forwarder returning a callable.

    Recognition reaches a call site through the name a call is made with: an SDK method chain ends with it
    (`.create`), an SDK function or a wrapper is named by it, a forwarder (`.submit`, `to_thread`) is. The one way
    around is an attribute bound to a method (`self.send = client.messages.create`, `app.state.send = ...`), so
    the attributes this module assigns count too; and a callable a forwarder returns (`self.send = partial(...)`),
    so a module that names such a forwarder (`_names_forwarders`) has every call examined. Most method calls
    (`logger.info`, `session.commit`) are ruled out here, before any inference.
    """
    surface = inputs.surface
    names = set(inputs.call_names())
    names.update((f.name or "").rsplit(".", 1)[-1] or f.method or "" for f in surface.call_forwarders)
    for family in surface.families:
        names.update(family.transparent)
    reader = model.reader
    for owner in reader.classes:
        names.update(owner.names)
        names.update(owner.attributes)
    names.update(target.attr.value for target, _ in reader.settings)
    return frozenset(names)


def _names_forwarders(surface: Surface, source: bytes | None, *, returning: bool) -> bool:
    """Whether the module's bytes name a call forwarder (`to_thread`, `submit`, `partial`), which any way of reaching
    one from the module must: without one, no call of it runs another callable (`returning`: only those forwarders
    that return a callable, `send = partial(client.create, ...)`, which a call may go through bound to a name)."""
    names = {(f.name or "").rsplit(".", 1)[-1] or f.method or "" for f in surface.call_forwarders
             if f.returns or not returning}
    return source is None or any(name.encode() in source for name in names if name)


def _start(place: SitePlace, node: cst.CSTNode) -> tuple[int, int] | None:
    where = place.positions.get(node)
    return (where.start.line, where.start.column + 1) if where is not None else None


def _site(model: ModuleModel, place: SitePlace, recorded: RecordedCall, *, provider: str, framework: str | None,
          operation: str, api: str, model_value: StaticValue | None, default_model: str | None, limit: StaticValue | None,
          attribution: list[AttributionEntry], opaque: list[OpaqueCarrier], function: str | None,
          origin: _ClientOrigin | None = None, model_is_deployment: bool = False, provider_inference: str | None = None,
          provider_hint: str | None = None, provider_options: tuple[str, ...] = (),
          splat_paths: tuple[tuple[Literal["model", "limit"], tuple[str, ...]], ...] = ()) -> ExtractedCallSite:
    """The call site at `recorded.node`, its provider refined from what is known in this file."""
    where = place.positions[recorded.node]
    client = None
    if origin is not None:
        line, column = where.start.line, where.start.column + 1
        built = _start(place, origin.node) if origin.node is not None else None
        if built is not None:
            line, column = built
        elif origin.exported is not None and origin.exported.path is not None:
            line, column = origin.exported.line, origin.exported.column
        client = ClientInfo(origin.constructor, line, column, origin.base_url,
                            origin.exported.path if origin.exported is not None else None, origin.factory)
    extracted = ExtractedCallSite(
        path=place.path, line=where.start.line, column=where.start.column + 1, end_line=where.end.line,
        end_column=where.end.column + 1, provider=provider, framework=framework, operation=operation, api=api,
        model=model_value, default_model=default_model, max_output_tokens=limit, attribution=tuple(attribution),
        opaque_carriers=tuple(opaque), function=function, client=client, model_is_deployment=model_is_deployment,
        source_hash=call_digest(place.module.code_for_node(recorded.node)), provider_inference=provider_inference,
        provider_hint=provider_hint, provider_options=provider_options, splat_paths=splat_paths,
    )
    base_url = origin.base_url.value if origin is not None and origin.base_url is not None and origin.base_url.known else None
    return canonical_site(extracted, model_text(model_value, default_model),
                          base_url if isinstance(base_url, str) else None, load_providers())


def first_value(model: ModuleModel, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression],
                paths: tuple[str, ...], scope: Scope, seq: int) -> StaticValue | None:
    """The value at the first of `paths` that the call passes (a literal `None` counts as not passed)."""
    evaluator = model.evaluator(scope, seq)
    for path in paths:
        node = model.locate(keywords, positional, path, evaluator, scope, seq)
        if node is not None and not (isinstance(node, cst.Name) and node.value == "None"):
            return evaluator.value(node)
    return None


def _carrier_values(model: ModuleModel, carriers: tuple[Carrier, ...], keywords: dict[str, cst.BaseExpression],
                    positional: list[cst.BaseExpression], scope: Scope, seq: int
                    ) -> tuple[list[AttributionEntry], list[OpaqueCarrier]]:
    entries: list[AttributionEntry] = []
    opaque: list[OpaqueCarrier] = []
    for item in model.carriers(carriers, keywords, positional, scope, seq):
        if isinstance(item, AttributionEntry):
            entries.append(item)
        else:
            opaque.append(item)
    return entries, opaque


def _function_site(model: ModuleModel, place: SitePlace, recorded: RecordedCall, call: RecordedCall, spec: Function,
                   function_name: str | None) -> ExtractedCallSite:
    keywords, positional, splats = model.call_arguments(call.node, call.scope, call.seq)
    entries, opaque = _carrier_values(model, spec.carriers, keywords, positional, call.scope, call.seq)
    hidden, readable = _splats(model, call, splats, spec.carriers, keywords)
    opaque.extend(hidden)
    if not splats or _passes_any(keywords, positional, spec.model):
        model_value = first_value(model, keywords, positional, spec.model, call.scope, call.seq)
    else:
        model_value = _splat_unknown(model, splats)
    limit = first_value(model, keywords, positional, _limit_paths(spec.limit, spec.limit_by_model, model_value),
                        call.scope, call.seq)
    splat_paths = _splat_paths(readable, model_value, spec.model, limit,
                               _limit_paths(spec.limit, spec.limit_by_model, None))
    hint: str | None = None
    if spec.provider_argument is not None:
        named = first_value(model, keywords, positional, (spec.provider_argument,), call.scope, call.seq)
        hint = named.value if named is not None and named.known and isinstance(named.value, str) else None
    base_url = first_value(model, keywords, positional, spec.base_url, call.scope, call.seq) if spec.base_url else None
    if base_url is None:
        base_url = _setting(model, spec.base_url_settings)
    switch = _switch(model, spec.switches, keywords, call.scope, call.seq)
    return _site(
        model, place, recorded,
        provider=switch.provider if switch is not None else spec.provider,
        framework=spec.framework,
        operation=spec.operation,
        api=spec.api or spec.name,
        model_value=model_value,
        default_model=spec.default_model,
        limit=limit,
        attribution=entries,
        opaque=opaque,
        function=function_name,
        origin=_ClientOrigin(spec.name, call.node, base_url=base_url) if base_url is not None else None,
        model_is_deployment=spec.model_is_deployment or (switch is not None and switch.deployment),
        provider_inference=spec.provider_inference,
        provider_hint=hint,
        splat_paths=splat_paths,
    )


def _setting(model: ModuleModel, names: tuple[str, ...]) -> StaticValue | None:
    """The first of these module settings the file assigns (`openai.api_base = "http://localhost:8000/v1"`)."""
    for name in names:
        value = model.setting(name)
        if value is not None:
            return value
    return None


def _switch(model: ModuleModel, switches: tuple[Switch, ...], keywords: dict[str, cst.BaseExpression],
            scope: Scope, seq: int) -> Switch | None:
    """The first switch whose argument or module setting has one of its values."""
    for switch in switches:
        value: StaticValue | None = None
        if switch.argument is not None and switch.argument in keywords:
            value = model.evaluator(scope, seq).value(keywords[switch.argument])
        elif switch.setting is not None:
            value = model.setting(switch.setting)
        if value is not None and value.known and isinstance(value.value, str) and value.value.lower() in switch.equals:
            return switch
    return None


def _aliased(model: ModuleModel, table: AliasTable, alias: StaticValue, construction: cst.Call, scope: Scope) -> StaticValue:
    """The model an alias stands for in the construction's table; unknown unless exactly one model is named."""
    unknown = StaticValue.unknown(alias.expression)
    if not alias.known:
        return unknown
    keywords, positional, _ = model.call_arguments(construction, scope, END)
    evaluator = model.evaluator(scope, END)
    listing = model.locate(keywords, positional, table.argument, evaluator, scope, END)
    listing = evaluator.follow(listing) if listing is not None else None
    if not isinstance(listing, (cst.List, cst.Tuple)):
        return unknown
    models: set[object] = set()
    found: StaticValue | None = None
    for element in listing.elements:
        entry = {"entry": element.value}
        name = model.locate(entry, [], f"entry.{table.alias}", evaluator, scope, END)
        if name is None or evaluator.value(name).value != alias.value:
            continue
        target = model.locate(entry, [], f"entry.{table.model}", evaluator, scope, END)
        value = evaluator.value(target) if target is not None else None
        if value is None or not value.known:
            return unknown
        models.add(value.value)
        found = StaticValue(expression=alias.expression, value=value.value, known=True)
    return found if found is not None and len(models) == 1 else unknown


def _limit_paths(limit: tuple[str, ...], by_model: tuple[ModelLimit, ...], model: StaticValue | None) -> tuple[str, ...]:
    """The limit paths to try: the model family's when the model is known, else every family's."""
    if not by_model:
        return limit
    text = model.value.lower() if model is not None and model.known and isinstance(model.value, str) else None
    if text is not None:
        for rule in by_model:
            if any(text.startswith(p) or f".{p}" in text or f"/{p}" in text for p in (m.lower() for m in rule.models)):
                return rule.limit + limit
    return tuple(dict.fromkeys(path for rule in by_model for path in rule.limit)) + limit


def _passes_any(keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], paths: tuple[str, ...]) -> bool:
    """The call passes one of `paths` outright (so a `**` splat can't be what sets it)."""
    for path in paths:
        first = path.split(".")[0]
        if first.startswith("#"):
            if int(first[1:]) < len(positional):
                return True
        elif first in keywords:
            return True
    return False


def _splats(model: ModuleModel, call: RecordedCall, splats: list[cst.BaseExpression], carriers: tuple[Carrier, ...],
            keywords: dict[str, cst.BaseExpression]) -> tuple[list[OpaqueCarrier], bool]:
    """The call's `*`/`**` arguments that can't be read here, as opaque carriers; and whether the one `**` argument
    names another module's dict constant (`**DEFAULTS`), which resolve reads: then it keeps its value, and each carrier
    the call doesn't pass by name is looked up in it there."""
    hidden = [OpaqueCarrier("**kwargs", "body", model.code(s), "kwargs") for s in splats]
    double = [a for a in call.node.args if a.star == "**"]
    if len(splats) != 1 or len(double) != 1 or double[0].value is not splats[0]:
        return hidden, False
    value = model.evaluator(call.scope, call.seq).structure(splats[0])
    if not needs_resolve(value) and not any(needs_resolve(p) for p in value.merged):
        return hidden, False
    text = model.code(splats[0])
    hidden = [replace(hidden[0], value=value)]
    hidden += [OpaqueCarrier(c.path, c.layer, text, c.kind, c.key, value=value, within=c.path)
               for c in carriers if c.path.split(".")[0] not in keywords]
    return hidden, True


def _splat_paths(readable: bool, model_value: StaticValue | None, model_paths: tuple[str, ...],
                 limit: StaticValue | None, limit_paths: tuple[str, ...]
                 ) -> tuple[tuple[Literal["model", "limit"], tuple[str, ...]], ...]:
    """Where resolve looks for the model and the limit in a `**` argument it can read (see `_splats`)."""
    if not readable:
        return ()
    paths: list[tuple[Literal["model", "limit"], tuple[str, ...]]] = []
    if model_value is not None and model_value.expression.startswith("**") and model_paths:
        paths.append(("model", tuple(p for p in model_paths if not p.startswith("#"))))
    if limit is None and limit_paths:
        paths.append(("limit", limit_paths))
    return tuple(paths)


def _splat_unknown(model: ModuleModel, splats: list[cst.BaseExpression]) -> StaticValue:
    return StaticValue.unknown("**" + model.code(splats[0]))


def _client_site(model: ModuleModel, place: SitePlace, recorded: RecordedCall, call: RecordedCall, client: Client,
                 function_name: str | None, module_level: bool = False) -> ExtractedCallSite | None:
    chain = ".".join(client.chain)
    method = next((m for m in client.family.methods if m.chain == chain), None)
    if method is None:
        return None
    keywords, positional, splats = model.call_arguments(call.node, call.scope, call.seq)
    entries, opaque = _carrier_values(model, method.carriers + client.family.call_carriers,
                                      keywords, positional, call.scope, call.seq)
    hidden, readable = _splats(model, call, splats, method.carriers + client.family.call_carriers, keywords)
    opaque.extend(hidden)
    client_entries, client_opaque, base_url = client_carriers(model, client)
    entries.extend(client_entries)
    opaque.extend(client_opaque)
    if base_url is None:
        base_url = client.base_url
    if base_url is None and module_level:
        base_url = _setting(model, client.family.base_url_settings)
    model_value = first_value(model, keywords, positional, method.model, call.scope, call.seq) if method.model else None
    if model_value is None and splats and method.model:
        model_value = _splat_unknown(model, splats)
    limit = first_value(model, keywords, positional, _limit_paths(method.limit, method.limit_by_model, model_value),
                        call.scope, call.seq)
    splat_paths = _splat_paths(readable, model_value, method.model, limit,
                               _limit_paths(method.limit, method.limit_by_model, None))
    family = client.family
    if model_value is not None and family.aliases is not None and client.construction is not None \
            and client.construction_scope is not None:
        model_value = _aliased(model, family.aliases, model_value, client.construction, client.construction_scope)
    switch = _switch(model, family.switches, keywords, call.scope, call.seq) if module_level else None
    if model_value is None and client.construction is not None and client.construction_scope is not None \
            and family.model_from_client:
        # clients that bind the model when built (`instructor.from_provider("openai/gpt-4o-mini")`)
        c_keywords, c_positional, _ = model.call_arguments(client.construction, client.construction_scope, END)
        model_value = first_value(model, c_keywords, c_positional, family.model_from_client, client.construction_scope, END)
    origin = None
    if client.constructor:
        origin = _ClientOrigin(client.constructor, client.construction, client.exported, base_url, client.factory)
    return _site(
        model, place, recorded,
        provider=switch.provider if switch is not None else client.provider,
        framework=client.framework,
        operation=method.operation,
        api=method.api or f"{client.family.name}.{chain}",
        model_value=model_value,
        default_model=method.default_model,
        limit=limit,
        attribution=entries,
        opaque=opaque,
        function=function_name,
        origin=origin,
        model_is_deployment=client.model_is_deployment or (switch is not None and switch.deployment),
        provider_inference=family.provider_inference,
        provider_options=client.providers,
        splat_paths=splat_paths,
    )


def client_carriers(model: ModuleModel, client: Client
                    ) -> tuple[list[AttributionEntry], list[OpaqueCarrier], StaticValue | None]:
    """Attribution the client's constructor (and `with_options`) attaches, and its base URL."""
    if client.exported is not None:
        exported = client.exported
        return list(exported.attribution), list(exported.opaque_carriers), exported.base_url
    entries: list[AttributionEntry] = []
    opaque: list[OpaqueCarrier] = []
    base_url: StaticValue | None = None
    construction_calls: list[tuple[cst.Call, Scope]] = []
    if client.construction is not None and client.construction_scope is not None:
        construction_calls.append((client.construction, client.construction_scope))
    construction_calls.extend(client.extra_carrier_calls)
    for node, scope in construction_calls:
        keywords, positional, _ = model.call_arguments(node, scope, END)
        found, hidden = _carrier_values(model, client.family.client_carriers, keywords, positional, scope, END)
        entries.extend(found)
        opaque.extend(hidden)
        if base_url is None:
            base_url = first_value(model, keywords, positional, client.family.base_url, scope, END)
    return entries, opaque, base_url


def _wrapper_site(model: ModuleModel, place: SitePlace, recorded: RecordedCall, call: RecordedCall, wrapper: WrapperSpec,
                  function_name: str | None, definition: Scope | None = None) -> ExtractedCallSite:
    keywords, positional, splats = model.call_arguments(call.node, call.scope, call.seq)
    if definition is not None and isinstance(definition.node, cst.FunctionDef):
        # a wrapper defined here: its positional arguments map to its parameter names
        params = [*definition.node.params.posonly_params, *definition.node.params.params]
        if definition.self_name is not None and isinstance(call.node.func, cst.Attribute):
            params = params[1:]
        for param, value in zip(params, positional):
            keywords.setdefault(param.name.value, value)
        if not splats:
            # an argument left out takes the wrapper's default
            for param in [*params, *definition.node.params.kwonly_params]:
                if param.default is not None:
                    keywords.setdefault(param.name.value, param.default)
    evaluator = model.evaluator(call.scope, call.seq)
    entries = [
        AttributionEntry(key, evaluator.value(keywords[argument]), argument, "body")
        for key, argument in wrapper.attribution
        if argument in keywords
    ]
    opaque = [OpaqueCarrier("**kwargs", "body", model.code(s), "kwargs") for s in splats]
    return _site(
        model, place, recorded,
        provider=wrapper.provider,
        framework=None,
        operation=wrapper.operation,
        api=wrapper.function,
        model_value=first_value(model, keywords, positional, (wrapper.model,), call.scope, call.seq) if wrapper.model else None,
        default_model=None,
        limit=first_value(model, keywords, positional, (wrapper.max_output_tokens,), call.scope, call.seq)
        if wrapper.max_output_tokens else None,
        attribution=entries,
        opaque=opaque,
        function=function_name,
    )
