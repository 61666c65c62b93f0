"""What extraction knows about one LLM call site, before any policy is applied.

Everything here is frozen and JSON-serialisable (through pydantic's TypeAdapter), because
extraction results are cached per file content and must not depend on the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

Scalar = Union[str, int, float, bool]

#: How a value is known. `code`: it is what the program uses. The others: it is only a default the program
#: may not use, because a caller may pass another (`parameter default`), the environment may set one
#: (`environment default`), or the left side of `x or DEFAULT` may be set (`fallback`). In order of weakness.
#: `assumed`: the policy declares the models a configuration-driven call may run (`models.assume`).
ValueSource = Literal["code", "assumed", "environment default", "fallback", "parameter default"]
VALUE_SOURCES: tuple[ValueSource, ...] = ("code", "assumed", "environment default", "fallback", "parameter default")

#: Where an attribution key was found; the policy decides which layers count (SPEC §4).
Layer = Literal["body", "header", "client", "framework", "scope", "file", "path"]

LAYERS: tuple[Layer, ...] = ("body", "header", "client", "framework", "scope", "file", "path")


@dataclass(frozen=True, slots=True)
class StaticValue:
    """An expression as far as reading the code can know it; `known` is False when it cannot."""

    #: The expression's source text, as the user wrote it.
    expression: str
    #: The resolved value when `known`; None otherwise.
    value: Scalar | None = None
    #: True when `value` is known: what the program uses, or (see `source`) its default.
    known: bool = False
    #: Qualified name of a project-level constant this expression names (`app.config.MODEL`),
    #: left for the resolve step, which sees other modules of the project.
    reference: str | None = None
    #: For a string built from pieces (`f"{PREFIX}-{MODEL}"`, `A + B`) of which some name project
    #: constants: the pieces in order, each known or a reference; resolve joins them when all resolve.
    parts: tuple[StaticValue, ...] = ()
    #: When branches of the code give different values, each known: all of them (`known` is then False).
    options: tuple[Scalar, ...] = ()
    #: Whether `value` (or `options`) is what the program uses, or only a default (see `ValueSource`).
    source: ValueSource = "code"
    #: For a dict whose keys are known (`{"team": "support"}`, a settings field's `default_factory`): its entries in
    #: order, each value as far as known; None for anything that is not such a dict. `known` stays False: a dict is
    #: no scalar.
    entries: tuple[tuple[str, StaticValue], ...] | None = None
    #: For a list or tuple (`["team:support", TAG]`): its items, each as far as known; None for anything else.
    items: tuple[StaticValue, ...] | None = None
    #: For a dict or list composed of pieces (`{**BASE, "use_case": "x"}`, `BASE | {...}`, `dict(BASE, k=v)`,
    #: `TAGS + [...]`) of which some can't be read where the code is written: the pieces in order, each a dict or
    #: list, a reference to another module's constant, or unknown. Resolve merges them when the references resolve.
    merged: tuple[StaticValue, ...] = ()

    @property
    def shaped(self) -> bool:
        """A dict or list, read whole (`entries`, `items`) or in pieces (`merged`)."""
        return self.entries is not None or self.items is not None or bool(self.merged)

    @classmethod
    def literal(cls, value: Scalar, expression: str | None = None) -> StaticValue:
        return cls(expression=expression if expression is not None else repr(value), value=value, known=True)

    @classmethod
    def unknown(cls, expression: str, reference: str | None = None) -> StaticValue:
        return cls(expression=expression, reference=reference)

    @classmethod
    def composed(cls, expression: str, pieces: list[StaticValue] | tuple[StaticValue, ...]) -> StaticValue:
        """A dict or list built from pieces: one dict (later keys win) or one list when every piece is known,
        else the pieces, flattened, for resolve to merge once the references among them are known."""
        flat: list[StaticValue] = []
        for piece in pieces:
            flat.extend(piece.merged if piece.merged else (piece,))
        source: ValueSource = "code"
        for piece in flat:
            if VALUE_SOURCES.index(piece.source) > VALUE_SOURCES.index(source):
                source = piece.source
        if flat and all(p.entries is not None for p in flat):
            combined: dict[str, StaticValue] = {}
            for piece in flat:
                combined.update(piece.entries or ())
            return cls(expression=expression, entries=tuple(combined.items()), source=source)
        if flat and all(p.items is not None for p in flat):
            return cls(expression=expression, items=tuple(i for p in flat for i in p.items or ()), source=source)
        return cls(expression=expression, merged=tuple(flat), source=source)


@dataclass(frozen=True, slots=True)
class AttributionEntry:
    """One key/value pair found in a carrier of attribution metadata."""

    #: The key as written (`X-Oberhahn-Team`, `use_case`); the policy maps it to a canonical key.
    key: str
    value: StaticValue
    #: The carrier it was found in, e.g. `metadata`, `extra_headers`, `default_headers`.
    carrier: str
    layer: Layer
    #: True when the carrier is a header mapping, so the policy's header prefix applies.
    is_header: bool = False


#: What a carrier holds, so its value can be read again: a dict of keys (`mapping`), of headers (`headers`), one value
#: for one key (`scalar`), `key:value` tags (`tags`), a gateway's JSON header (`json`), or a call's `**kwargs`.
CarrierKind = Literal["mapping", "headers", "scalar", "tags", "json", "kwargs"]


@dataclass(frozen=True, slots=True)
class OpaqueCarrier:
    """A carrier, or a piece of one, whose contents can't be read here (`metadata=build_meta()`, `**kwargs`).

    When its value names constants of other modules (`metadata=BASE_METADATA`, `{**settings.BASE, "k": v}`),
    `value` holds what extraction read and resolve, which sees those modules, reads the carrier again.
    """

    carrier: str
    layer: Layer
    #: Source text of what can't be read (the whole carrier, or the piece of it: `**meta`, `build()`).
    expression: str
    kind: CarrierKind = "mapping"
    #: For a scalar carrier (`user=`): the one attribution key it can hold.
    key: str | None = None
    #: The carrier's value as far as extraction read it, when resolve may read further; None when nothing can.
    value: StaticValue | None = None
    #: Where the carrier sits inside `value` (`metadata` for `extra_body.metadata` when `extra_body` is a constant).
    within: str = ""

    def may_hold(self, key: str) -> bool:
        """Whether an attribution key may be hidden here."""
        return self.kind != "scalar" or self.key is None or self.key == key

    def shown(self, width: int = 60) -> str:
        """How a message names it: `**kwargs`, `metadata=build_meta()`, `**extra in metadata`, `extra_body=extra`
        (for `extra_body.metadata`), on one line and at most about `width` characters of source text."""
        expression = " ".join(self.expression.split())
        if len(expression) > width:
            expression = expression[:width - 3] + "..."
        if self.kind == "kwargs":
            return f"**{expression}"
        if self.within and self.carrier.endswith("." + self.within):
            return f"{self.carrier[:-len(self.within) - 1]}={expression}"
        if expression.startswith("*"):
            return f"{expression} in {self.carrier}"
        return f"{self.carrier}={expression}"


@dataclass(frozen=True, slots=True)
class ScopeCall:
    """An enclosing decorator or `with` item, by qualified name, with its keyword arguments."""

    name: str
    kind: Literal["decorator", "with"]
    arguments: tuple[tuple[str, StaticValue], ...] = ()


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """The constructor call that built the client a call site uses."""

    #: Qualified name of the constructor or factory (`openai.OpenAI`).
    constructor: str
    line: int
    column: int
    base_url: StaticValue | None = None
    #: The file that builds the client, when another module than the call's.
    path: str | None = None
    #: Qualified name of the project function that returned the client (`app.llm.make_client`), if any.
    factory: str | None = None


@dataclass(frozen=True, slots=True)
class ExportedClient:
    """A module-level client, or a function returning one, that other project modules can import."""

    family: str
    provider: str
    constructor: str
    kind: Literal["client", "factory"]
    #: Attribution the constructor attaches (`default_headers`), and where the client is built.
    attribution: tuple[AttributionEntry, ...] = ()
    opaque_carriers: tuple[OpaqueCarrier, ...] = ()
    base_url: StaticValue | None = None
    path: str | None = None
    line: int = 0
    column: int = 0
    model_is_deployment: bool = False


@dataclass(frozen=True, slots=True)
class Loop:
    """A loop (or recursion) that repeats a call site, and whether reading the code shows a bound."""

    kind: Literal["for", "comprehension", "while", "while-true", "recursion"]
    line: int
    column: int
    bounded: bool
    #: Why it counts as bounded or not, in words a finding can quote.
    reason: str


@dataclass(frozen=True, slots=True)
class PromptFile:
    """A prompt read from a file with a literal path (`Path("prompts/triage.md").read_text()`)."""

    path: str
    #: `file`: relative to the directory of the module that reads it (`Path(__file__).parent / ...`);
    #: `cwd`: relative to the working directory, taken to be the project root.
    anchor: Literal["file", "cwd"]


@dataclass(frozen=True, slots=True)
class PromptPart:
    """One piece of a call's prompt: a message, a system prompt, an instruction or an input."""

    #: Where it was found: `system`, `developer`, `user`, `assistant`, `instructions`, `input`, `prompt`...
    role: str
    #: The static text (a template: unresolved f-string fields stay as `{expression}`); unknown when dynamic.
    text: StaticValue | None = None
    file: PromptFile | None = None


@dataclass(frozen=True, slots=True)
class PromptInfo:
    """The prompt a call sends, as far as it is static, and whether it asks for prompt caching."""

    parts: tuple[PromptPart, ...] = ()
    #: `cache_control`, `prompt_cache_key`, `cachePoint` or `cached_content` appear in the call.
    cache_marker: bool = False


@dataclass(frozen=True, slots=True)
class ModuleCall:
    """A call of an imported function at module level or in a module-level function: instrumentors live here."""

    #: Qualified name (`openlit.init`, `opentelemetry.instrumentation.openai.OpenAIInstrumentor.instrument`).
    name: str
    #: The module-level function it is called in (`main`), None at module level.
    function: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedCallSite:
    """One call expression that makes, or binds a model for, a billable model call."""

    path: str
    line: int
    #: 1-based column of the call's first character.
    column: int
    end_line: int
    end_column: int
    provider: str
    framework: str | None
    #: What the call does: chat, completion, embedding, image, audio, batch, realtime, binding...
    operation: str
    #: Canonical API name, e.g. `openai.chat.completions.create`.
    api: str
    #: The model argument; None when the call does not pass one.
    model: StaticValue | None
    #: The model the SDK uses when none is passed, from the SDK surface data.
    default_model: str | None
    max_output_tokens: StaticValue | None
    attribution: tuple[AttributionEntry, ...] = ()
    opaque_carriers: tuple[OpaqueCarrier, ...] = ()
    scopes: tuple[ScopeCall, ...] = ()
    #: Qualified name of the enclosing function (`Triage.classify`); None at module level.
    function: str | None = None
    client: ClientInfo | None = None
    #: True when the model value names a deployment (Azure) rather than a model id.
    model_is_deployment: bool = False
    #: Loops and recursion around the call, innermost first.
    loops: tuple[Loop, ...] = ()
    prompt: PromptInfo | None = None
    #: An endpoint argument of the call itself (`base_url=`, `api_base=`) for calls without a client.
    endpoint: StaticValue | None = None
    #: When the enclosing function is called elsewhere in the module: for each chain of callers up to an
    #: entry point, the decorators and `with` items around those calls (tracing can start up the stack).
    caller_scopes: tuple[tuple[ScopeCall, ...], ...] = ()
    #: Hash of the call's source without whitespace and comments; the basis of finding fingerprints.
    source_hash: str = ""
    #: How the provider is refined from the model string or the client's base_url
    #: (`litellm`, `langchain`, `base_url`; see oberhahn_policy/providers.py); None when the SDK fixes it.
    provider_inference: str | None = None
    #: A provider named outright by the code (`init_chat_model(model_provider="anthropic")`).
    provider_hint: str | None = None
    #: Every provider the call may bill when branches build different clients; `provider` is the one reported.
    provider_options: tuple[str, ...] = ()
    #: When the call passes `**NAME` naming another module's dict constant and doesn't name its model (`model`) or
    #: output limit (`limit`): the value paths where they would be in it, for resolve to look up once it is known.
    splat_paths: tuple[tuple[Literal["model", "limit"], tuple[str, ...]], ...] = ()

    @property
    def passes_hidden_keywords(self) -> bool:
        """The call passes `**kwargs` (or `*args`) that can't be read: any argument it doesn't name may be in them."""
        return any(c.carrier == "**kwargs" for c in self.opaque_carriers)


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file could not be read or parsed; reported as OBH001."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class UnfollowedUse:
    """A place where a module's LLM SDK objects reach code reading can't follow: calls made there are not seen (OBH003)."""

    line: int
    column: int
    #: `lazy-import` (inside `__getattr__`, `importlib.import_module`), `dynamic-attribute` (`getattr` by a name
    #: that isn't a literal), `handed-off` (an SDK callable passed to a function the tool doesn't know).
    kind: Literal["lazy-import", "dynamic-attribute", "handed-off"]
    #: The SDK or framework concerned (`litellm`).
    sdk: str
    #: The code, shortened, as the message quotes it.
    code: str


@dataclass(frozen=True, slots=True)
class FileExtraction:
    """Everything extraction learns from one file."""

    path: str
    call_sites: tuple[ExtractedCallSite, ...] = ()
    #: Module-level constants (`NAME -> value`) other modules may import.
    constants: tuple[tuple[str, StaticValue], ...] = ()
    #: File-level attribution comment (`# oberhahn: use-case=NAME team=NAME`).
    file_attribution: tuple[tuple[str, str], ...] = ()
    #: `# oberhahn: ignore[...]` comments: (line, codes, reason).
    suppressions: tuple[tuple[int, tuple[str, ...], str], ...] = ()
    #: Clients this module exports: qualified name -> what it is.
    exports: tuple[tuple[str, ExportedClient], ...] = ()
    problem: ParseProblem | None = None
    #: False when the pre-filter showed the file cannot hold a call site (its bytes, or the names in its code).
    parsed: bool = True
    #: Calls of imported functions at module level or in module-level functions (process-wide instrumentors).
    module_calls: tuple[ModuleCall, ...] = ()
    #: Qualified names the module imports (`app.config.MODEL`), for following constants and clients into them.
    imports: tuple[str, ...] = ()
    #: Where the module's SDK objects go out of sight (OBH003).
    unfollowed: tuple[UnfollowedUse, ...] = ()
    #: Qualified names recognition looked up among the clients other project modules export (found or not).
    client_names: tuple[str, ...] = ()
    #: A file whose code named no call: its import lines (Latin-1), where the project stage looks for exported
    #: clients it may use (a file the byte scan skipped keeps them in the file index instead).
    import_lines: str = ""


# --- after resolve: what rules and reports read -------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolvedPrompt:
    """The static text of a call's prompt, with what could not be known."""

    #: Static parts joined by blank lines; unresolved template fields stay as `{expression}`.
    text: str
    tokens: int
    #: Roles of the static parts, in order (`system`, `user`...).
    roles: tuple[str, ...]
    #: Prompt files read (root-relative POSIX paths).
    files: tuple[str, ...]
    #: Expressions of parts whose text is not static.
    dynamic: tuple[str, ...]
    cache_marker: bool
    #: Estimated tokens of the static system, developer and instructions parts: the prefix a provider can cache.
    prefix_tokens: int = 0


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call site with everything resolved that can be resolved; what rules and reports read."""

    site: ExtractedCallSite
    #: The model id, when known statically (see `model_source` for whether it is only a default).
    model: str | None
    #: Source text of the model expression ("" when the SDK default applies).
    model_expression: str
    max_output_tokens: int | None
    limit_expression: str | None
    #: Attribution key -> value (None when present but not statically known).
    attribution: tuple[tuple[str, str | None], ...]
    attribution_sources: tuple[tuple[str, Layer], ...]
    use_case: str | None
    #: Carriers present whose keys can't be read (`metadata=build_meta()`).
    opaque_carriers: tuple[OpaqueCarrier, ...]
    #: The call's static prompt, prompt files included; None when it sends none.
    prompt: ResolvedPrompt | None = None
    #: Prompt files the code names for this call that can't be read in the repository (OBH004): missing, or not a
    #: regular file inside the project.
    missing_prompt_files: tuple[str, ...] = ()
    #: Attribution key -> the value's source text, for keys whose value is not statically known.
    dynamic_expressions: tuple[tuple[str, str], ...] = ()
    #: Attribution key -> the carrier it came from (`metadata`, `extra_headers`, `requestMetadata`...).
    attribution_carriers: tuple[tuple[str, str], ...] = ()
    #: The endpoint the call goes to (the client's `base_url`, or the call's own `base_url=`), when known.
    endpoint: str | None = None
    #: Source text of the endpoint expression; None when the code passes none.
    endpoint_expression: str | None = None
    #: How the model is known; None when it is not.
    model_source: ValueSource | None = None
    #: The models the call may use when branches of the code choose between several; else (model,) or ().
    models: tuple[str, ...] = ()
    #: Whether the call passes an output-token limit: `present`, `absent`, or `unknown` when it passes arguments
    #: that can't be read (`**kwargs`), which may hold one.
    limit_state: Literal["present", "absent", "unknown"] = "absent"
    #: How the output limit is known (a parameter's default limit is only a default); None when it is not.
    limit_source: ValueSource | None = None

    @property
    def path(self) -> str:
        """The file's POSIX path relative to the project root (its identity, whatever the working directory)."""
        return self.site.path

    @property
    def provider(self) -> str:
        return self.site.provider

    def attribution_map(self) -> dict[str, str | None]:
        return dict(self.attribution)

    def sources_map(self) -> dict[str, Layer]:
        return dict(self.attribution_sources)
