"""What extraction depends on besides a file's bytes, and the byte pre-filter that decides which files to parse.

Extraction is independent of the policy: its only inputs beside the source are the SDK surface
(data shipped with the package), the organisation's declared wrappers and the clients other
project modules export. All three are part of the cache key of a file's extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterator, Mapping, cast

from ..callsite import ExportedClient
from ..surface import Surface
from ._bytescan import ByteScan, byte_scan

#: Files above this size are reported and skipped: generated code, vendored bundles.
MAX_FILE_BYTES = 2_000_000

#: The module an import line names (`from a.b import c`), or what follows `import` (`import a.b as c, d`).
IMPORTED = byte_scan(rb"^[ \t]*(?:from[ \t]+([\w.]+)|import[ \t]+([^\n#]*))")
_DOTTED = re.compile(rb"[\w.]+")
#: What a relative import brings, over lines when parenthesized (`from .._client import (OpenAI,\n AsyncOpenAI)`).
_RELATIVE_IMPORTS = re.compile(rb"^[ \t]*from[ \t]+\.+[\w.]*[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
#: Stands for "a relative import" among a file's imported roots: it may reach a project module that exports a client.
RELATIVE = "."


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
        by_root = tuple(sorted(self.call_names_by_root().items()))
        entries = tuple(sorted(self.surface.entry_names_by_root().items()))
        return _prefilter(self.roots(), self.call_names(), by_root, entries, RELATIVE in dict(by_root))

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

    def call_names_by_root(self) -> dict[str, frozenset[str]]:
        """`call_names` by the top-level package whose import brings them (`Surface.call_names_by_root`), and by
        RELATIVE for relative imports. A wrapper is called by its name, and a client another module exports is
        used by its name (`from app.llm import client`, `llm.client`, `make_client()`): both count under their
        package and, since the project's own modules may import them relatively, under RELATIVE."""
        by_root = {root: set(names) for root, names in self.surface.call_names_by_root().items()}
        for qualified in (*(w.function for w in self.wrappers), *self.project_clients):
            name = qualified.rsplit(".", 1)[-1]
            by_root.setdefault(qualified.split(".")[0], set()).add(name)
            by_root.setdefault(RELATIVE, set()).add(name)
        return {root: frozenset(names) for root, names in by_root.items()}


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
    """The byte scan that decides which files are parsed, derived from the inputs (never a hand-kept list).

    A file is parsed when its import lines name a package a call site can come from and its bytes name a call
    that package's clients or functions are written with: `create` beside `import openai` or `import boto3`, not
    beside `import langchain_community` alone (its call sites are the constructors it exports).
    """

    #: An import line naming an SDK, a wrapper's package or a package whose module exports a client.
    imports: ByteScan
    #: Any name a call site or a client construction is written with (see `ExtractionInputs.call_names`).
    names: ByteScan
    #: The names by the package whose import brings them, as (package, names) pairs.
    names_by_root: tuple[tuple[str, frozenset[str]], ...]
    #: Of those, the SDK's names a client or a function is first reached by (`Surface.entry_names_by_root`).
    entries_by_root: tuple[tuple[str, frozenset[str]], ...]
    #: Relative imports may reach a project module that exports a client, or a declared wrapper.
    relative: bool
    #: The name scan of each package, compiled when a file first imports it.
    _scans: dict[str, ByteScan] = field(default_factory=dict, compare=False, repr=False)

    def passes(self, source: bytes, module: str = "") -> bool:
        return self.names_a_call(source, self.imported_roots(source, module))

    def imported_roots(self, source: bytes, module: str = "") -> frozenset[str]:
        """The packages of `names_by_root` the import lines of the file holding `module` name; RELATIVE for a
        relative import that may reach a project module exporting a client or a wrapper; and a package the file
        is inside (an SDK's own source in a monorepo) when a relative import brings one of its clients or
        functions (`from .. import OpenAI` in `openai/lib/x.py`). Empty for most files, at one byte scan's cost."""
        source = source.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark must not hide a first-line import
        known = self._by_root
        found: set[str] = set()
        if b"from ." in source:
            if self.relative:
                found.add(RELATIVE)
            inside = [segment for segment in module.split(".") if segment in known]
            if inside:
                imported = {name.decode("ascii", "replace") for names in _RELATIVE_IMPORTS.findall(source)
                            for name in _DOTTED.findall(names)}
                found.update(root for root in inside if not imported.isdisjoint(self._entries.get(root, ())))
        if self.imports.search(source) is None:
            return frozenset(found)
        for imported_from, names in cast("list[tuple[bytes, bytes]]", IMPORTED.findall(source)):  # two groups: pairs
            for dotted in (imported_from,) if imported_from else _DOTTED.findall(names):  # `import os as openai`: loose
                root = dotted.split(b".", 1)[0].decode("ascii", "replace")
                if root in known:
                    found.add(root)
        return frozenset(found)

    def names_of(self, root: str) -> frozenset[str]:
        """The call names `root` (as `imported_roots` gives it) brings."""
        return self._by_root.get(root, frozenset())

    def names_a_call(self, source: bytes, roots: frozenset[str]) -> bool:
        """The file names a call that one of `roots` (as `imported_roots` gives them) brings."""
        return any(self._scan(root).search(source) is not None for root in sorted(roots))

    @cached_property
    def _by_root(self) -> dict[str, frozenset[str]]:
        return dict(self.names_by_root)

    @cached_property
    def _entries(self) -> dict[str, frozenset[str]]:
        return dict(self.entries_by_root)

    def _scan(self, root: str) -> ByteScan:
        scan = self._scans.get(root)
        if scan is None:
            scan = self._scans[root] = byte_scan(rb"\b" + _words(self._by_root[root]) + rb"\b")
        return scan


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
def _prefilter(roots: frozenset[str], names: frozenset[str], names_by_root: tuple[tuple[str, frozenset[str]], ...],
               entries_by_root: tuple[tuple[str, frozenset[str]], ...], relative: bool) -> Prefilter:
    alternatives = _words(roots)
    imports = byte_scan(rb"^[ \t]*(?:from[ \t]+" + alternatives + rb"\b|import[ \t]+[^\n#]*\b" + alternatives + rb"\b)")
    return Prefilter(imports, byte_scan(rb"\b" + _words(names) + rb"\b"), names_by_root, entries_by_root, relative)


def may_contain_call_sites(source: bytes, inputs: ExtractionInputs, module: str = "") -> bool:
    """A cheap byte scan: a file can hold a call site only if it imports an SDK (or a module of the project that
    exports a client, or a wrapper's package) and names a call that import brings: a client constructor, an SDK
    method or function, a declared wrapper or an exported client."""
    return inputs.prefilter.passes(source, module)
