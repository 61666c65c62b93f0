"""What extraction depends on besides a file's bytes, and the byte pre-filter that decides which files to parse.

Extraction is independent of the policy: its only inputs beside the source are the SDK surface
(data shipped with the package), the organisation's declared wrappers and the clients other
project modules export. All three are part of the cache key of a file's extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterator, Mapping

from ..callsite import ExportedClient
from ..surface import Surface
from ._bytescan import ByteScan, byte_scan

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

    @cached_property
    def prefilter(self) -> Prefilter:
        """The byte scan that decides which files are parsed, for these inputs."""
        return _prefilter(self.roots(), self.call_names(), bool(self.project_clients))

    def roots(self) -> frozenset[str]:
        """Top-level packages whose import may lead to a call site."""
        return self._roots

    def call_names(self) -> frozenset[str]:
        """Names one of which a file mentions when it holds a call site or builds a client: the SDK surface's
        (constructors, factories, methods, functions), each declared wrapper's, each exported client's."""
        return self._call_names

    @cached_property
    def _roots(self) -> frozenset[str]:
        names = set(self.surface.roots())
        names.update(w.function.split(".")[0] for w in self.wrappers)
        names.update(name.split(".")[0] for name in self.project_clients)
        return frozenset(names)

    def imports_llm(self, imports: tuple[str, ...]) -> bool:
        """Whether a module's imports (qualified names) include an LLM SDK, a framework or a declared wrapper."""
        sdks = self.surface.roots()
        wrapper_modules = tuple(w.function.rsplit(".", 1)[0] for w in self.wrappers)
        return any(name.split(".")[0] in sdks or name.startswith(wrapper_modules) for name in imports)

    @cached_property
    def _call_names(self) -> frozenset[str]:
        names = set(self.surface.call_names())
        names.update(w.function.rsplit(".", 1)[-1] for w in self.wrappers)
        names.update(name.rsplit(".", 1)[-1] for name in self.project_clients)
        return frozenset(names)


class QueriedClients(Mapping[str, ExportedClient]):
    """The project's exported clients as one file's recognition sees them, remembering every name it asked about.

    A file whose questions all went unanswered reads the same whatever clients other modules export, so the
    project stage extracts again, with the clients known, only the files that asked about one of them.
    """

    def __init__(self, clients: Mapping[str, ExportedClient]) -> None:
        self._clients = clients
        #: Every qualified name looked up, found or not.
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> ExportedClient:
        self.asked.add(name)
        return self._clients[name]

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self.asked.add(name)
        return name in self._clients

    def __iter__(self) -> Iterator[str]:
        return iter(self._clients)

    def __len__(self) -> int:
        return len(self._clients)


@dataclass(frozen=True)
class Prefilter:
    """The byte scan that decides which files are parsed, derived from the inputs (never a hand-kept list)."""

    #: An import line naming an SDK, a wrapper's package or a package whose module exports a client.
    imports: ByteScan
    #: A name a call site or a client construction is written with (see `ExtractionInputs.call_names`).
    names: ByteScan
    #: Relative imports may reach a project module that exports a client.
    relative: bool

    def passes(self, source: bytes) -> bool:
        return self.imports_sdk(source) and self.names_a_call(source)

    def names_a_call(self, source: bytes) -> bool:
        """The name half alone: the file mentions a name a call site or a client construction is written with."""
        return self.names.search(source) is not None

    def imports_sdk(self, source: bytes) -> bool:
        """The import half alone: the file imports an SDK, a wrapper's package or (relatively) a project module."""
        source = source.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark must not hide a first-line import
        return self.imports.search(source) is not None or (self.relative and b"from ." in source)


def _words(names: frozenset[str]) -> bytes:
    """A regular expression matching any of `names`, as a trie (`create(?:_(?:and_(?:poll|run)|async))?...`):
    a few hundred names as one flat alternation are tried one by one at every position, six times slower."""
    trie: dict[int, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = trie
        for byte in name.encode():
            node = node.setdefault(byte, {})
        node[-1] = {}  # a name ends here

    def pattern(node: dict[int, dict]) -> bytes:  # type: ignore[type-arg]
        branches = [re.escape(bytes([byte])) + pattern(child) for byte, child in sorted(node.items()) if byte >= 0]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        return b"(?:" + body + b")?" if -1 in node else body

    return b"(?:" + pattern(trie) + b")"


@lru_cache(maxsize=8)
def _prefilter(roots: frozenset[str], names: frozenset[str], relative: bool) -> Prefilter:
    alternatives = _words(roots)
    imports = byte_scan(rb"^[ \t]*(?:from[ \t]+" + alternatives + rb"\b|import[ \t]+[^\n#]*\b" + alternatives + rb"\b)")
    return Prefilter(imports, byte_scan(rb"\b" + _words(names) + rb"\b"), relative)


def may_contain_call_sites(source: bytes, inputs: ExtractionInputs) -> bool:
    """A cheap byte scan: a file can hold a call site only if it imports an SDK (or a module of the project that
    exports a client, or a wrapper's package) and names a call: a client constructor, an SDK method or function,
    a declared wrapper or an exported client."""
    return inputs.prefilter.passes(source)
