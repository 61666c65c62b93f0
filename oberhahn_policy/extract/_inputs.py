"""What extraction depends on besides a file's bytes, and the byte pre-filter that decides which files to parse.

Extraction is independent of the policy: its only inputs beside the source are the SDK surface
(data shipped with the package), the organisation's declared wrappers and the clients other
project modules export. All three are part of the cache key of a file's extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from ..callsite import ExportedClient
from ..surface import Surface

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


def _prefilter(roots: frozenset[str]) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(r.encode()) for r in sorted(roots))
    return re.compile(rb"^[ \t]*(?:from[ \t]+(?:" + alternatives + rb")\b|import[ \t]+[^\n#]*\b(?:" + alternatives + rb")\b)",
                      re.MULTILINE)


_PREFILTERS: dict[frozenset[str], re.Pattern[bytes]] = {}


def may_contain_call_sites(source: bytes, inputs: ExtractionInputs) -> bool:
    """A cheap byte scan: only files that import an SDK (or a project client, or a wrapper) can hold a call site."""
    source = source.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark must not hide a first-line import
    roots = inputs.roots()
    pattern = _PREFILTERS.get(roots)
    if pattern is None:
        pattern = _PREFILTERS.setdefault(roots, _prefilter(roots))
    if pattern.search(source):
        return True
    # relative imports of project modules that export clients
    return bool(inputs.project_clients) and b"from ." in source
