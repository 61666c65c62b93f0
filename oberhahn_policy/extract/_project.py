"""The extract stage over a project: which files to read, through the cache and the worker pool.

A run extracts the files it checks, then the project modules those files import (following
imports a few levels deep), because constants and clients live there: a settings module that
holds the model name, a module that builds the shared client. The modules whose constants the
extracted values name are parsed even when the pre-filter would skip them, since their constants
are what resolution needs. Then the files whose recognition asked about a client that another
module turned out to export are extracted again with that client known. Everything goes through
the content-hash cache, and in parallel when there is enough to parse; nothing later in the run
reads or parses source again.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import pickle
import re
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .._version import __version__
from ..cache import ExtractionCache, FileIndex, Known, Skipped
from ..callsite import ExportedClient, FileExtraction, ParseProblem, StaticValue
from ..discover import FileSet, SourceFile
from ..project import ModuleMap, module_name
from ..safeio import FileIdentity, RealPaths, UnsafeFileError, file_identity, read_regular_file
from ._bytescan import ByteScan, byte_scan
from ._candidates import imports_of, is_candidate, package_of, unparsed
from ._inputs import MAX_FILE_BYTES, ExtractionInputs

#: Below this much source to parse (about a quarter of a second of parsing), starting worker processes costs more
#: than it saves: the work stays in this process.
_PARALLEL_BYTES = 256_000
#: Work goes to the workers in chunks of about 1/16 of a worker's share, between these many bytes of source (about
#: 0.05 s and 1 s of parsing): the workers finish within a second of each other, progress is reported often, and a
#: chunk's overhead (the inputs sent with it, its results) stays small.
_CHUNKS_PER_WORKER = 16
_CHUNK_BYTES = (64_000, 1_000_000)
#: How many levels of imports are followed from the checked files (a settings module re-exporting defaults is two).
_IMPORT_DEPTH = 4
#: Imports that are never project modules.
_NOT_PROJECT = frozenset(sys.stdlib_module_names) | {"__future__"}

#: Called as files are extracted: (files extracted so far, files to extract) of the batch being worked on.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExtractionSettings:
    """How the stage may work: worker processes, the cache (None: no cache), and who hears about progress."""

    jobs: int | None = None
    cache_dir: Path | None = None
    progress: Progress | None = None


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


@dataclass(frozen=True, slots=True)
class _Job:
    """One file to parse: its root-relative path, its bytes (the bytes the cache key was computed from), and
    whether to parse it whatever the pre-filter says."""

    path: str
    source: bytes
    force: bool


#: Stack and recursion limit for the retry of a file whose syntax tree is deeper than the default recursion limit
#: allows a visitor to walk (3,000 adjacent string literals make a right-nested tree 3,000 levels deep).
_DEEP_STACK_BYTES = 512 << 20
_DEEP_RECURSION_LIMIT = 60_000


def read_source(file: SourceFile, root: Path, real_paths: RealPaths | None = None) -> bytes:
    """A source file's bytes: a regular file inside the project of at most MAX_FILE_BYTES; UnsafeFileError otherwise
    (a FIFO named `x.py` would block the run, `z.py -> /dev/zero` never ends, a link may leave the project)."""
    return read_regular_file(file.absolute, limit=MAX_FILE_BYTES, root=root, label=file.path, what="file",
                             real_paths=real_paths)


def _problem(path: str, message: str, line: int = 1, column: int = 1) -> FileExtraction:
    return FileExtraction(path=path, problem=ParseProblem(path, line, column, message))


def _unreadable(path: str, error: UnsafeFileError) -> FileExtraction:
    return _problem(path, error.problem, error.line or 1, error.column or 1)


def _with_deep_stack(run: Callable[[], FileExtraction]) -> FileExtraction:
    """`run` in a thread with a large stack and recursion limit, for a tree too deep for the default ones."""
    outcome: list[FileExtraction | BaseException] = []

    def target() -> None:
        try:
            outcome.append(run())
        except BaseException as exc:  # noqa: BLE001 - handed back to the calling thread
            outcome.append(exc)

    previous_stack, previous_limit = threading.stack_size(), sys.getrecursionlimit()
    threading.stack_size(_DEEP_STACK_BYTES)
    sys.setrecursionlimit(_DEEP_RECURSION_LIMIT)
    try:
        thread = threading.Thread(target=target, name="oberhahn-deep-file")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while one file is extracted.

    A syntax tree is hundreds of thousands of objects made at once and dropped at once, by reference counting:
    collections triggered while it is built find nothing to free, yet walk all of it (a fifth to a quarter of the
    parse's time). Once collection is allowed again, the next allocation collects what the file left behind, so
    memory stays bounded by one file's extraction.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _extract_one(inputs: ExtractionInputs, job: _Job, in_worker: bool = False) -> FileExtraction:
    """Extract one file; never raises, so one bad file can't end the run. `in_worker`: in a worker process, where
    nothing else builds syntax trees meanwhile, so code Python compiles is parsed without libcst's node checks."""

    from ._file import extract_source  # the parser and libcst, imported where files are parsed, and only there

    def run() -> FileExtraction:
        with _collector_paused():
            return extract_source(job.path, job.source, module_name(job.path), inputs, force_parse=job.force,
                                  candidate=True, unchecked_nodes=in_worker)

    try:
        try:
            return run()
        except RecursionError:
            return _with_deep_stack(run)
    except RecursionError:
        return _problem(job.path, "the file is nested too deeply to analyse; it was skipped")
    except Exception as exc:  # noqa: BLE001 - reported with the file's name instead of a traceback
        return _problem(job.path, f"internal error while reading this file ({type(exc).__name__}: {exc}); it was "
                                  "skipped, please report it")


#: In a worker: the inputs of the batches it has worked on, by digest (a batch's inputs are unpickled once).
_WORKER_INPUTS: dict[str, ExtractionInputs] = {}


def _extract_chunk(digest: str, inputs: bytes, jobs: Sequence[_Job]) -> list[FileExtraction]:
    """Worker: extract a chunk of files with the batch's inputs (sent pickled, read once per worker)."""
    known = _WORKER_INPUTS.get(digest)
    if known is None:
        _WORKER_INPUTS.clear()
        known = _WORKER_INPUTS[digest] = pickle.loads(inputs)
    return [_extract_one(known, job, in_worker=True) for job in jobs]


def _start_worker() -> None:
    """A worker leaves Ctrl-C to the main process, which stops the run once (instead of one traceback per worker),
    and sets aside what it inherited from the main process (the run so far: file lists, extractions): the garbage
    collector never walks it again, nor writes to its pages, while the worker allocates and frees syntax trees."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def _isolated(inputs: ExtractionInputs, job: _Job) -> FileExtraction:
    """Extract one file in a process of its own, after a worker died: if it dies again, the file is what kills it."""
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_start_worker) as alone:
            return alone.submit(_extract_one, inputs, job, True).result()
    except BrokenProcessPool:
        return _problem(job.path, "the parser crashed on this file (its process died); it was skipped, please report it")


def _chunks(jobs: Sequence[_Job], workers: int) -> list[list[_Job]]:
    """The jobs in chunks of about the same amount of source, the largest files first (a file larger than a chunk
    goes alone), so that what is left at the end is a few small chunks the workers share out evenly."""
    ordered = sorted(jobs, key=lambda job: (-len(job.source), job.path))
    low, high = _CHUNK_BYTES
    target = min(high, max(low, sum(len(job.source) for job in ordered) // (workers * _CHUNKS_PER_WORKER)))
    chunks: list[list[_Job]] = []
    current: list[_Job] = []
    size = 0
    for job in ordered:
        current.append(job)
        size += len(job.source)
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


class _Extractor:
    """Extracts batches of files through the cache, sharing one worker pool across the batches of a run.

    Every file is read here once per batch: its bytes give the cache key, and the pre-filter runs on them, so a
    file that can't hold a call site costs a read and a byte scan, never a worker's time. Files to parse go to the
    workers only when there is enough of them to pay for the processes.
    """

    def __init__(self, root: Path, settings: ExtractionSettings) -> None:
        self.root = root
        self.cache = ExtractionCache(settings.cache_dir) if settings.cache_dir is not None else None
        self.jobs = settings.jobs if settings.jobs is not None else (os.cpu_count() or 1)
        self.progress = settings.progress
        self._pool: ProcessPoolExecutor | None = None
        #: Files parsed so far and files to parse, over every batch of the run (what progress reports).
        self._parsed = 0
        self._to_parse = 0
        #: Import lines of the files the pre-filter skipped, so following their imports never reads them again.
        self.import_lines: dict[str, bytes] = {}
        self.real_paths = RealPaths()
        #: The file index of each set of inputs used so far (by inputs digest), written when the run ends.
        self._indexes: dict[str, FileIndex] = {}

    def __enter__(self) -> _Extractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if kind is None:
            for index in self._indexes.values():
                index.save()

    def _index(self, digest: str) -> FileIndex | None:
        if self.cache is None:
            return None
        index = self._indexes.get(digest)
        if index is None:
            index = self._indexes[digest] = FileIndex(self.cache, digest)
        return index

    def _known(self, path: str, known: Known) -> FileExtraction | None:
        """What the index knew of an unchanged file; None when the cache entry it points to is gone."""
        if isinstance(known, Skipped):
            self.import_lines[path] = known.lines
            return FileExtraction(path=path, parsed=False, imports=known.imports)
        return self.cache.get(known) if self.cache is not None else None

    def may_use(self, file: SourceFile, uses: Sequence[_Use]) -> bool:
        """Whether the file names what one of `uses` asks for (a file that can't be read: yes, extraction says what
        is wrong with it)."""
        try:
            return may_use(read_source(file, self.root, self.real_paths), uses)
        except UnsafeFileError:
            return True

    def extract(self, files: Sequence[SourceFile], inputs: ExtractionInputs, forced: frozenset[str] = frozenset()
                ) -> dict[str, FileExtraction]:
        digest = _digest(inputs) if self.cache is not None else ""
        index = self._index(digest)
        results: dict[str, FileExtraction] = {}
        keys: dict[str, str] = {}
        identities: dict[str, FileIdentity | None] = {}
        jobs: list[_Job] = []
        for file in files:
            force = file.path in forced
            identity = None
            if index is not None and not force:
                # taken before the read: a change after it changes the identity, and the file is read again next run
                identity = identities[file.path] = file_identity(file.absolute, root=self.root, real_paths=self.real_paths)
                known = index.get(file.path, identity) if identity is not None else None
                found = self._known(file.path, known) if known is not None else None
                if found is not None:
                    results[file.path] = found
                    continue
            try:
                # the bytes the key is computed from are the bytes extracted: a file that changes meanwhile can't
                # leave a stale entry under its new content's key
                source = read_source(file, self.root, self.real_paths)
            except UnsafeFileError as exc:
                results[file.path] = _unreadable(file.path, exc)
                continue
            if not force and not is_candidate(source, inputs, module_name(file.path)):
                # a byte scan costs less than a cache entry's read: such files are never cached
                # its imports, from its import lines: followed like a parsed file's, and counted in the summary
                lines, imports = imports_of(source, file.path)
                skipped = results[file.path] = unparsed(file.path, source, imports)
                self.import_lines[file.path] = lines
                if index is not None and skipped == FileExtraction(path=file.path, parsed=False, imports=imports):
                    index.put(file.path, identity, Skipped(lines, imports))  # not a file with comments or a problem
                continue
            if self.cache is not None:
                key = keys[file.path] = ExtractionCache.key(source, module_name(file.path), digest,
                                                            file.path + ("\0forced" if force else ""))
                cached = self.cache.get(key)
                if cached is not None:
                    results[file.path] = cached
                    if index is not None:
                        index.put(file.path, identity, key)
                    continue
            jobs.append(_Job(file.path, source, force))
        self._to_parse += len(jobs)
        for job, extraction in self._run(jobs, inputs):
            results[job.path] = extraction
            if self.cache is not None:
                self.cache.put(keys[job.path], extraction)
                if index is not None:
                    index.put(job.path, identities.get(job.path), keys[job.path])
            self._parsed += 1
            if self.progress is not None:
                self.progress(self._parsed, self._to_parse)
        # in the order the files were given, whichever worker finished first: later stages read them in this order
        return {file.path: results[file.path] for file in files if file.path in results}

    def _run(self, jobs: Sequence[_Job], inputs: ExtractionInputs) -> Iterator[tuple[_Job, FileExtraction]]:
        """Each job with its extraction: in this process, or in the worker pool when the work pays for it."""
        if self.jobs > 1 and len(jobs) > 1 and sum(len(job.source) for job in jobs) >= _PARALLEL_BYTES:
            yield from self._in_pool(jobs, inputs)
            return
        for job in jobs:
            yield job, _extract_one(inputs, job)

    def _in_pool(self, jobs: Sequence[_Job], inputs: ExtractionInputs) -> Iterator[tuple[_Job, FileExtraction]]:
        """The jobs in the worker pool, in chunks by size; a chunk whose worker died is extracted again file by file,
        each alone, so one file that crashes the parser can't end the run."""
        if self._pool is None:
            from . import _file  # noqa: F401 - the parser, imported once here: forked workers start with it loaded
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker)
        payload = pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(payload).hexdigest()
        chunks = _chunks(jobs, self.jobs)
        futures: dict[Future[list[FileExtraction]], list[_Job]] = {}
        lost: list[_Job] = []
        try:
            for chunk in chunks:
                futures[self._pool.submit(_extract_chunk, digest, payload, chunk)] = chunk
        except BrokenProcessPool:
            lost.extend(job for chunk in chunks[len(futures):] for job in chunk)
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                extracted = future.result()
            except BrokenProcessPool:
                lost.extend(chunk)
                continue
            yield from zip(chunk, extracted)
        if lost:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            for job in sorted(lost, key=lambda j: j.path):
                yield job, _isolated(inputs, job)


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


def _unknown_references(values: Iterable[StaticValue | None]) -> Iterator[str]:
    for value in values:
        if value is None or value.known:
            continue
        if value.reference is not None:
            yield value.reference
        yield from _unknown_references(value.parts)
        yield from _unknown_references((*value.merged, *(value.items or ()), *(v for _, v in value.entries or ())))


def references(extraction: FileExtraction) -> set[str]:
    """Qualified names of other modules' constants that this file's call sites, clients and constants depend on."""
    values: list[StaticValue | None] = [v for _, v in extraction.constants]
    for site in extraction.call_sites:
        values += [site.model, site.max_output_tokens, site.endpoint]
        values += [e.value for e in site.attribution] + [c.value for c in site.opaque_carriers]
        values += [v for scope in site.scopes for _, v in scope.arguments]
        values += [v for chain in site.caller_scopes for scope in chain for _, v in scope.arguments]
        if site.client is not None:
            values.append(site.client.base_url)
        if site.prompt is not None:
            values += [part.text for part in site.prompt.parts]
    for _, exported in extraction.exports:
        values += [e.value for e in exported.attribution] + [c.value for c in exported.opaque_carriers]
        values.append(exported.base_url)
    return set(_unknown_references(values))


def _asks_for(extraction: FileExtraction, clients: Mapping[str, ExportedClient]) -> bool:
    """Recognition asked about one of these clients while extracting the file (without them, it found nothing)."""
    return any(name in clients for name in extraction.client_names)


#: What a file must name to use an exported client: (a module it must name, or None; the client names).
_Use = tuple[bytes | None, frozenset[bytes]]


class _Exporters:
    """The project modules that export clients, as a file that may import one is found among those the pre-filter
    skipped: it imports such a module and names one of its clients, or imports a package above one and names the
    next module down and one of its clients (`from app import llm` or `import app`, then `app.llm.client`)."""

    def __init__(self, clients: Mapping[str, ExportedClient]) -> None:
        #: Each exporting module's client names (the last part of each), by its module name's every tail: a
        #: project's import roots vary (`app.llm` for `src/app/llm.py` or `services/api/app/llm.py`).
        self.tails: dict[str, set[bytes]] = {}
        #: Any run of an exporting module's segments -> the segment that follows it -> that module's client names.
        self.downward: dict[str, dict[bytes, set[bytes]]] = {}
        #: Clients with no recorded module: the module's last segment -> client names.
        self.unplaced: dict[bytes, set[bytes]] = {}
        for name, client in clients.items():
            called = name.rsplit(".", 1)[-1].encode()
            if client.path is None:
                if "." in name:
                    self.unplaced.setdefault(name.rsplit(".", 1)[0].rsplit(".", 1)[-1].encode(), set()).add(called)
                continue
            segments = module_name(client.path).split(".")
            for start in range(len(segments)):
                self.tails.setdefault(".".join(segments[start:]), set()).add(called)
                for stop in range(start, len(segments)):  # from the empty run: `from .. import llm` at the top
                    below = self.downward.setdefault(".".join(segments[start:stop]), {})
                    below.setdefault(segments[stop].encode(), set()).add(called)
        words = {*self.unplaced, *(w for below in self.downward.values() for w in below),
                 *(tail.rsplit(".", 1)[-1].encode() for tail in self.tails)}
        self._scan = _words_scan(frozenset(words)) if words else None
        self._reached: dict[str, tuple[frozenset[bytes], list[_Use]]] = {}

    def uses(self, path: str, lines: bytes, imports: tuple[str, ...]) -> list[_Use]:
        """What the file whose import lines are `lines` (importing `imports`, as `scanned_imports` reads them) must
        name to use an exported client, one way or another (empty: its imports can't reach an exporting module).
        Most files are ruled out by one byte scan."""
        if self._scan is None or not lines or self._scan.search(lines) is None:
            return []
        direct: set[bytes] = set()
        if self.unplaced:
            named = set(_WORD.findall(lines))
            for segment, called in self.unplaced.items():
                if segment in named:
                    direct |= called
        if b"from ." in lines and _from_the_top(lines, path):
            imports += ("",)  # `from .. import llm` into the project's top, which has no dotted name
        below: list[_Use] = []
        for imported in imports:
            reached = self._reached.get(imported)
            if reached is None:
                reached = self._reached[imported] = self._reach(imported)
            direct |= reached[0]
            below += reached[1]
        return [(None, frozenset(direct)), *below] if direct else below

    def _reach(self, imported: str) -> tuple[frozenset[bytes], list[_Use]]:
        """The client names an import of `imported` brings into reach by itself, and those it reaches through a
        module further down that the file must name."""
        parts = imported.split(".")
        direct: set[bytes] = set()
        for stop in range(1, len(parts) + 1):  # the module, or below it (`import app.llm.sub` binds `app`)
            direct |= self.tails.get(".".join(parts[:stop]), set())
        return frozenset(direct), [(segment, frozenset(called)) for segment, called in self.downward.get(imported, {}).items()]


def may_use(source: bytes, uses: Sequence[_Use]) -> bool:
    """Whether `source` names what one of `uses` asks for (see `_Exporters.uses`)."""
    return any((module is None or _words_scan(frozenset((module,))).search(source) is not None)
               and _words_scan(called).search(source) is not None for module, called in uses)


@lru_cache(maxsize=512)
def _words_scan(words: frozenset[bytes]) -> ByteScan:
    """A scan for any of `words` as a whole word (files share a few sets: the clients of the modules they import)."""
    return byte_scan(rb"\b(?:" + b"|".join(re.escape(w) for w in sorted(words)) + rb")\b")


_WORD = re.compile(rb"\w+")
_BARE_RELATIVE = re.compile(rb"^[ \t]*from[ \t]+(\.+)[ \t]*import\b", re.MULTILINE)


def _from_the_top(lines: bytes, path: str) -> bool:
    """Whether `from . import x` (or `..`) in the file at `path` imports from the project's top directory."""
    package = 0 if path == "__init__.py" else len(package_of(path))
    return any(len(dots) - 1 >= package for dots in _BARE_RELATIVE.findall(lines))


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
    with _Extractor(fileset.root, settings) as extractor:
        files = extractor.extract(fileset.checked, inputs)
        # modules imported by the checked files: they may build the clients the checked files use
        frontier = list(files.values())
        for _ in range(_IMPORT_DEPTH):
            if files.keys() >= by_path.keys():
                break  # every file of the project is extracted already (`check .`): there is nothing more to find
            wanted: set[str] = set()
            for extraction in frontier:
                wanted |= _imported_modules(extraction.imports, extraction.path, modules)
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
            again = [by_path[p] for p, e in sorted(files.items()) if e.parsed and p in by_path and _asks_for(e, clients)]
            checked_paths = {f.path for f in fileset.checked}
            exporters = _Exporters(clients)
            for path, extraction in sorted(files.items()):
                if not extraction.parsed and path in checked_paths:
                    lines = extractor.import_lines.get(path) or extraction.import_lines.encode("latin-1")
                    uses = exporters.uses(path, lines, extraction.imports)
                    if uses and extractor.may_use(by_path[path], uses):
                        again.append(by_path[path])
            with_clients = dataclasses.replace(inputs, project_clients=clients)
            files.update(extractor.extract(again, with_clients, frozenset(forced)))
    checked = tuple(files[f.path] for f in fileset.checked if f.path in files)
    return ProjectExtraction(root=fileset.root, checked=checked, files=files, modules=modules)
