"""OBH101: add the missing attribution keys to a carrier of the call that reaches the bill and that the policy counts.

The carrier is, in order: one the call already uses for attribution (a dict literal, merged into);
else a provider body field known to take arbitrary string pairs on that API (OpenAI `metadata` on
chat and responses, Bedrock Converse `requestMetadata`, Vertex `labels`); else gateway headers with the policy's header prefix
(`extra_headers`, `http_headers`, `config.http_options.headers`...); else headers the call's own
constructor takes (`default_headers` of a framework model); else framework metadata. Only carriers
of layers in `attribution.carriers` are used, and only where the transport accepts the entries
(oberhahn_policy/attribution_limits.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import libcst as cst

from ..attribution_limits import transport_problems
from ..callsite import AttributionEntry, CallSite, StaticValue
from ..policy.model import Policy
from ..surface import Carrier
from ._edits import (
    Refusal,
    Style,
    code,
    edit_path,
    is_none,
    lookup,
    merge_entries,
    new_dict,
)
from ._shapes import CallShape
from ._values import known_value, use_case_of


@dataclass(frozen=True, slots=True)
class _BodyField:
    """A provider body field that takes arbitrary string pairs, and the calls that accept it."""

    path: str
    providers: frozenset[str]
    operations: frozenset[str] = frozenset({"chat"})
    #: Canonical API names (exact) or prefixes ending in `.`; empty: any API of those providers and operations.
    apis: tuple[str, ...] = ()

    def accepts(self, site: CallSite) -> bool:
        api = site.site.api
        return (site.provider in self.providers and site.site.operation in self.operations
                and (not self.apis or any(api == a or (a.endswith(".") and api.startswith(a)) for a in self.apis)))


_OPENAI = frozenset({"openai", "azure-openai"})

#: Where a fix writes attribution into a request body; elsewhere it uses headers. Only these are known to take
#: arbitrary string pairs: OpenAI `metadata` on chat completions, responses and assistants runs (openai 3.57; its
#: embeddings, images, audio and legacy completions take no `metadata` and raise on it), passed directly, through
#: `extra_body` (LangChain's ChatOpenAI) or LlamaIndex's `additional_kwargs`; Bedrock `requestMetadata` on Converse only
#: (InvokeModel rejects it); Vertex `labels`. Not used: Anthropic's `metadata` (only `user_id`, anthropic 2.14
#: `types/metadata_param.py`), LangChain's `model_kwargs.metadata` (moved into tracing metadata, langchain-core 1.8.4
#: `utils._build_model_kwargs`), google-genai's `config.labels` (raises for the Gemini API up to google-genai 1.x,
#: 1.20.0 `_GenerateContentConfig_to_mldev`), and other providers' fields, not known to accept them.
_BODY_FIELDS: tuple[_BodyField, ...] = (
    _BodyField("metadata", _OPENAI),
    _BodyField("extra_body.metadata", _OPENAI),
    _BodyField("additional_kwargs.metadata", _OPENAI),
    _BodyField("requestMetadata", frozenset({"aws-bedrock"}),
               apis=("bedrock-runtime.converse", "bedrock-runtime.converse_stream")),
    _BodyField("labels", frozenset({"google"}), apis=("vertexai.",)),
)

#: Framework metadata (LangChain `metadata`, LiteLLM `metadata`) exists on model bindings, not on embedding classes.
_FRAMEWORK_OPERATIONS = frozenset({"chat", "completion"})

#: Lower is preferred: what reaches the provider's bill, then a gateway, then the client, then tracing only.
_LAYER_RANK = {"body": 0, "header": 1, "client": 2, "framework": 3}


@dataclass(frozen=True, slots=True)
class CarrierWrite:
    """Entries to add to one carrier of the call."""

    carrier: Carrier
    #: (key as written, value) pairs: canonical keys for mappings, prefixed header names for headers.
    entries: tuple[tuple[str, str], ...]

    @property
    def description(self) -> str:
        if self.carrier.kind == "scalar":
            return f"pass {self.carrier.path}={self.entries[0][1]!r}"
        pairs = ", ".join(f"{key!r}: {value!r}" for key, value in self.entries)
        return f"add {{{pairs}}} to {self.carrier.path}"


@dataclass(frozen=True, slots=True)
class AttributionEdit:
    """What to write into which carriers, and the keys left out."""

    writes: tuple[CarrierWrite, ...]
    #: The canonical keys written.
    keys: tuple[str, ...]
    #: Canonical keys left out, each with why.
    left_out: tuple[tuple[str, str], ...]
    #: Keys filled with the placeholder.
    placeholders: tuple[str, ...]

    @property
    def description(self) -> str:
        text = "; ".join(write.description for write in self.writes)
        if self.placeholders:
            text += f" (a placeholder for {', '.join(self.placeholders)}: replace it)"
        if self.left_out:
            text += "; left out " + "; ".join(f"{key} ({why})" for key, why in self.left_out)
        return text


def header_name(key: str, prefix: str) -> str:
    """`use_case` -> `X-Oberhahn-Use-Case` for prefix `X-Oberhahn-`."""
    return prefix + "-".join(part.capitalize() for part in key.split("_") if part)


def _writable(carrier: Carrier, site: CallSite) -> bool:
    """Whether a fix may write arbitrary attribution pairs into this carrier of this call."""
    if carrier.kind == "headers":
        return True
    if carrier.kind != "mapping":
        return False
    if carrier.layer == "body":
        return any(field.path == carrier.path and field.accepts(site) for field in _BODY_FIELDS)
    return carrier.layer == "framework" and site.site.operation in _FRAMEWORK_OPERATIONS


def _candidates(site: CallSite, shape: CallShape, policy: Policy) -> list[Carrier]:
    counted = set(policy.attribution.carriers)
    usable = [c for c in shape.carriers if c.layer in counted and c.layer in _LAYER_RANK and _writable(c, site)]
    return sorted(usable, key=lambda c: _LAYER_RANK[c.layer])


def _choose(site: CallSite, candidates: list[Carrier], call: cst.Call) -> Carrier:
    """A carrier the call already attributes with (as a dict literal at the call), else the most preferred."""
    carrying = {carrier for _, carrier in site.attribution_carriers}
    for carrier in candidates:
        if carrier.path in carrying and isinstance(lookup(call, carrier.path.split(".")), cst.Dict):
            return carrier
    return candidates[0]


def _prefix(site: CallSite, carrier: Carrier, policy: Policy) -> str | None:
    """The header prefix the carrier's attribution headers already use, else the policy's first."""
    prefixes = policy.attribution.header_prefixes
    for entry in site.site.attribution:
        if entry.carrier == carrier.path and entry.is_header:
            for prefix in prefixes:
                if prefix and entry.key.lower().startswith(prefix.lower()):
                    return prefix
    return next((p for p in prefixes if p), None)


def _transport_refusal(site: CallSite, carrier: Carrier, entries: tuple[tuple[str, str], ...]) -> Refusal | None:
    """Why the carrier's transport would reject the new entries (Bedrock's character set, OpenAI's 16 pairs...)."""
    added = tuple(AttributionEntry(key, StaticValue.literal(value), carrier.path, carrier.layer,
                                   is_header=carrier.kind == "headers") for key, value in entries)
    kept = tuple(e for e in site.site.attribution if e.carrier == carrier.path)
    trial = dataclasses.replace(site.site, attribution=kept + added)
    new_keys = {key for key, _ in entries}
    for problem in transport_problems(trial):
        if problem.key is None or problem.key in new_keys:
            return Refusal(f"{carrier.path} would not carry them: {problem.message}")
    return None


def plan_attribution(site: CallSite, shape: CallShape, policy: Policy, call: cst.Call,
                     placeholder: str | None) -> AttributionEdit | Refusal:
    """The entries that add the call's missing required keys, or why the call is left alone."""
    present = site.attribution_map()
    missing = [key for key in policy.attribution.required if key not in present]
    if not missing:
        return Refusal("no required key is missing any more")
    if site.opaque_carriers:
        hidden = ", ".join(dict.fromkeys(c.shown() for c in site.opaque_carriers))
        return Refusal(f"the keys may be in {hidden}, which can't be read statically; add them there")
    values: dict[str, str] = {}
    left_out: list[tuple[str, str]] = []
    placeholders: list[str] = []
    for key in missing:
        value = known_value(key, site, policy)
        if value is not None:
            values[key] = value
        elif placeholder is not None:
            values[key] = placeholder
            placeholders.append(key)
        else:
            left_out.append((key, _unknown_reason(key, site, policy)))
    if not values:
        reasons: dict[str, list[str]] = {}
        for key, why in left_out:
            reasons.setdefault(why, []).append(key)
        return Refusal("; ".join(f"no value is known for {', '.join(keys)}: {why}" for why, keys in reasons.items())
                       + "; pass --placeholder TEXT to insert a placeholder")
    writes: list[CarrierWrite] = []
    keys = tuple(values)
    # a declared wrapper takes each key as an argument of its own
    for carrier in shape.carriers:
        if carrier.kind == "scalar" and carrier.key is not None and carrier.key in values \
                and carrier.layer in policy.attribution.carriers:
            writes.append(CarrierWrite(carrier, ((carrier.key, values.pop(carrier.key)),)))
    if values:
        write = _mapping_write(site, shape, policy, call, values)
        if isinstance(write, Refusal):
            return write
        writes.append(write)
    return AttributionEdit(tuple(writes), keys, tuple(left_out), tuple(placeholders))


def _mapping_write(site: CallSite, shape: CallShape, policy: Policy, call: cst.Call,
                   values: dict[str, str]) -> CarrierWrite | Refusal:
    candidates = _candidates(site, shape, policy)
    if not candidates:
        if not any(c.kind in ("mapping", "headers") for c in shape.carriers):
            return Refusal(f"the SDK surface data names no place in a {site.site.api} call for attribution; "
                           "carry the keys on its client or in a scope the policy names")
        counted = ", ".join(policy.attribution.carriers)
        return Refusal(f"no place for attribution in a {site.site.api} call is both known to accept these keys and in "
                       f"a layer the policy counts (attribution.carriers: {counted}); carry them on the client or in a "
                       "scope the policy names")
    carrier = _choose(site, candidates, call)
    if carrier.kind == "headers":
        prefix = _prefix(site, carrier, policy)
        if prefix is None:
            return Refusal("attribution.header_prefix is empty, so no header name can carry the keys")
        entries = tuple((header_name(key, prefix), value) for key, value in values.items())
    else:
        entries = tuple(values.items())
    refused = _transport_refusal(site, carrier, entries)
    return refused if refused is not None else CarrierWrite(carrier, entries)


def _unknown_reason(key: str, site: CallSite, policy: Policy) -> str:
    use_case = use_case_of(site, policy)
    if key == "team" and use_case is not None:
        if use_case.name not in policy.use_cases:
            return f"use case {use_case.name!r} is not declared in the policy"
        return f"use case {use_case.name!r} declares no team"
    if key in ("team", "use_case"):
        if "use_case" in site.attribution_map():
            return "the call's use case is not known statically"
        return "the file is mapped to no use case (use_cases.NAME.paths)"
    return "the policy gives no value for it"


def apply_attribution(call: cst.Call, edit: AttributionEdit, style: Style) -> cst.Call | Refusal:
    """`call` with the edit's entries written into their carriers."""
    for write in edit.writes:
        edited = _apply_write(call, write, style)
        if isinstance(edited, Refusal):
            return edited
        call = edited
    return call


def _apply_write(call: cst.Call, write: CarrierWrite, style: Style) -> cst.Call | Refusal:
    carrier = write.carrier
    path = carrier.path.split(".")
    entries = [(key, style.string(value)) for key, value in write.entries]

    def leaf(present: cst.BaseExpression | None) -> cst.BaseExpression | Refusal:
        if carrier.kind == "scalar":
            if present is None or is_none(present):
                return entries[0][1]
            return Refusal(f"{carrier.path} is already `{code(present)}`")
        if present is None or is_none(present):
            return new_dict(entries, style)
        if isinstance(present, cst.Dict):
            return merge_entries(present, entries, style)
        return Refusal(f"{carrier.path} is `{code(present)}`, which is not a dict literal at the call; "
                       "add the keys where it is built")

    result = edit_path(call, path, leaf, style)
    return result if not isinstance(result, cst.Dict) else Refusal("internal: a call edit returned a dict")
