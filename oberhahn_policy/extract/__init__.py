"""Extraction: from one file's source to its call sites, independent of the policy.

The only inputs beside the source are the SDK surface (data shipped with the package), the
organisation's declared wrappers and the clients other project modules export; all three are
part of the cache key of a file's extraction.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..callsite import (
    AttributionEntry,
    ExportedClient,
    ClientInfo,
    ExtractedCallSite,
    FileExtraction,
    OpaqueCarrier,
    ParseProblem,
    ScopeCall,
    StaticValue,
)
from ..fingerprint import call_digest
from ..providers import canonical_site, model_text
from ..surface import AliasTable, Carrier, Function, ModelLimit, Surface, Switch
from ._comments import file_attribution, suppressions
from ._context import CallContext, may_instrument, module_calls
from ._reader import (
    Assigned,
    Client,
    DefinedClass,
    DefinedFunction,
    LocalFunction,
    ModuleReader,
    QName,
    RecordedCall,
    Recogniser,
    Scope,
)

__all__ = ["ExtractionInputs", "WrapperSpec", "extract_source", "may_contain_call_sites", "module_constants"]

#: Files above this size are reported and skipped: generated code, vendored bundles.
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class WrapperSpec:
    """An organisation wrapper, as extraction needs it (a projection of the policy's `wrappers`)."""

    function: str
    provider: str
    operation: str
    model: str | None
    max_output_tokens: str | None
    attribution: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ExtractionInputs:
    """Everything besides the source that extraction depends on (and so the cache key)."""

    surface: Surface
    wrappers: tuple[WrapperSpec, ...] = ()
    project_clients: dict[str, ExportedClient] = field(default_factory=dict)

    def roots(self) -> frozenset[str]:
        names = set(self.surface.roots())
        names.update(w.function.split(".")[0] for w in self.wrappers)
        names.update(name.split(".")[0] for name in self.project_clients)
        return frozenset(names)


def _prefilter(roots: frozenset[str]) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(r.encode()) for r in sorted(roots))
    return re.compile(rb"^[ \t]*(?:from[ \t]+(?:" + alternatives + rb")\b|import[ \t]+[^\n#]*\b(?:" + alternatives + rb")\b)",
                      re.MULTILINE)


_PREFILTERS: dict[frozenset[str], re.Pattern[bytes]] = {}


def may_contain_call_sites(source: bytes, inputs: ExtractionInputs) -> bool:
    """A cheap byte scan: only files that import an SDK (or a project client, or a wrapper) can hold a call site."""
    roots = inputs.roots()
    pattern = _PREFILTERS.get(roots)
    if pattern is None:
        pattern = _PREFILTERS.setdefault(roots, _prefilter(roots))
    if pattern.search(source):
        return True
    # relative imports of project modules that export clients
    return bool(inputs.project_clients) and b"from ." in source


def extract_source(path: str, source: bytes, module_name: str, inputs: ExtractionInputs,
                   *, force_parse: bool = False) -> FileExtraction:
    """Every call site in one file; a file that can't be parsed yields a ParseProblem, never an exception."""
    text_for_comments = source.decode("utf-8", errors="replace")
    comments = dict(
        file_attribution=file_attribution(text_for_comments),
        suppressions=suppressions(text_for_comments),
    )
    if len(source) > MAX_FILE_BYTES:
        problem = ParseProblem(path, 1, 1, f"file is {len(source) // 1000} kB, above the {MAX_FILE_BYTES // 1_000_000} MB limit; it was skipped")
        return FileExtraction(path=path, problem=problem, **comments)  # type: ignore[arg-type]
    if not force_parse and not may_contain_call_sites(source, inputs) and not may_instrument(source):
        return FileExtraction(path=path, parsed=False, **comments)  # type: ignore[arg-type]
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FileExtraction(path=path, problem=_syntax_problem(path, source, exc), **comments)  # type: ignore[arg-type]
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        message = f"cannot decode the file: {exc}; save it as UTF-8 or declare its encoding"
        return FileExtraction(path=path, problem=ParseProblem(path, 1, 1, message), **comments)  # type: ignore[arg-type]
    reader = ModuleReader(module, module_name)
    module.visit(reader)
    recogniser = Recogniser(reader, inputs.surface, inputs.project_clients)
    found = list(_call_sites(reader, recogniser, inputs))
    call_sites: tuple[ExtractedCallSite, ...] = ()
    # positions cost a full code generation of the module (more than the parse itself): computed once,
    # and only for modules that report something
    positions = _Positions(module)
    if found:
        context = CallContext(reader, recogniser, positions)
        call_sites = tuple(sorted((context.annotate(_finish(path, positions[node], site, positions, inputs.surface,
                                                            module.code_for_node(node)), node)
                                   for node, site in found),
                                  key=lambda s: (s.line, s.column)))
    return FileExtraction(
        path=path,
        call_sites=call_sites,
        constants=tuple(_constants(reader, recogniser)),
        exports=tuple(_exports(path, reader, recogniser, positions)),
        module_calls=module_calls(reader, recogniser),
        **comments,  # type: ignore[arg-type]
    )


def _syntax_problem(path: str, source: bytes, error: cst.ParserSyntaxError) -> ParseProblem:
    """Python's own compiler locates and words syntax errors better than libcst; ask it (it runs nothing)."""
    line, column, detail = error.raw_line, error.raw_column + 1, error.message
    try:
        compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        line, column, detail = exc.lineno or line, exc.offset or column, exc.msg
    except (ValueError, UnicodeDecodeError):
        pass
    return ParseProblem(path, line, column,
                        f"syntax error: {detail}; the file was skipped, fix the syntax so its calls can be checked")


class _Positions(Mapping[cst.CSTNode, CodeRange]):
    """Positions of a module's nodes, computed on first use and then shared by everyone who asks."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._table: Mapping[cst.CSTNode, CodeRange] | None = None

    def _resolved(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._table is None:
            self._table = MetadataWrapper(self._module, unsafe_skip_copy=True).resolve(PositionProvider)
        return self._table

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        return self._resolved()[node]

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._resolved())

    def __len__(self) -> int:
        return len(self._resolved())


@dataclass
class _Site:
    provider: str
    framework: str | None
    operation: str
    api: str
    model: StaticValue | None
    default_model: str | None
    limit: StaticValue | None
    attribution: list[AttributionEntry]
    opaque: list[OpaqueCarrier]
    scopes: tuple[ScopeCall, ...]
    function: str | None
    client_constructor: str | None = None
    client_node: cst.Call | None = None
    base_url: StaticValue | None = None
    model_is_deployment: bool = False
    client_path: str | None = None
    client_line: int = 0
    client_column: int = 0
    client_factory: str | None = None
    provider_inference: str | None = None
    provider_hint: str | None = None


def _finish(path: str, where: CodeRange, site: _Site, positions: object, surface: Surface, code: str = "") -> ExtractedCallSite:
    client = None
    if site.client_constructor is not None:
        line, column = where.start.line, where.start.column + 1
        if site.client_node is not None:
            client_range = positions[site.client_node]  # type: ignore[index]
            line, column = client_range.start.line, client_range.start.column + 1
        elif site.client_path is not None:
            line, column = site.client_line, site.client_column
        client = ClientInfo(site.client_constructor, line, column, site.base_url, site.client_path, site.client_factory)
    extracted = ExtractedCallSite(
        path=path,
        line=where.start.line,
        column=where.start.column + 1,
        end_line=where.end.line,
        end_column=where.end.column + 1,
        provider=site.provider,
        framework=site.framework,
        operation=site.operation,
        api=site.api,
        model=site.model,
        default_model=site.default_model,
        max_output_tokens=site.limit,
        attribution=tuple(site.attribution),
        opaque_carriers=tuple(site.opaque),
        scopes=site.scopes,
        function=site.function,
        client=client,
        model_is_deployment=site.model_is_deployment,
        source_hash=call_digest(code),
        provider_inference=site.provider_inference,
        provider_hint=site.provider_hint,
    )
    base_url = site.base_url.value if site.base_url is not None and site.base_url.known else None
    return canonical_site(extracted, model_text(site.model, site.default_model),
                          base_url if isinstance(base_url, str) else None, surface.providers)


def _first(recogniser: Recogniser, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression],
           paths: tuple[str, ...], scope: Scope, seq: int) -> StaticValue | None:
    evaluator = recogniser.evaluator(scope, seq)
    for path in paths:
        node = recogniser.locate(keywords, positional, path, evaluator, scope, seq)
        if node is not None and not (isinstance(node, cst.Name) and node.value == "None"):
            return evaluator.value(node)
    return None


def _call_sites(reader: ModuleReader, recogniser: Recogniser, inputs: ExtractionInputs):  # type: ignore[no-untyped-def]
    functions = inputs.surface.function_index()
    wrappers = {w.function: w for w in inputs.wrappers}
    module_clients = {m: family for family in inputs.surface.families for m in family.module_clients}
    for recorded in reader.calls:
        call = recogniser.unpartial(recorded)
        scope, seq = call.scope, call.seq
        function_name = scope.qualname() if scope.kind == "function" else None
        if function_name and f"{reader.module_name}.{function_name}" in wrappers:
            continue  # the SDK call inside a declared wrapper is reported at the wrapper's call sites
        symbol = recogniser.infer(call.node.func, scope, seq)
        site: _Site | None = None
        if isinstance(symbol, LocalFunction):
            qualified = f"{reader.module_name}.{symbol.scope.qualname()}"
            if qualified in wrappers:
                site = _wrapper_site(recogniser, call, wrappers[qualified], function_name, symbol.scope)
        elif isinstance(symbol, QName):
            root, _, rest = symbol.name.partition(".")
            spec = functions.get(symbol.name) or (functions.get(f"{root}.*.{rest.rsplit('.', 1)[-1]}") if rest else None)
            if spec is not None:
                site = _function_site(recogniser, call, spec, function_name)
            elif symbol.name in wrappers:
                site = _wrapper_site(recogniser, call, wrappers[symbol.name], function_name)
            else:
                for module, family in module_clients.items():
                    if symbol.name.startswith(module + "."):
                        chain = tuple(p for p in symbol.name[len(module) + 1:].split(".") if p not in family.transparent)
                        client = Client(family, family.provider, chain, constructor=module)
                        site = _client_site(recogniser, call, client, function_name, module_level=True)
                        break
        elif isinstance(symbol, Client):
            site = _client_site(recogniser, call, symbol, function_name)
        elif symbol is None and wrappers and isinstance(call.node.func, cst.Attribute):
            # a wrapper method on an instance: `llm = LLMClient(); llm.complete(...)`
            owner = recogniser.class_name(call.node.func.value, scope, seq)
            method = f"{owner}.{call.node.func.attr.value}" if owner is not None else None
            if method in wrappers:
                site = _wrapper_site(recogniser, call, wrappers[method], function_name)
        if site is not None:
            site.scopes = recogniser.scope_calls(call)
            yield recorded.node, site


def _carrier_values(recogniser: Recogniser, carriers: tuple[Carrier, ...], keywords, positional, scope, seq  # type: ignore[no-untyped-def]
                    ) -> tuple[list[AttributionEntry], list[OpaqueCarrier]]:
    entries: list[AttributionEntry] = []
    opaque: list[OpaqueCarrier] = []
    for item in recogniser.carriers(carriers, keywords, positional, scope, seq):
        (entries if isinstance(item, AttributionEntry) else opaque).append(item)  # type: ignore[arg-type]
    return entries, opaque


def _function_site(recogniser: Recogniser, call: RecordedCall, spec: Function, function_name: str | None) -> _Site:
    keywords, positional, splats = recogniser.call_arguments(call.node, call.scope, call.seq)
    entries, opaque = _carrier_values(recogniser, spec.carriers, keywords, positional, call.scope, call.seq)
    opaque.extend(OpaqueCarrier("**kwargs", "body", recogniser.code(s)) for s in splats)
    model = _first(recogniser, keywords, positional, spec.model, call.scope, call.seq) if not splats or _has_any(keywords, positional, spec.model) else _splat_unknown(recogniser, splats)
    hint: str | None = None
    if spec.provider_argument is not None:
        named = _first(recogniser, keywords, positional, (spec.provider_argument,), call.scope, call.seq)
        hint = named.value if named is not None and named.known and isinstance(named.value, str) else None
    base_url = _first(recogniser, keywords, positional, spec.base_url, call.scope, call.seq) if spec.base_url else None
    if base_url is None:
        base_url = _setting(recogniser, spec.base_url_settings)
    switch = _switch(recogniser, spec.switches, keywords, call.scope, call.seq)
    return _Site(
        provider=switch.provider if switch is not None else spec.provider,
        framework=spec.framework,
        operation=spec.operation,
        api=spec.api or spec.name,
        model=model,
        default_model=spec.default_model,
        limit=_first(recogniser, keywords, positional, _limit_paths(spec.limit, spec.limit_by_model, model),
                     call.scope, call.seq),
        attribution=entries,
        opaque=opaque,
        scopes=(),
        function=function_name,
        client_constructor=spec.name if base_url is not None else None,
        client_node=call.node if base_url is not None else None,
        base_url=base_url,
        model_is_deployment=spec.model_is_deployment or (switch is not None and switch.deployment),
        provider_inference=spec.provider_inference,
        provider_hint=hint,
    )


def _setting(recogniser: Recogniser, names: tuple[str, ...]) -> StaticValue | None:
    """The first of these module settings the file assigns (`openai.api_base = "http://localhost:8000/v1"`)."""
    for name in names:
        value = recogniser.setting(name)
        if value is not None:
            return value
    return None


def _switch(recogniser: Recogniser, switches: tuple[Switch, ...], keywords: dict[str, cst.BaseExpression],
            scope: Scope, seq: int) -> Switch | None:
    """The first switch whose argument or module setting has one of its values."""
    for switch in switches:
        value: StaticValue | None = None
        if switch.argument is not None and switch.argument in keywords:
            value = recogniser.evaluator(scope, seq).value(keywords[switch.argument])
        elif switch.setting is not None:
            value = recogniser.setting(switch.setting)
        if value is not None and value.known and isinstance(value.value, str) and value.value.lower() in switch.equals:
            return switch
    return None


def _aliased(recogniser: Recogniser, table: AliasTable, alias: StaticValue, construction: cst.Call, scope: Scope
             ) -> StaticValue:
    """The model an alias stands for in the construction's table; unknown unless exactly one model is named."""
    unknown = StaticValue.unknown(alias.expression)
    if not alias.known:
        return unknown
    keywords, positional, _ = recogniser.call_arguments(construction, scope, 10**9)
    evaluator = recogniser.evaluator(scope, 10**9)
    listing = recogniser.locate(keywords, positional, table.argument, evaluator, scope, 10**9)
    listing = evaluator.follow(listing) if listing is not None else None
    if not isinstance(listing, (cst.List, cst.Tuple)):
        return unknown
    models: set[object] = set()
    found: StaticValue | None = None
    for element in listing.elements:
        entry = {"entry": element.value}
        name = recogniser.locate(entry, [], f"entry.{table.alias}", evaluator, scope, 10**9)
        if name is None or evaluator.value(name).value != alias.value:
            continue
        target = recogniser.locate(entry, [], f"entry.{table.model}", evaluator, scope, 10**9)
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


def _has_any(keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], paths: tuple[str, ...]) -> bool:
    for path in paths:
        first = path.split(".")[0]
        if first.startswith("#"):
            if int(first[1:]) < len(positional):
                return True
        elif first in keywords:
            return True
    return False


def _splat_unknown(recogniser: Recogniser, splats: list[cst.BaseExpression]) -> StaticValue:
    return StaticValue.unknown("**" + recogniser.code(splats[0]))


def _client_site(recogniser: Recogniser, call: RecordedCall, client: Client, function_name: str | None,
                 module_level: bool = False) -> _Site | None:
    chain = ".".join(client.chain)
    method = next((m for m in client.family.methods if m.chain == chain), None)
    if method is None:
        return None
    keywords, positional, splats = recogniser.call_arguments(call.node, call.scope, call.seq)
    entries, opaque = _carrier_values(recogniser, method.carriers + client.family.call_carriers,
                                      keywords, positional, call.scope, call.seq)
    opaque.extend(OpaqueCarrier("**kwargs", "body", recogniser.code(s)) for s in splats)
    client_entries, client_opaque, base_url = _client_carriers(recogniser, client)
    entries.extend(client_entries)
    opaque.extend(client_opaque)
    if base_url is None:
        base_url = client.base_url
    if base_url is None and module_level:
        base_url = _setting(recogniser, client.family.base_url_settings)
    model = _first(recogniser, keywords, positional, method.model, call.scope, call.seq) if method.model else None
    if model is None and splats and method.model:
        model = _splat_unknown(recogniser, splats)
    limit = _first(recogniser, keywords, positional, _limit_paths(method.limit, method.limit_by_model, model),
                   call.scope, call.seq)
    family = client.family
    if model is not None and family.aliases is not None and client.construction is not None \
            and client.construction_scope is not None:
        model = _aliased(recogniser, family.aliases, model, client.construction, client.construction_scope)
    switch = _switch(recogniser, family.switches, keywords, call.scope, call.seq) if module_level else None
    if model is None and client.construction is not None and client.construction_scope is not None \
            and family.model_from_client:
        # clients that bind the model when built (`instructor.from_provider("openai/gpt-4o-mini")`)
        c_keywords, c_positional, _ = recogniser.call_arguments(client.construction, client.construction_scope, 10**9)
        model = _first(recogniser, c_keywords, c_positional, family.model_from_client, client.construction_scope, 10**9)
    return _Site(
        provider=switch.provider if switch is not None else client.provider,
        framework=client.framework,
        operation=method.operation,
        api=method.api or f"{client.family.name}.{chain}",
        model=model,
        default_model=method.default_model,
        limit=limit,
        attribution=entries,
        opaque=opaque,
        scopes=(),
        function=function_name,
        client_constructor=client.constructor or None,
        client_node=client.construction,
        base_url=base_url,
        model_is_deployment=client.model_is_deployment or (switch is not None and switch.deployment),
        provider_inference=family.provider_inference,
        client_path=client.exported.path if client.exported else None,
        client_line=client.exported.line if client.exported else 0,
        client_column=client.exported.column if client.exported else 0,
        client_factory=client.factory,
    )


def _client_carriers(recogniser: Recogniser, client: Client
                     ) -> tuple[list[AttributionEntry], list[OpaqueCarrier], StaticValue | None]:
    """Attribution the client's constructor (and `with_options`) attaches, and its base URL."""
    if client.exported is not None:
        exported = client.exported
        return list(exported.attribution), list(exported.opaque_carriers), exported.base_url
    entries: list[AttributionEntry] = []
    opaque: list[OpaqueCarrier] = []
    base_url: StaticValue | None = None
    construction_calls = []
    if client.construction is not None and client.construction_scope is not None:
        construction_calls.append((client.construction, client.construction_scope))
    construction_calls.extend(client.extra_carrier_calls)
    for node, scope in construction_calls:
        keywords, positional, _ = recogniser.call_arguments(node, scope, 10**9)
        found, hidden = _carrier_values(recogniser, client.family.client_carriers, keywords, positional, scope, 10**9)
        entries.extend(found)
        opaque.extend(hidden)
        if base_url is None:
            base_url = _first(recogniser, keywords, positional, client.family.base_url, scope, 10**9)
    return entries, opaque, base_url


def _wrapper_site(recogniser: Recogniser, call: RecordedCall, wrapper: WrapperSpec, function_name: str | None,
                  definition: Scope | None = None) -> _Site:
    keywords, positional, splats = recogniser.call_arguments(call.node, call.scope, call.seq)
    if definition is not None and isinstance(definition.node, cst.FunctionDef):
        # a wrapper defined here: its positional arguments map to its parameter names
        params = [*definition.node.params.posonly_params, *definition.node.params.params]
        if definition.self_name is not None and isinstance(call.node.func, cst.Attribute):
            params = params[1:]
        for param, value in zip(params, positional):
            keywords.setdefault(param.name.value, value)
        if not splats:
            # an argument left out takes the wrapper's default
            every = [*params, *definition.node.params.kwonly_params]
            for param in every:
                if param.default is not None:
                    keywords.setdefault(param.name.value, param.default)
    evaluator = recogniser.evaluator(call.scope, call.seq)
    entries = [
        AttributionEntry(key, evaluator.value(keywords[argument]), argument, "body")
        for key, argument in wrapper.attribution
        if argument in keywords
    ]
    opaque = [OpaqueCarrier("**kwargs", "body", recogniser.code(s)) for s in splats]
    return _Site(
        provider=wrapper.provider,
        framework=None,
        operation=wrapper.operation,
        api=wrapper.function,
        model=_first(recogniser, keywords, positional, (wrapper.model,), call.scope, call.seq) if wrapper.model else None,
        default_model=None,
        limit=_first(recogniser, keywords, positional, (wrapper.max_output_tokens,), call.scope, call.seq)
        if wrapper.max_output_tokens else None,
        attribution=entries,
        opaque=opaque,
        scopes=(),
        function=function_name,
    )


def _constants(reader: ModuleReader, recogniser: Recogniser):  # type: ignore[no-untyped-def]
    """Module-level constants, class constants and settings-object fields other modules may import."""
    root = reader.root
    evaluator = recogniser.evaluator(root, 10**9)
    for name, bindings in root.names.items():
        binding = bindings[-1][1]
        if isinstance(binding, Assigned):
            value = evaluator.value(binding.value)
            if value.known or value.reference is not None or value.parts:
                # an imported constant re-exported, or built from one, resolves through its module
                yield name, value
            if not value.known and isinstance(binding.value, cst.Call) \
                    and not any(a.star or a.keyword is None for a in binding.value.args):
                # `settings = Settings()` / `settings = get_settings()`: the settings class's field defaults,
                # unless the construction sets the field
                target = recogniser.instance_class(binding.value, root, 10**9)
                if target is not None:
                    passed = {a.keyword.value: a.value for a in binding.value.args if a.keyword is not None}
                    for field_name, field_value in _class_fields(target, recogniser):
                        head = field_name.split(".")[0]
                        if head in passed:
                            if head == field_name:
                                yield f"{name}.{field_name}", evaluator.value(passed[head])
                            continue
                        yield f"{name}.{field_name}", field_value
        elif isinstance(binding, DefinedClass):
            yield from ((f"{name}.{field_name}", v) for field_name, v in _class_fields(binding.scope, recogniser))
        elif isinstance(binding, DefinedFunction):
            # `def get_settings() -> Settings: return Settings()`, read as `get_settings().FIELD`
            for returned in binding.scope.returns:
                target = recogniser.instance_class(returned, binding.scope, 10**9)
                if target is not None:
                    yield from ((f"{name}.{field_name}", v) for field_name, v in _class_fields(target, recogniser))
                    break


def _class_fields(scope: Scope, recogniser: Recogniser, depth: int = 0):  # type: ignore[no-untyped-def]
    evaluator = recogniser.evaluator(scope, 10**9)
    for name, bindings in scope.names.items():
        binding = bindings[-1][1]
        if isinstance(binding, Assigned) and depth < 3:
            # nested settings objects: `llm: LLMSettings = LLMSettings()` read as `settings.llm.model`
            nested = recogniser.instance_class(binding.value, scope, 10**9)
            if nested is None and binding.annotation is not None and isinstance(binding.annotation, cst.Name):
                target = recogniser.lookup(binding.annotation.value, scope, 10**9)
                nested = target.scope if isinstance(target, DefinedClass) else None
            if nested is not None and nested is not scope:
                yield from ((f"{name}.{sub}", v) for sub, v in _class_fields(nested, recogniser, depth + 1))
                continue
        if isinstance(binding, Assigned):
            node = binding.value
            if isinstance(node, cst.Call) and node.args and dotted_field(node):
                node = node.args[0].value  # Field("gpt-4o", ...) / field(default="...")
                for arg in binding.value.args:  # type: ignore[attr-defined]
                    if arg.keyword is not None and arg.keyword.value == "default":
                        node = arg.value
            value = evaluator.value(node)
            if value.known or value.reference is not None or value.parts:
                yield name, value


def dotted_field(node: cst.Call) -> bool:
    func = node.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return name in ("Field", "field")


def _exports(path: str, reader: ModuleReader, recogniser: Recogniser, positions: Mapping[cst.CSTNode, CodeRange]
             ) -> Iterator[tuple[str, ExportedClient]]:
    """Clients and client factories the module defines at its top level, for other modules to import."""
    found: list[tuple[str, Client, str]] = []
    for name, bindings in reader.root.names.items():
        binding = bindings[-1][1]
        symbol: object = None
        kind: str = "client"
        if isinstance(binding, Assigned):
            symbol = recogniser.infer(binding.value, reader.root, 10**9)
        elif isinstance(binding, DefinedFunction):
            symbol, kind = recogniser.returned_client(binding.scope), "factory"
        if isinstance(symbol, Client) and not symbol.chain:
            found.append((f"{reader.module_name}.{name}", symbol, kind))
            continue
        # clients held by a module-level instance (`service = LLMService()`, read as `service.client`)
        # or by a class (`class LLM: client = OpenAI()`, read as `LLM.client`)
        owner = recogniser.instance_class(binding.value, reader.root, 10**9) if isinstance(binding, Assigned) \
            else binding.scope if isinstance(binding, DefinedClass) else None
        if owner is None:
            continue
        for attr in sorted({*owner.attributes, *owner.names}):
            held = recogniser.infer(cst.Attribute(value=cst.Name(name), attr=cst.Name(attr)), reader.root, 10**9)
            if isinstance(held, Client) and not held.chain:
                found.append((f"{reader.module_name}.{name}.{attr}", held, "client"))
    if not found:
        return
    for qualified, client, kind in found:
        entries, opaque, base_url = _client_carriers(recogniser, client)
        line = column = 0
        if client.construction is not None:
            start = positions[client.construction].start
            line, column = start.line, start.column + 1
        yield qualified, ExportedClient(
            client.family.name, client.provider, client.constructor, "factory" if kind == "factory" else "client",
            tuple(entries), tuple(opaque), base_url if base_url is not None else client.base_url, path, line, column,
            client.model_is_deployment)


def module_constants(source: bytes, module_name: str, inputs: ExtractionInputs) -> dict[str, StaticValue]:
    """The constants of a module that holds no call site (a config module), for cross-module resolution."""
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, ValueError):
        return {}
    reader = ModuleReader(module, module_name)
    module.visit(reader)
    return dict(_constants(reader, Recogniser(reader, inputs.surface, inputs.project_clients)))
