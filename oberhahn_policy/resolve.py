"""Resolve: from extracted call sites to what the policy talks about — model, limit, attribution, use case.

This is the first step that reads the policy: header prefixes map headers to attribution keys,
the policy decides which carrier layers count, scope decorators it names add keys, and its
path mapping supplies a default use case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import pathspec

from .callsite import ExtractedCallSite, FileExtraction, Layer, OpaqueCarrier, Scalar, StaticValue
from .policy.model import Policy
from .project import ProjectIndex
from .prompts import PromptReader, ResolvedPrompt, resolve_prompt
from .providers import canonical_site
from .surface import load_surface

#: Lower rank wins: call arguments, then the client, then scopes, the file comment and the path mapping.
_LAYER_RANK: dict[str, int] = {"body": 0, "header": 0, "framework": 0, "client": 1, "scope": 2, "file": 3, "path": 4}


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call site with everything resolved that can be resolved; what rules and reports read."""

    site: ExtractedCallSite
    #: The model id, when known statically.
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
    #: Attribution key -> the value's source text, for keys whose value is not statically known.
    dynamic_expressions: tuple[tuple[str, str], ...] = ()
    #: Attribution key -> the carrier it came from (`metadata`, `extra_headers`, `requestMetadata`...).
    attribution_carriers: tuple[tuple[str, str], ...] = ()
    #: The endpoint the call goes to (the client's `base_url`, or the call's own `base_url=`), when known.
    endpoint: str | None = None
    #: Source text of the endpoint expression; None when the code passes none.
    endpoint_expression: str | None = None
    #: The file's path relative to the project root (POSIX), stable whatever the working directory.
    relative_path: str = ""

    @property
    def path(self) -> str:
        return self.site.path

    @property
    def provider(self) -> str:
        return self.site.provider

    def attribution_map(self) -> dict[str, str | None]:
        return dict(self.attribution)

    def sources_map(self) -> dict[str, Layer]:
        return dict(self.attribution_sources)


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

    def __init__(self, policy: Policy, index: ProjectIndex, root_relative: dict[str, str] | None = None) -> None:
        self.policy = policy
        self.index = index
        attribution = policy.attribution
        self.keys = tuple(dict.fromkeys((*attribution.required, *attribution.optional)))
        self.layers = frozenset(attribution.carriers)
        self.prefixes = attribution.header_prefixes
        self.scopes = frozenset(attribution.scopes)
        #: display path -> root-relative path, for pattern matching
        self.root_relative = root_relative or {}
        self.prompt_reader = PromptReader(index.root)

    def resolve_file(self, extraction: FileExtraction) -> list[CallSite]:
        return [self.resolve(site, extraction) for site in extraction.call_sites]

    def value(self, value: StaticValue, path: str) -> StaticValue:
        return self.index.resolve(value, self.root_relative.get(path, path)) if value.reference or value.parts else value

    def resolve(self, site: ExtractedCallSite, extraction: FileExtraction) -> CallSite:
        model, model_expression = self._model(site)
        if site.provider_inference is not None:
            site = canonical_site(site, model, self._base_url(site), load_surface().providers)
        limit: int | None = None
        limit_expression: str | None = None
        if site.max_output_tokens is not None:
            resolved = self.value(site.max_output_tokens, site.path)
            limit_expression = resolved.expression
            limit = _token_limit(resolved.value) if resolved.known else None
        values, sources = self._attribution(site, extraction)
        expressions, carriers = self._attribution_details(site, sources)
        opaque = tuple(c for c in site.opaque_carriers if c.layer in self.layers)
        endpoint, endpoint_expression = self._endpoint(site)
        prompt = None
        if site.prompt is not None:
            prompt = resolve_prompt(site.prompt, self.root_relative.get(site.path, site.path), self.prompt_reader,
                                    lambda v: self.value(v, site.path))
        return CallSite(
            site=site,
            model=model,
            model_expression=model_expression,
            max_output_tokens=limit,
            limit_expression=limit_expression,
            attribution=tuple(sorted(values.items())),
            attribution_sources=tuple(sorted(sources.items())),
            use_case=values.get("use_case"),
            opaque_carriers=opaque,
            prompt=prompt,
            dynamic_expressions=expressions,
            attribution_carriers=carriers,
            endpoint=endpoint,
            endpoint_expression=endpoint_expression,
            relative_path=self.root_relative.get(site.path, site.path),
        )

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

    def _model(self, site: ExtractedCallSite) -> tuple[str | None, str]:
        if site.model is None:
            return site.default_model, ""
        resolved = self.value(site.model, site.path)
        if resolved.known and isinstance(resolved.value, str) and resolved.value:
            return resolved.value, resolved.expression
        return None, resolved.expression

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
        relative = self.root_relative.get(site.path, site.path)
        for name, use_case in self.policy.use_cases.items():
            if path_matches(relative, use_case.paths):
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
