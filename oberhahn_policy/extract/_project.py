"""The extract stage over a project: which files to read, through the cache and the worker pool.

A run extracts the files it checks, then the project modules those files import (following
imports a few levels deep), because constants and clients live there: a settings module that
holds the model name, a module that builds the shared client. Imported modules are parsed even
when the import pre-filter would skip them, since their constants are what resolution needs.
Then the files that import a module exporting a client are extracted again with that client
known. Everything goes through the content-hash cache, and in parallel when there are enough
files; nothing later in the run reads or parses source again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Iterable, Iterator, Mapping, Sequence

from .._version import __version__
from ..cache import ExtractionCache
from ..callsite import ExportedClient, FileExtraction, ParseProblem, StaticValue
from ..discover import FileSet, SourceFile
from ..project import ModuleMap, module_name
from ._file import extract_source
from ._inputs import ExtractionInputs

#: Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 24
#: How many levels of imports are followed from the checked files (a settings module re-exporting defaults is two).
_IMPORT_DEPTH = 4
#: Imports that are never project modules.
_NOT_PROJECT = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class ExtractionSettings:
    """How the stage may work: worker processes and the cache (None: no cache)."""

    jobs: int | None = None
    cache_dir: Path | None = None


@dataclass(frozen=True)
class ProjectExtraction:
    """What the extract stage hands on to resolution."""

    root: Path
    #: The checked files' extractions, in path order.
    checked: tuple[FileExtraction, ...]
    #: Every extraction of the run by root-relative path: the checked files, the modules they import, entry modules.
    files: Mapping[str, FileExtraction]
    #: Which file defines which module, over every file of the project.
    modules: ModuleMap


def _digest(inputs: ExtractionInputs) -> str:
    payload = {
        "version": __version__,
        "surface": inputs.surface.model_dump(mode="json"),
        "wrappers": [dataclasses.asdict(w) for w in inputs.wrappers],
        "clients": {k: dataclasses.asdict(v) for k, v in sorted(inputs.project_clients.items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _extract_one(inputs: ExtractionInputs, job: tuple[str, str, bool]) -> FileExtraction:
    """Worker: read and extract one file; never raises, so one bad file can't end the run."""
    absolute, path, force = job
    try:
        source = Path(absolute).read_bytes()
    except OSError as exc:
        return FileExtraction(path=path, problem=ParseProblem(path, 1, 1, f"cannot read the file: {exc.strerror}"))
    try:
        return extract_source(path, source, module_name(path), inputs, force_parse=force)
    except RecursionError:
        return FileExtraction(path=path, problem=ParseProblem(path, 1, 1, "the file is nested too deeply to analyse; it was skipped"))
    except Exception as exc:  # noqa: BLE001 - reported with the file's name instead of a traceback
        return FileExtraction(path=path, problem=ParseProblem(
            path, 1, 1, f"internal error while reading this file ({type(exc).__name__}: {exc}); it was skipped, please report it"))


class _Extractor:
    """Extracts batches of files through the cache, sharing one worker pool across the batches of a run."""

    def __init__(self, settings: ExtractionSettings) -> None:
        self.cache = ExtractionCache(settings.cache_dir) if settings.cache_dir is not None else None
        self.jobs = settings.jobs if settings.jobs is not None else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Extractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def extract(self, files: Sequence[SourceFile], inputs: ExtractionInputs, forced: frozenset[str] = frozenset()
                ) -> dict[str, FileExtraction]:
        digest = _digest(inputs)
        results: dict[str, FileExtraction] = {}
        pending: list[tuple[SourceFile, str | None, int]] = []
        for file in files:
            force = file.path in forced
            key = None
            size = 0
            if self.cache is not None:
                try:
                    source = file.absolute.read_bytes()
                except OSError:
                    source = b""
                size = len(source)
                key = ExtractionCache.key(source, module_name(file.path), digest, file.path + ("\0forced" if force else ""))
                cached = self.cache.get(key)
                if cached is not None:
                    results[file.path] = cached
                    continue
            pending.append((file, key, size))
        jobs = [(str(f.absolute), f.path, f.path in forced) for f, _, _ in pending]
        worker = partial(_extract_one, inputs)
        if self.jobs > 1 and len(jobs) >= _PARALLEL_THRESHOLD:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.jobs)
            # largest files first, one at a time: the pool stays balanced whatever the mix of sizes
            order = sorted(range(len(jobs)), key=lambda i: -pending[i][2])
            done = dict(zip(order, self._pool.map(worker, [jobs[i] for i in order], chunksize=1)))
            extracted = [done[i] for i in range(len(jobs))]
        else:
            extracted = [worker(job) for job in jobs]
        for (file, key, _), extraction in zip(pending, extracted):
            results[file.path] = extraction
            if self.cache is not None and key is not None:
                self.cache.put(key, extraction)
        return results


def project_clients(extractions: Iterable[FileExtraction]) -> dict[str, ExportedClient]:
    """Exported clients under every dotted suffix of their name, as other modules may import them."""
    clients: dict[str, ExportedClient] = {}
    for extraction in extractions:
        for qualified, exported in extraction.exports:
            parts = qualified.split(".")
            for start in range(len(parts) - 1):
                clients.setdefault(".".join(parts[start:]), exported)
    return clients


def _imported_modules(names: Iterable[str], near: str, modules: ModuleMap) -> set[str]:
    """Project files that the imported `names` come from (stdlib imports skipped)."""
    found: set[str] = set()
    for name in names:
        if not name or name.split(".")[0] in _NOT_PROJECT:
            continue
        path = modules.defining(name, near)
        if path is not None and path != near:
            found.add(path)
    return found


_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w. \t,]+))", re.MULTILINE)


def scanned_imports(source: bytes, path: str) -> tuple[str, ...]:
    """Modules a file imports, from a byte scan of its import lines (for files the pre-filter did not parse)."""
    package = module_name(path).split(".")
    if path.rsplit("/", 1)[-1] != "__init__.py":
        package = package[:-1]
    names: list[str] = []
    for match in _IMPORT_LINE.finditer(source):
        dots, module, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            names.extend(n.split()[0] for n in plain.decode("ascii", "replace").split(",") if n.strip())
        elif dots:
            base = package[: len(package) - (len(dots) - 1)] if len(dots) > 1 else package
            names.append(".".join([*base, module.decode("ascii", "replace")] if module else base))
        else:
            names.append(module.decode("ascii", "replace"))
    return tuple(n for n in names if n)


def _unknown_references(values: Iterable[StaticValue | None]) -> Iterator[str]:
    for value in values:
        if value is None or value.known:
            continue
        if value.reference is not None:
            yield value.reference
        yield from _unknown_references(value.parts)


def references(extraction: FileExtraction) -> set[str]:
    """Qualified names of other modules' constants that this file's call sites, clients and constants depend on."""
    values: list[StaticValue | None] = [v for _, v in extraction.constants]
    for site in extraction.call_sites:
        values += [site.model, site.max_output_tokens, site.endpoint]
        values += [e.value for e in site.attribution]
        values += [v for scope in site.scopes for _, v in scope.arguments]
        values += [v for chain in site.caller_scopes for scope in chain for _, v in scope.arguments]
        if site.client is not None:
            values.append(site.client.base_url)
        if site.prompt is not None:
            values += [part.text for part in site.prompt.parts]
    for _, exported in extraction.exports:
        values += [e.value for e in exported.attribution] + [exported.base_url]
    return set(_unknown_references(values))


def _uses_exports(extraction: FileExtraction, prefixes: frozenset[str]) -> bool:
    return any(name in prefixes for name in extraction.imports)


def _mentions(files: Iterable[SourceFile], clients: Mapping[str, ExportedClient]) -> list[SourceFile]:
    """Files the pre-filter skipped that may import an exporting module (a loose byte scan; extraction decides)."""
    names = {name.rsplit(".", 1)[0].rsplit(".", 1)[-1] for name in clients if "." in name}
    if not names:
        return []
    pattern = re.compile(rb"^[ \t]*(?:from|import)[ \t][^\n]*\b(?:" + b"|".join(re.escape(m.encode()) for m in sorted(names))
                         + rb")\b", re.MULTILINE)
    selected = []
    for file in files:
        try:
            if pattern.search(file.absolute.read_bytes()):
                selected.append(file)
        except OSError:
            continue
    return selected


def extract_project(fileset: FileSet, inputs: ExtractionInputs, settings: ExtractionSettings, *,
                    entry_modules: bool = False) -> ProjectExtraction:
    """The extract stage.

    In order: the checked files; the project modules they import that may export a client; the
    modules whose constants their values name, parsed whatever the pre-filter says; with
    `entry_modules`, every file that may start process-wide instrumentation; and last, again, the
    files that use a client another project module exports, with those clients known.
    """
    modules = ModuleMap(f.path for f in fileset.project)
    by_path = {f.path: f for f in (*fileset.project, *fileset.checked)}
    forced: set[str] = set()
    with _Extractor(settings) as extractor:
        files = extractor.extract(fileset.checked, inputs)
        # modules imported by the checked files: they may build the clients the checked files use
        frontier = list(files.values())
        for _ in range(_IMPORT_DEPTH):
            wanted: set[str] = set()
            for extraction in frontier:
                names: Iterable[str] = extraction.imports
                if not extraction.parsed and extraction.problem is None:
                    try:
                        names = scanned_imports(by_path[extraction.path].absolute.read_bytes(), extraction.path)
                    except (OSError, KeyError):
                        names = ()
                wanted |= _imported_modules(names, extraction.path, modules)
            found = extractor.extract([by_path[p] for p in sorted(wanted - files.keys()) if p in by_path], inputs)
            if not found:
                break
            files.update(found)
            frontier = [e for e in found.values() if e.parsed]
        # modules holding the constants that values name (`settings.MODEL`): parsed even without an SDK import
        pending = {r for e in files.values() for r in references(e)}
        for _ in range(_IMPORT_DEPTH):
            wanted = {path for name in pending if (path := modules.defining(name)) is not None}
            wanted = {p for p in wanted if p in by_path and p not in forced and not (p in files and files[p].parsed)}
            if not wanted:
                break
            forced |= wanted
            found = extractor.extract([by_path[p] for p in sorted(wanted)], inputs, frozenset(forced))
            files.update(found)
            pending = {r for e in found.values() for r in references(e)}
        if entry_modules:
            files.update(extractor.extract([f for f in fileset.project if f.path not in files], inputs))
        clients = project_clients(files.values())
        if clients:
            prefixes = frozenset(".".join(k.split(".")[:cut]) for k in clients for cut in range(1, k.count(".") + 2))
            again = [by_path[p] for p, e in sorted(files.items()) if e.parsed and p in by_path and _uses_exports(e, prefixes)]
            checked_paths = {f.path for f in fileset.checked}
            again += _mentions([by_path[p] for p, e in sorted(files.items()) if not e.parsed and p in checked_paths],
                               clients)
            with_clients = dataclasses.replace(inputs, project_clients=clients)
            files.update(extractor.extract(again, with_clients, frozenset(forced)))
    checked = tuple(files[f.path] for f in fileset.checked if f.path in files)
    return ProjectExtraction(root=fileset.root, checked=checked, files=files, modules=modules)
