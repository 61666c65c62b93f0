"""Resolve: from extracted call sites to what the policy talks about — model, limit, attribution, use case.

This is the first step that reads the policy: header prefixes map headers to attribution keys,
the policy decides which carrier layers count, scope decorators it names add keys, and its
path mapping supplies a default use case.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal

import pathspec

from .attribution_carriers import gateway_conventions, read_carrier
from .callsite import (
    CallSite,
    ResolvedPrompt,
    ExtractedCallSite,
    FileExtraction,
    Layer,
    OpaqueCarrier,
    ParseProblem,
    Scalar,
    StaticValue,
    ValueSource,
)
from .extract import ProjectExtraction
from .policy.model import Policy
from .project import ProjectIndex
from .prompts import PromptReader, resolve_prompt
from .providers import canonical_site, load_providers

#: Lower rank wins: call arguments, then the client, then scopes, the file comment and the path mapping.
_LAYER_RANK: dict[str, int] = {"body": 0, "header": 0, "framework": 0, "client": 1, "scope": 2, "file": 3, "path": 4}


def normalise_key(key: str) -> str:
    """`Use-Case`, `use-case` and `use_case` are the same attribution key."""
    return key.strip().lower().replace("-", "_")


def header_key(header: str, prefixes: Iterable[str]) -> str | None:
    """`X-Oberhahn-Use-Case` -> `use_case` for prefix `X-Oberhahn-`; None for other headers."""
    lowered = header.lower()
    for prefix in prefixes:
        if prefix and lowered.startswith(prefix.lower()) and len(header) > len(prefix):
            return normalise_key(header[len(prefix):])
    return None


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def path_matches(path: str, patterns: tuple[str, ...]) -> bool:
    return bool(patterns) and _spec(patterns).match_file(path)


def _token_limit(value: Scalar | None) -> int | None:
    """An output-token limit as an int; None (unknown) for what no API accepts: `1e309` is infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value) if abs(value) <= 10**18 else None


def _as_text(value: Scalar | None) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    return str(value)


class Resolver:
    """Resolves the call sites of a run against one policy."""

    def __init__(self, policy: Policy, index: ProjectIndex, root: Path) -> None:
        self.policy = policy
        self.index = index
        attribution = policy.attribution
        self.keys = tuple(dict.fromkeys((*attribution.required, *attribution.optional)))
        self.layers = frozenset(attribution.carriers)
        self.conventions = gateway_conventions()
        #: The policy's header prefixes, then the gateways' own (`Helicone-Property-`), which count whatever it sets.
        self.prefixes = tuple(dict.fromkeys((*attribution.header_prefixes, *self.conventions.header_prefixes)))
        self.scopes = frozenset(attribution.scopes)
        self.prompt_reader = PromptReader(root)

    def resolve_file(self, extraction: FileExtraction) -> list[CallSite]:
        return [self.resolve(site, extraction) for site in extraction.call_sites]

    def value(self, value: StaticValue, path: str) -> StaticValue:
        return self.index.resolve(value, path) if value.reference or value.parts else value

    def resolve(self, site: ExtractedCallSite, extraction: FileExtraction) -> CallSite:
        site = self._read_again(site)
        model, model_expression, model_source, models = self._model(site)
        if site.provider_inference is not None:
            site = canonical_site(site, model, self._base_url(site), load_providers())
        limit, limit_expression, limit_source = self._limit(site)
        limit_state: Literal["present", "absent", "unknown"] = "present" if limit_expression is not None else \
            "unknown" if site.passes_hidden_keywords else "absent"
        values, sources = self._attribution(site, extraction)
        # a model argument the code can't read, or a declared wrapper that names none: the models the policy declares
        if not models and (site.model is not None or any(w.function == site.api for w in self.policy.wrappers)):
            assumed = self._assumed(site, values.get("use_case"))
            if assumed:
                models, model_source = assumed, "assumed"
        expressions, carriers = self._attribution_details(site, sources)
        opaque = tuple(c for c in site.opaque_carriers if c.layer in self.layers
                       or (c.kind == "kwargs" and not self.layers.isdisjoint(("body", "header", "framework"))))
        endpoint, endpoint_expression = self._endpoint(site)
        prompt: ResolvedPrompt | None = None
        missing_prompt_files: tuple[str, ...] = ()
        if site.prompt is not None:
            prompt, missing_prompt_files = resolve_prompt(site.prompt, site.path, self.prompt_reader,
                                                          lambda v: self.value(v, site.path))
        return CallSite(
            site=site,
            model=model,
            model_expression=model_expression,
            max_output_tokens=limit,
            limit_expression=limit_expression,
            model_source=model_source,
            models=models,
            limit_state=limit_state,
            limit_source=limit_source,
            attribution=tuple(sorted(values.items())),
            attribution_sources=tuple(sorted(sources.items())),
            use_case=values.get("use_case"),
            opaque_carriers=opaque,
            prompt=prompt,
            missing_prompt_files=missing_prompt_files,
            dynamic_expressions=expressions,
            attribution_carriers=carriers,
            endpoint=endpoint,
            endpoint_expression=endpoint_expression,
        )

    def _read_again(self, site: ExtractedCallSite) -> ExtractedCallSite:
        """The site with the carriers extraction left to this step (their values name other modules' constants)
        read again, those constants now known; what still can't be read stays opaque.

        A `**NAME` argument naming another module's dict constant that is known whole hides nothing: it is no longer
        opaque, and the call's model and output limit are looked up in it (`splat_paths`).
        """
        if all(c.value is None for c in site.opaque_carriers):
            return site
        entries = list(site.attribution)
        opaque: list[OpaqueCarrier] = []
        readable_splats: set[str] = set()
        for carrier in site.opaque_carriers:
            if carrier.value is None:
                opaque.append(carrier)
                continue
            value = self.index.resolve(carrier.value, site.path)
            if carrier.kind == "kwargs":
                if value.entries is None:
                    opaque.append(replace(carrier, value=None))
                    continue
                readable_splats.add(carrier.expression)
                site = self._from_splat(site, value)
                continue
            reading = read_carrier(carrier, value, self.conventions, final=True)
            if reading is None:  # not reached: a final reading always reads
                opaque.append(replace(carrier, value=None))
                continue
            entries.extend(reading.entries)
            opaque.extend(reading.unread)
        # a carrier looked up in a `**` argument that stays unreadable is that argument: name it once
        splats = {c.expression for c in opaque if c.kind == "kwargs"}
        opaque = [c for c in opaque if c.kind == "kwargs" or c.expression not in splats]
        return replace(site, attribution=tuple(entries), opaque_carriers=tuple(dict.fromkeys(opaque)))

    def _from_splat(self, site: ExtractedCallSite, value: StaticValue) -> ExtractedCallSite:
        """The model and the output limit a `**` argument known whole passes, where the call names neither."""
        for role, paths in site.splat_paths:
            found: StaticValue | None = None
            for path in paths:
                found = _step(value, path)
                if found is not None:
                    break
            if role == "model":
                site = replace(site, model=found)
            else:
                site = replace(site, max_output_tokens=found)
        return site

    def _endpoint(self, site: ExtractedCallSite) -> tuple[str | None, str | None]:
        given = site.client.base_url if site.client is not None else site.endpoint
        if given is None:
            return None, None
        resolved = self.value(given, site.path)
        if resolved.known and isinstance(resolved.value, str):
            return resolved.value, given.expression
        return None, given.expression

    def _attribution_details(self, site: ExtractedCallSite, sources: dict[str, Layer]
                             ) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """For each chosen key: the source text of a dynamic value, and the carrier it came from."""
        expressions: dict[str, str] = {}
        carriers: dict[str, str] = {}
        for entry in sorted(site.attribution, key=lambda e: _LAYER_RANK[e.layer]):
            key = header_key(entry.key, self.prefixes) if entry.is_header else normalise_key(entry.key)
            if key is None or key in carriers or sources.get(key) != entry.layer:
                continue
            carriers[key] = entry.carrier
            if not self.value(entry.value, site.path).known:
                expressions[key] = entry.value.expression
        for scope in site.scopes:
            if scope.name in self.scopes:
                for name, value in scope.arguments:
                    key = normalise_key(name)
                    if key not in carriers and sources.get(key) == "scope":
                        carriers[key] = scope.name
                        if not self.value(value, site.path).known:
                            expressions[key] = value.expression
        return tuple(sorted(expressions.items())), tuple(sorted(carriers.items()))

    def _base_url(self, site: ExtractedCallSite) -> str | None:
        if site.client is None or site.client.base_url is None:
            return None
        resolved = self.value(site.client.base_url, site.path)
        return resolved.value if resolved.known and isinstance(resolved.value, str) else None

    def _assumed(self, site: ExtractedCallSite, use_case: str | None) -> tuple[str, ...]:
        """The models the policy says a configuration-driven call may run: its wrapper's, else its use case's."""
        for wrapper in self.policy.wrappers:
            if wrapper.function == site.api and wrapper.models:
                return wrapper.models
        declared = self.policy.use_cases.get(use_case) if use_case is not None else None
        return declared.models.assume if declared is not None else ()

    def _limit(self, site: ExtractedCallSite) -> tuple[int | None, str | None, ValueSource | None]:
        """The output limit (the largest, when branches pass different ones), its text, and how it is known."""
        if site.max_output_tokens is None:
            return None, None, None
        resolved = self.value(site.max_output_tokens, site.path)
        numbers = [n for n in (_token_limit(v) for v in ((resolved.value,) if resolved.known else resolved.options))
                   if n is not None]
        if numbers and (resolved.known or len(numbers) == len(resolved.options)):
            return max(numbers), resolved.expression, resolved.source
        return None, resolved.expression, None

    def _model(self, site: ExtractedCallSite) -> tuple[str | None, str, ValueSource | None, tuple[str, ...]]:
        """The model (the SDK's own default when the call passes none), its text, how it is known, and the set of
        models the call may use when branches choose between several."""
        if site.model is None:
            return site.default_model, "", "code" if site.default_model else None, \
                (site.default_model,) if site.default_model else ()
        resolved = self.value(site.model, site.path)
        if resolved.known and isinstance(resolved.value, str) and resolved.value:
            return resolved.value, resolved.expression, resolved.source, (resolved.value,)
        options = tuple(o for o in resolved.options if isinstance(o, str) and o)
        if options and len(options) == len(resolved.options):
            return None, resolved.expression, resolved.source, options
        return None, resolved.expression, None, ()

    def _attribution(self, site: ExtractedCallSite, extraction: FileExtraction
                     ) -> tuple[dict[str, str | None], dict[str, Layer]]:
        candidates: list[tuple[int, str, StaticValue, Layer]] = []
        for entry in site.attribution:
            key = header_key(entry.key, self.prefixes) if entry.is_header else normalise_key(entry.key)
            if key is not None:
                candidates.append((_LAYER_RANK[entry.layer], key, entry.value, entry.layer))
        for scope in site.scopes:
            if scope.name in self.scopes:
                for name, value in scope.arguments:
                    candidates.append((_LAYER_RANK["scope"], normalise_key(name), value, "scope"))
        for key, text in extraction.file_attribution:
            candidates.append((_LAYER_RANK["file"], normalise_key(key), StaticValue.literal(text), "file"))
        for name, use_case in self.policy.use_cases.items():
            if path_matches(site.path, use_case.paths):
                candidates.append((_LAYER_RANK["path"], "use_case", StaticValue.literal(name), "path"))
                if use_case.team:
                    candidates.append((_LAYER_RANK["path"], "team", StaticValue.literal(use_case.team), "path"))
                break
        values: dict[str, str | None] = {}
        sources: dict[str, Layer] = {}
        for _, key, value, layer in sorted(candidates, key=lambda c: c[0]):
            if key in sources or layer not in self.layers or (key not in self.keys and key != "use_case"):
                continue
            resolved = self.value(value, site.path)
            values[key] = _as_text(resolved.value) if resolved.known else None
            sources[key] = layer
        return values, sources


def _step(value: StaticValue, path: str) -> StaticValue | None:
    """The value at a dotted key path inside a dict known whole; None where it has no such key."""
    for part in path.split("."):
        if value.entries is None:
            return None
        found = dict(value.entries).get(part)
        if found is None:
            return None
        value = found
    return value


@dataclass(frozen=True)
class ResolvedProject:
    """What the resolve stage hands on."""

    #: The extraction, where a checked file whose resolution failed carries that as its problem (OBH001).
    extraction: ProjectExtraction
    #: Every call site of the checked files, with the policy's view of it, in path order.
    call_sites: tuple[CallSite, ...]


def resolve_project(extraction: ProjectExtraction, policy: Policy) -> ResolvedProject:
    """The resolve stage, file by file: a file whose values trip resolution up is reported, and the run goes on."""
    constants = {path: dict(e.constants) for path, e in extraction.files.items() if e.constants}
    resolver = Resolver(policy, ProjectIndex(extraction.modules, constants), extraction.root)
    sites: list[CallSite] = []
    checked: list[FileExtraction] = []
    for file in extraction.checked:
        try:
            sites.extend(resolver.resolve_file(file))
            checked.append(file)
        except Exception as exc:  # noqa: BLE001 - one file's internal error must not end the run
            if os.environ.get("OBERHAHN_DEBUG"):
                raise
            message = (f"internal error while resolving this file's call sites ({type(exc).__name__}: {exc}); "
                       "they were skipped — set OBERHAHN_DEBUG=1 for a traceback, and please report it")
            checked.append(replace(file, call_sites=(), problem=ParseProblem(file.path, 1, 1, message)))
    return ResolvedProject(replace(extraction, checked=tuple(checked)), tuple(sites))
