"""The SDK surface: which imports build clients, which method chains bill, where parameters live.

This is data (oberhahn_policy/data/sdk-surface.yaml), validated by the models below; adding a
provider or a method is a change to that file plus a test, never to the extractor.

Parameter locations are *value paths*: the first part is a keyword argument (or `#N` for
the N-th positional argument); later parts step into a dict literal's key, a call's keyword
argument (`GenerateContentConfig(max_output_tokens=...)`) or the dict inside `json.dumps(...)`.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal, Mapping

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from .callsite import Layer
from .packaged import packaged_yaml
from .providers import known_provider, provider_ids
from .published_schema import JSON_SCHEMA_DIALECT

#: A provider id that oberhahn_policy/data/providers.yaml declares (SPEC §7); `litellm` means the provider can't be
#: derived from the model string.
Provider = Annotated[str, AfterValidator(known_provider), WithJsonSchema({"type": "string", "enum": sorted(provider_ids())})]
Framework = Literal["langchain", "llamaindex", "litellm", "dspy", "instructor"]
#: How a call site's provider is refined from what the code says: a litellm `provider/model`
#: string, a LangChain `provider:model` string or model-name prefix, or an OpenAI-compatible
#: client's literal `base_url`.
Inference = Literal["litellm", "langchain", "base_url"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Switch(_Data):
    """A setting that moves calls to another provider (`openai.api_type = "azure"` in openai 0.x code)."""

    #: A module attribute assigned anywhere in the file (`openai.api_type`).
    setting: str | None = None
    #: Or an argument of the call itself (`api_type="azure"`).
    argument: str | None = None
    equals: tuple[str, ...]
    provider: Provider
    #: The model argument then names a deployment.
    deployment: bool = False


class AliasTable(_Data):
    """Model aliases declared at construction (litellm `Router(model_list=[...])`)."""

    #: The constructor argument holding the list of entries.
    argument: str
    #: Path in an entry to the alias, and to the model it stands for.
    alias: str
    model: str


class ModelLimit(_Data):
    """Where the output limit sits for one model family (Bedrock `invoke_model` bodies differ by family)."""

    #: Model id prefixes after any region prefix (`anthropic.`, `meta.`); matched case-insensitively.
    models: tuple[str, ...]
    limit: tuple[str, ...]


class Condition(_Data):
    """A constructor only builds a client when an argument has a given literal value."""

    path: tuple[str, ...]
    equals: tuple[str, ...]


class Carrier(_Data):
    """Where attribution can be attached, and what shape it has there."""

    path: str
    #: mapping: a dict of key -> value; headers: a dict of header -> value; scalar: one value for `key`;
    #: tags: a list of `key:value` strings (LangChain `tags`).
    kind: Literal["mapping", "headers", "scalar", "tags"]
    layer: Layer
    #: For scalar carriers: the attribution key the value fills (`user`).
    key: str | None = None


class Operation(_Data):
    """A kind of billable call (`chat`, `embedding`, `rerank`...): what it is billed by, and whether it generates output tokens."""

    name: str
    #: It generates text tokens that an output-token limit caps (chat, batch; not embeddings, rerank, images, audio).
    output_tokens: bool
    #: What the provider bills it by: `token`, `image`, `second`, `character`, `page`, `search`...
    unit: str


class ModelOperation(_Data):
    """The operation a call performs for one model family (Bedrock `invoke_model` embeds with `amazon.titan-embed`)."""

    #: Model id prefixes after any region prefix (`amazon.titan-embed`, `cohere.embed`); matched case-insensitively.
    models: tuple[str, ...]
    operation: str


class Method(_Data):
    """A billable method chain on a client (`chat.completions.create`)."""

    chain: str
    operation: str
    api: str | None = None
    model: tuple[str, ...] = ("model",)
    limit: tuple[str, ...] = ()
    #: Model-family-specific limit paths, tried before `limit` (and all of them when the model is unknown).
    limit_by_model: tuple[ModelLimit, ...] = ()
    #: Model-family-specific operations, tried before `operation` (which holds when the model is unknown).
    operation_by_model: tuple[ModelOperation, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    default_model: str | None = None


class ClientFactoryMethod(_Data):
    """A method that returns a client of another family (`boto3.Session().client("bedrock-runtime")`)."""

    chain: str
    family: str
    provider: Provider | None = None
    when: Condition | None = None


class ClientClass(_Data):
    """A constructor (or factory function) that builds a client of a family."""

    name: str
    provider: Provider | None = None
    when: Condition | None = None
    #: The model argument names a deployment, not a model id (Azure).
    model_is_deployment: bool = False
    #: For wrappers like `instructor.from_openai(client)`: the argument holding the wrapped client.
    wraps: str | None = None
    framework: Framework | None = None


class Family(_Data):
    """Clients that share method chains (all OpenAI client classes, all Anthropic ones...)."""

    name: str
    provider: Provider
    framework: Framework | None = None
    provider_inference: Inference | None = None
    clients: tuple[ClientClass, ...] = ()
    #: Modules that act as a default client (`openai.chat.completions.create`).
    module_clients: tuple[str, ...] = ()
    #: Attributes that leave the chain unchanged (`with_raw_response`).
    transparent: tuple[str, ...] = ()
    #: Methods that return a derived client of the same family (`with_options`).
    derive: tuple[str, ...] = ()
    base_url: tuple[str, ...] = ()
    #: Module attributes that set the module-level client's endpoint (`openai.base_url = ...`).
    base_url_settings: tuple[str, ...] = ()
    client_carriers: tuple[Carrier, ...] = ()
    call_carriers: tuple[Carrier, ...] = ()
    methods: tuple[Method, ...] = ()
    factories: tuple[ClientFactoryMethod, ...] = ()
    #: Settings that move module-level-client calls to another provider.
    switches: tuple[Switch, ...] = ()
    #: The call's model is an alias into a table given at construction.
    aliases: AliasTable | None = None
    #: For clients that bind a model at construction (`instructor.from_provider("openai/gpt-4o-mini")`):
    #: where the construction call holds the model its methods use when they pass none.
    model_from_client: tuple[str, ...] = ()


class Function(_Data):
    """A module-level callable that is itself a call site: legacy class methods, litellm, framework constructors."""

    name: str
    provider: Provider
    framework: Framework | None = None
    operation: str
    api: str | None = None
    model: tuple[str, ...] = ("model",)
    limit: tuple[str, ...] = ()
    limit_by_model: tuple[ModelLimit, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    default_model: str | None = None
    model_is_deployment: bool = False
    provider_inference: Inference | None = None
    #: An argument that names the provider outright (`init_chat_model(model_provider=...)`).
    provider_argument: str | None = None
    #: Where an OpenAI-compatible constructor takes its endpoint (for `provider_inference: base_url`).
    base_url: tuple[str, ...] = ()
    #: Module attributes that set the endpoint (`openai.api_base = ...` in openai 0.x code).
    base_url_settings: tuple[str, ...] = ()
    switches: tuple[Switch, ...] = ()


class PromptArgument(_Data):
    """A keyword argument (value path) that carries a prompt, and the role its text plays."""

    path: str
    role: str


class CallForwarder(_Data):
    """A callable that runs another: a call made through it is a call of what it runs, with the arguments it forwards.

    `asyncio.to_thread(f, *args)` runs `f(*args)` (forwards); `functools.partial(f, **fixed)` and
    `asgiref.sync.sync_to_async(f)` return a callable that runs `f` with the fixed arguments and those of its own
    call (`returns`).
    """

    #: Qualified name of the function (`asyncio.to_thread`), or the method name on any receiver (`submit`).
    name: str | None = None
    method: str | None = None
    #: Position of the callable it runs among its positional arguments.
    callable: int = 0
    #: It returns a callable instead of calling at once (`partial(f)(...)`, `sync_to_async(f)(...)`).
    returns: bool = False

    @model_validator(mode="after")
    def _named(self) -> CallForwarder:
        if (self.name is None) == (self.method is None):
            raise ValueError("a call forwarder has either a name or a method")
        return self


class Arguments(_Data):
    """Argument names that mean the same thing across SDKs, read on any recognised call."""

    #: Where prompts are passed (`system=`, `messages=`, `config.system_instruction`...).
    prompt: tuple[PromptArgument, ...] = ()
    #: Keys that ask a provider to cache a prompt prefix (`cache_control`, `prompt_cache_key`...).
    cache_markers: tuple[str, ...] = ()
    #: Endpoint arguments of calls made without a client object (`litellm.completion(api_base=...)`).
    endpoint: tuple[str, ...] = ()


class GatewayHeader(_Data):
    """A header a gateway reads attribution from, whatever header prefix the policy sets."""

    #: The header's name (compared case-insensitively, as HTTP does).
    name: str
    #: `json`: a JSON object of key -> value (`x-portkey-metadata`); `tags`: `key:value` tags joined by `separator`
    #: (`x-litellm-tags`); `scalar`: one value for `key` (`Helicone-User-Id`).
    format: Literal["json", "tags", "scalar"]
    separator: str = ","
    key: str | None = None

    @model_validator(mode="after")
    def _keyed(self) -> GatewayHeader:
        if (self.format == "scalar") != (self.key is not None):
            raise ValueError(f"gateway header {self.name}: `key` is given exactly when the format is scalar")
        return self


class HeaderBuilder(_Data):
    """A function that builds a gateway's headers from keyword arguments (Portkey `createHeaders(metadata={...})`)."""

    #: Qualified name of the function.
    function: str
    #: Each keyword argument `some_name` becomes the header `PREFIX` + `some-name` (dicts JSON-encoded).
    prefix: str


class Gateway(_Data):
    """The attribution conventions of one LLM gateway or proxy, understood on every call that sends headers to it."""

    name: str
    #: Where the convention is documented.
    source: str
    #: Header prefixes whose remainder names the key (`Helicone-Property-Use-Case` -> `use_case`).
    header_prefixes: tuple[str, ...] = ()
    headers: tuple[GatewayHeader, ...] = ()
    #: Keys of a metadata dict that hold a list of `key:value` tags (LiteLLM proxy `metadata={"tags": [...]}`).
    tag_fields: tuple[str, ...] = ()
    header_builders: tuple[HeaderBuilder, ...] = ()


class Surface(_Data):
    """The whole SDK surface."""

    version: Literal[1] = 1
    #: Every operation a method or function names, with what it bills.
    operations: tuple[Operation, ...] = ()
    families: tuple[Family, ...] = ()
    functions: tuple[Function, ...] = ()
    arguments: Arguments = Arguments()
    call_forwarders: tuple[CallForwarder, ...] = ()
    #: Packages that re-export their classes from many modules (`langchain_community.chat_models.azure_openai`):
    #: a function of theirs is also known by its root package and its last name.
    class_roots: tuple[str, ...] = ()
    #: Top-level modules whose import makes a file worth parsing.
    import_roots: tuple[str, ...] = Field(default=())
    #: The attribution conventions of gateways and proxies (headers, tag fields), read in every carrier.
    gateways: tuple[Gateway, ...] = ()

    @model_validator(mode="after")
    def _references_exist(self) -> Surface:
        names = {f.name for f in self.families}
        wanted = [(f"factory {family.name}.{m.chain}", m.family) for family in self.families for m in family.factories]
        for where, name in wanted:
            if name not in names:
                raise ValueError(f"{where} names family {name!r}, which is not defined")
        declared = [o.name for o in self.operations]
        twice = sorted({name for name in declared if declared.count(name) > 1})
        if twice:
            raise ValueError(f"operations: {', '.join(twice)} declared more than once")
        for where, operation in self._operations_used():
            if operation not in declared:
                raise ValueError(f"{where} names operation {operation!r}, which operations: does not declare; "
                                 f"declare it there (with output_tokens and unit) or use one of {', '.join(sorted(declared))}")
        return self

    def _operations_used(self) -> list[tuple[str, str]]:
        """(where, operation name) for every operation a method, a model family of one, or a function names."""
        used = [(f"functions: {f.name}", f.operation) for f in self.functions]
        for family in self.families:
            for method in family.methods:
                where = f"families: {family.name}.{method.chain}"
                used.append((where, method.operation))
                used.extend((where, by_model.operation) for by_model in method.operation_by_model)
        return used

    def operation(self, name: str) -> Operation | None:
        """The operation called `name` (None when the table does not declare it, e.g. a policy wrapper's own name)."""
        return next((o for o in self.operations if o.name == name), None)

    def function_index(self) -> Mapping[str, Function]:
        """Functions by qualified name, plus `root.Name` for class roots when that is unambiguous (built once: every
        parsed file asks)."""
        return self._function_index

    @cached_property
    def _function_index(self) -> Mapping[str, Function]:
        index = {f.name: f for f in self.functions}
        short: dict[str, Function | None] = {}
        for function in self.functions:
            root, _, rest = function.name.partition(".")
            if root in self.class_roots and rest:
                key = f"{root}.*.{function.name.rsplit('.', 1)[-1]}"
                seen = short.get(key, function)
                same = seen is not None and (seen.provider, seen.operation, seen.model) == \
                    (function.provider, function.operation, function.model)
                short[key] = function if key not in short else (seen if same else None)
        index.update({k: v for k, v in short.items() if v is not None})
        return index

    def family(self, name: str) -> Family:
        for family in self.families:
            if family.name == name:
                return family
        raise KeyError(name)

    def roots(self) -> frozenset[str]:
        """Top-level packages whose import can lead to a call site (asked once per file by the pre-filters)."""
        return self._roots

    @cached_property
    def _roots(self) -> frozenset[str]:
        names: set[str] = set(self.import_roots)
        for family in self.families:
            names.update(c.name.split(".")[0] for c in family.clients)
            names.update(m.split(".")[0] for m in family.module_clients)
        names.update(f.name.split(".")[0] for f in self.functions)
        return frozenset(names)

    def call_names(self) -> frozenset[str]:
        """The names a file must mention to build a client or hold a call site: the last name of every client
        constructor, factory method, billable method chain and billable function (`OpenAI`, `client`, `create`,
        `completion`). A call site is always written with one of them, whatever the receiver is called."""
        return self._call_names

    @cached_property
    def _call_names(self) -> frozenset[str]:
        return frozenset(name for names in self.call_names_by_root().values() for name in names)

    def call_names_by_root(self) -> Mapping[str, frozenset[str]]:
        """`call_names` by the top-level package whose import brings them: a call site on a client of a family is
        written with one of the family's names in a file that imports where its clients come from (a constructor's
        package, a module client's, or the package of a family whose factories make them: `boto3` for Bedrock); a
        function's call site with its name beside its package's import."""
        return self._names_by_root[0]

    def entry_names_by_root(self) -> Mapping[str, frozenset[str]]:
        """The names of `call_names_by_root` a client or a billable function is first reached by (constructors,
        factories, functions: not methods, which need a client in hand)."""
        return self._names_by_root[1]

    @cached_property
    def _names_by_root(self) -> tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]]:
        def last(name: str) -> str:
            return name.rsplit(".", 1)[-1]

        family_roots = {family.name: {c.name.split(".")[0] for c in family.clients}
                        | {m.split(".")[0] for m in family.module_clients} for family in self.families}
        grown = True
        while grown:  # a family's clients also come from the factories of families that come from elsewhere
            grown = False
            for family in self.families:
                for factory in family.factories:
                    added = family_roots[family.name] - family_roots[factory.family]
                    if added:
                        family_roots[factory.family] |= added
                        grown = True
        by_root: dict[str, set[str]] = {}
        entries: dict[str, set[str]] = {}
        for family in self.families:
            first = {last(c.name) for c in family.clients} | {last(f.chain) for f in family.factories}
            for root in family_roots[family.name]:
                by_root.setdefault(root, set()).update(first, (last(m.chain) for m in family.methods))
                entries.setdefault(root, set()).update(first)
        for function in self.functions:
            for names in (by_root, entries):
                names.setdefault(function.name.split(".")[0], set()).add(last(function.name))
        every = {name for names in by_root.values() for name in names}
        for root in self.import_roots:  # declared without a family: any name may start a call site under them
            by_root.setdefault(root, set()).update(every)
            entries.setdefault(root, set()).update(every)
        return ({root: frozenset(names) for root, names in by_root.items()},
                {root: frozenset(names) for root, names in entries.items()})


def surface_json_schema() -> dict[str, Any]:
    """The JSON Schema of the surface data file (checked in as schemas/sdk-surface.schema.json)."""
    schema = Surface.model_json_schema()
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["title"] = "oberhahn-policy SDK surface"
    return schema


@lru_cache(maxsize=1)
def load_surface() -> Surface:
    """The SDK surface shipped with the package."""
    return Surface.model_validate(packaged_yaml("sdk-surface.yaml"))
