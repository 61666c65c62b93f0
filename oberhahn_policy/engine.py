"""The run: discover -> extract -> resolve -> rules -> suppress, as one function the CLI, hooks and tests call."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from . import __version__
from .baseline import Baseline
from .cache import ExtractionCache
from .changed import changed_files
from .callsite import ExportedClient, FileExtraction, ParseProblem
from .discover import SourceFile, discover, selected_by_patterns
from .extract import ExtractionInputs, WrapperSpec, extract_source, module_constants
from .findings import Finding, Report, Severity
from .policy.load import LoadedPolicy
from .project import ProjectIndex, module_name
from .resolve import CallSite, Resolver
from .rules import ALL_RULES, ProjectView, Rule
from .fingerprint import fingerprint_findings
from .rules.obh002_unused_suppression import UnusedSuppression
from .suppress import apply_suppressions
from .surface import load_surface

if TYPE_CHECKING:
    from .cost import CostReport

#: Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 24


@dataclass(frozen=True)
class RunOptions:
    """What a run may vary beside the paths and the policy."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    today: date | None = None
    jobs: int | None = None
    use_cache: bool = True
    show_suppressed: bool = False
    #: A git ref whose code is projected too, for the spend diff (`--base REF`).
    base: str | None = None
    #: Where the extraction cache lives (default: `.oberhahn-cache` under the project root).
    cache_dir: Path | None = None
    #: Findings whose fingerprints are in the baseline are left out of the report's findings.
    baseline: Baseline | None = None
    #: Check only files git reports as changed since this reference (the rest still lend constants).
    changed_since: str | None = None
    #: Apply the policy's include/exclude patterns to files named explicitly too (as pre-commit names them).
    force_exclude: bool = False


def project_root(start: Path, loaded: LoadedPolicy) -> Path:
    """The directory policy patterns are relative to: the policy's own, else the repository's, else `start`."""
    if loaded.sources:
        return loaded.sources[0].resolve().parent
    current = start.resolve()
    if current.is_file():
        current = current.parent
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").is_file():
            return candidate
    return current


def extraction_inputs(loaded: LoadedPolicy) -> ExtractionInputs:
    wrappers = tuple(
        WrapperSpec(w.function, w.provider, w.operation, w.model, w.max_output_tokens, tuple(sorted(w.attribution.items())))
        for w in loaded.policy.wrappers
    )
    return ExtractionInputs(surface=load_surface(), wrappers=wrappers)


def _inputs_digest(inputs: ExtractionInputs) -> str:
    payload = {
        "version": __version__,
        "surface": inputs.surface.model_dump(mode="json"),
        "wrappers": [dataclasses.asdict(w) for w in inputs.wrappers],
        "clients": {k: dataclasses.asdict(v) for k, v in sorted(inputs.project_clients.items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _extract_one(inputs: ExtractionInputs, job: tuple[str, str, str]) -> FileExtraction:
    """Worker: read and extract one file; never raises, so one bad file can't end the run."""
    absolute, display, name = job
    try:
        source = Path(absolute).read_bytes()
    except OSError as exc:
        return FileExtraction(path=display, problem=ParseProblem(display, 1, 1, f"cannot read the file: {exc.strerror}"))
    try:
        return extract_source(display, source, name, inputs)
    except RecursionError:
        return FileExtraction(path=display, problem=ParseProblem(display, 1, 1, "the file is nested too deeply to analyse; it was skipped"))
    except Exception as exc:  # noqa: BLE001 - reported with the file's name instead of a traceback
        return FileExtraction(path=display, problem=ParseProblem(
            display, 1, 1, f"internal error while reading this file ({type(exc).__name__}: {exc}); it was skipped, please report it"))


class Extractor:
    """Extracts files through the cache, in parallel when there are enough of them."""

    def __init__(self, root: Path, options: RunOptions) -> None:
        self.cache = ExtractionCache(options.cache_dir or root / ".oberhahn-cache") if options.use_cache else None
        self.jobs = options.jobs if options.jobs is not None else (os.cpu_count() or 1)

    def extract(self, files: Sequence[SourceFile], inputs: ExtractionInputs) -> dict[str, FileExtraction]:
        digest = _inputs_digest(inputs)
        results: dict[str, FileExtraction] = {}
        pending: list[tuple[SourceFile, str | None]] = []
        for file in files:
            key = None
            if self.cache is not None:
                try:
                    source = file.absolute.read_bytes()
                except OSError:
                    source = b""
                key = ExtractionCache.key(source, module_name(file.relative), digest, file.display)
                cached = self.cache.get(key)
                if cached is not None:
                    results[file.display] = cached
                    continue
            pending.append((file, key))
        jobs = [(str(f.absolute), f.display, module_name(f.relative)) for f, _ in pending]
        worker = partial(_extract_one, inputs)
        if self.jobs > 1 and len(jobs) >= _PARALLEL_THRESHOLD:
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                extracted = list(pool.map(worker, jobs, chunksize=max(1, len(jobs) // (self.jobs * 8))))
        else:
            extracted = [worker(job) for job in jobs]
        for (file, key), extraction in zip(pending, extracted):
            results[file.display] = extraction
            if self.cache is not None and key is not None:
                self.cache.put(key, extraction)
        return results


def _project_clients(extractions: Iterable[FileExtraction]) -> dict[str, ExportedClient]:
    """Exported clients under every dotted suffix of their name, as other modules may import them."""
    clients: dict[str, ExportedClient] = {}
    for extraction in extractions:
        for qualified, exported in extraction.exports:
            parts = qualified.split(".")
            for start in range(len(parts) - 1):
                clients.setdefault(".".join(parts[start:]), exported)
    return clients


def _importers(files: Sequence[SourceFile], clients: dict[str, ExportedClient]) -> list[SourceFile]:
    """Files that may import one of the exporting modules (a loose byte scan; extraction decides)."""
    modules = {name.rsplit(".", 1)[0].rsplit(".", 1)[-1] for name in clients if "." in name}
    if not modules:
        return []
    pattern = re.compile(rb"^[ \t]*(?:from|import)[ \t][^\n]*\b(?:" + b"|".join(re.escape(m.encode()) for m in sorted(modules)) + rb")\b",
                         re.MULTILINE)
    selected = []
    for file in files:
        try:
            if pattern.search(file.absolute.read_bytes()):
                selected.append(file)
        except OSError:
            continue
    return selected


def extract_project(files: Sequence[SourceFile], loaded: LoadedPolicy, root: Path, options: RunOptions,
                    project_files: Sequence[SourceFile] | None = None) -> dict[str, FileExtraction]:
    """Extract every file, then again the files that use clients other project modules export."""
    extractor = Extractor(root, options)
    inputs = extraction_inputs(loaded)
    extractions = extractor.extract(files, inputs)
    exporters = list(extractions.values())
    if project_files is not None:
        # exporting modules outside the checked paths still lend their clients (changed-files mode)
        checked = {f.display for f in files}
        others = extractor.extract([f for f in project_files if f.display not in checked], inputs)
        exporters += list(others.values())
        extractions.update(others)  # project-wide facts (constants, instrumentors) come from every file
    clients = _project_clients(exporters)
    if clients:
        with_clients = dataclasses.replace(inputs, project_clients=clients)
        again = _importers(files, clients)
        extractions.update(extractor.extract(again, with_clients))
    return extractions


def enabled_rules(view: ProjectView, options: RunOptions) -> dict[str, Severity]:
    """The rules this run evaluates (the policy's switches and the run's selection), with their severities."""
    configured = view.policy.rules
    selected = {c.upper() for c in options.select}
    ignored = {c.upper() for c in options.ignore}
    enabled: dict[str, Severity] = {}
    for rule_class in ALL_RULES:
        config = configured.get(rule_class.code) or configured.get(rule_class.name)
        if config is not None and not config.enabled:
            continue
        if selected and not _selected(rule_class, selected):
            continue
        if _selected(rule_class, ignored):
            continue
        enabled[rule_class.code] = (Severity(config.severity) if config is not None and config.severity
                                    else rule_class.default_severity)
    return enabled


def _with_severity(findings: Iterable[Finding], severity: Severity) -> list[Finding]:
    return [dataclasses.replace(f, severity=severity) if f.severity != severity else f for f in findings]


def evaluate(view: ProjectView, options: RunOptions) -> list[Finding]:
    """Run every enabled rule and apply the policy's severities and the run's selection."""
    enabled = enabled_rules(view, options)
    findings: list[Finding] = []
    for rule_class in ALL_RULES:
        if rule_class.code in enabled:
            rule: Rule = rule_class()
            findings.extend(_with_severity(rule.check(view), enabled[rule_class.code]))
    return findings


def _selected(rule: type[Rule], codes: set[str]) -> bool:
    """`OBH1` selects OBH101..OBH199, `OBH101` one rule, `missing-attribution` by name."""
    return any(rule.code.startswith(c) or rule.name.upper() == c for c in codes)


def run(paths: Sequence[str | Path], loaded: LoadedPolicy, *, root: Path | None = None, cwd: Path | None = None,
        options: RunOptions = RunOptions()) -> Report:
    """Check `paths` against a loaded policy; the one entry point every front end uses."""
    cwd = (cwd or Path.cwd()).resolve()
    root = (root or project_root(cwd / Path(paths[0]) if paths else cwd, loaded)).resolve()
    project_files = discover([root], loaded.policy.files, root, cwd)
    # `check .` at the project root (the common case) walks the tree once, not twice
    checks_whole_project = bool(paths) and all((cwd / Path(p)).resolve() == root for p in paths)
    files = project_files if checks_whole_project else discover(paths, loaded.policy.files, root, cwd)
    if options.changed_since is not None:
        changed = changed_files(options.changed_since, cwd)
        files = [f for f in files if f.absolute.resolve() in changed]
    if options.force_exclude:
        files = [f for f in files if selected_by_patterns(f.relative, loaded.policy.files)]
    extractions = extract_project(files, loaded, root, options, project_files)
    relative = {f.display: f.relative for f in (*project_files, *files)}
    by_relative = {f.relative: f for f in (*project_files, *files)}
    inputs = extraction_inputs(loaded)

    def load_constants(path: str) -> dict[str, object]:
        file = by_relative.get(path)
        if file is None:
            return {}
        extraction = extractions.get(file.display)
        if extraction is not None and extraction.parsed and extraction.problem is None:
            return dict(extraction.constants)
        try:
            return dict(module_constants(file.absolute.read_bytes(), module_name(path), inputs))
        except (OSError, RecursionError):
            return {}

    index = ProjectIndex(root, tuple(by_relative), load_constants)  # type: ignore[arg-type]
    resolver = Resolver(loaded.policy, index, relative)
    ordered = [extractions[f.display] for f in files if f.display in extractions]
    call_sites: list[CallSite] = []
    for extraction in ordered:
        call_sites.extend(resolver.resolve_file(extraction))
    base_sites = base_call_sites(paths, loaded, root, cwd, options) if options.base is not None else None
    view = ProjectView(loaded=loaded, call_sites=tuple(call_sites), files=tuple(ordered),
                       today=options.today or date.today(), base_call_sites=base_sites, root=root,
                       project_files=tuple(extractions[k] for k in sorted(extractions)))
    findings = fingerprint_findings(evaluate(view, options), call_sites, relative)
    enabled = enabled_rules(view, options)
    outcome = apply_suppressions(findings, ordered, require_reason=loaded.policy.suppressions.require_reason,
                                 evaluated=frozenset(enabled), known=frozenset(r.code for r in ALL_RULES))
    active = outcome.active
    if UnusedSuppression.code in enabled:
        unused = _with_severity(UnusedSuppression().unused(outcome.unused), enabled[UnusedSuppression.code])
        active += fingerprint_findings(unused, (), relative)
    baselined: list[Finding] = []
    if options.baseline is not None:
        active, baselined = options.baseline.split(active)
    return Report(
        findings=tuple(sorted(active, key=lambda f: f.sort_key)),
        call_sites=tuple(sorted(call_sites, key=lambda c: (c.path, c.site.line, c.site.column))),
        files_checked=len(files),
        files_parsed=sum(1 for e in ordered if e.parsed),
        suppressed=tuple(sorted(outcome.suppressed, key=lambda f: f.sort_key)),
        base_call_sites=base_sites,
        baselined=tuple(sorted(baselined, key=lambda f: f.sort_key)),
    )


def base_call_sites(paths: Sequence[str | Path], loaded: LoadedPolicy, root: Path, cwd: Path,
                    options: RunOptions) -> tuple[CallSite, ...]:
    """The call sites of the same paths in the code at `options.base`, read through `git archive`."""
    from .gitref import exported, rebase_path

    assert options.base is not None
    with exported(root, options.base) as (top, export):
        base_root, base_cwd = rebase_path(root, top, export), rebase_path(cwd, top, export)
        base_paths = [rebase_path(cwd / p, top, export) for p in paths]
        present = [p for p in base_paths if p.exists()]  # a directory the change adds has no base
        if not base_root.is_dir() or not present:
            return ()
        report = run(present, loaded, root=base_root, cwd=base_cwd,
                     options=RunOptions(select=("OBH001",), use_cache=options.use_cache, jobs=options.jobs, today=options.today,
                                        # unchanged files hit the working tree's cache: keys are content hashes
                                        cache_dir=options.cache_dir or root / ".oberhahn-cache"))
    return report.call_sites


def cost_report(paths: Sequence[str | Path], loaded: LoadedPolicy, *, root: Path | None = None, cwd: Path | None = None,
                options: RunOptions = RunOptions()) -> CostReport:
    """Project spend for `paths` (and, with `options.base`, for the code at that ref, with the diff)."""
    from .catalog import load_catalog
    from .cost import CostReport, diff, project

    today = options.today or date.today()
    report = run(paths, loaded, root=root, cwd=cwd,
                 options=dataclasses.replace(options, select=("OBH001",), ignore=(), today=today))
    catalog = load_catalog()
    projection = project(report.call_sites, loaded.policy, catalog, today)
    if report.base_call_sites is None:
        return CostReport(projection)
    base = project(report.base_call_sites, loaded.policy, catalog, today)
    return CostReport(projection, options.base, base, diff(base, projection, loaded.policy))
