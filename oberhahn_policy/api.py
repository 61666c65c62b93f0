"""The public API: `check`, `inventory` and `cost`, each the stages of a run in order.

    discover -> extract -> resolve -> evaluate -> suppress (-> fingerprint, baseline)

Every stage is a function taking the previous stage's value; nothing runs twice and nothing
after extraction reads source. The command line, the pre-commit hook and the tests all call
these functions; they return values, print nothing and never exit.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from ._version import __version__
from .baseline import (
    DEFAULT_BASELINE,
    Baseline,
    BaselineError,
    baseline_text,
    read_baseline,
)
from .callsite import CallSite
from .catalog import load_catalog
from .config import (
    FAIL_LEVELS,
    ConfigError,
    OptionError,
    ProjectConfig,
    apply_files_settings,
    read_config,
)
from .cost import CostProjection, CostReport, diff, project
from .discover import discover_files
from .evaluate import evaluate, policy_problems, select_rules, selects, usage_findings
from .evidence import EvidenceProblem, EvidenceReport, collect_evidence, project_evidence
from .extract import (
    ExtractionInputs,
    ExtractionSettings,
    ProjectExtraction,
    WrapperSpec,
    extract_project,
)
from .findings import CheckResult, Finding, Inventory, Severity
from .fingerprint import fingerprint_findings
from .fix import FixPlan, WriteOutcome, apply_plan, plan_fixes
from .lock import LOCK_FILE, LockError, build_lock, read_lock_text, render_lock
from .safeio import UnsafeFileError, write_output_file
from .policy.document import PolicyError, PolicyLoadError
from .policy.load import (
    LoadedPolicy,
    default_policy,
    load_policy,
    policy_json_schema,
    resolve_policy,
)
from .report.catalog import catalog_document_schema
from .report.cost import cost_json_schema
from .report.documents import document_schemas
from .report.evidence import evidence_json_schema
from .report.savings import savings_json_schema
from .report.usage import usage_json_schema
from .repository import GitError, exported, project_root, rebase_path, repository_root
from .resolve import resolve_project
from .rules import ALL_RULES, ProjectView, Rule, rule_by_code
from .savings import SavingsReport, find_savings
from .starter import ProjectLayout, find_wrappers, starter_policy
from .suppress import suppress
from .pricing.owndata import prices_extra_json_schema, retirements_json_schema
from .providers import providers_json_schema
from .surface import load_surface, surface_json_schema
from .usage import CatalogPricer, UsageReport, read_usage, reconcile

PolicyArgument = LoadedPolicy | str | Path | None


@dataclass(frozen=True)
class CheckOptions:
    """What a run may vary beside the paths and the policy."""

    #: Rule codes, prefixes (`OBH2`) or names to run (empty: all), and to leave out.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: The day date-dependent rules and prices are evaluated on (default: today).
    today: date | None = None
    #: Worker processes for extraction (default: every core).
    jobs: int | None = None
    use_cache: bool = True
    #: Where the extraction cache lives (default: `.oberhahn-cache` under the project root).
    cache_dir: Path | None = None
    #: A git ref whose code is projected too, for the spend diff (`--base REF`).
    base: str | None = None
    #: Findings whose fingerprints are in the baseline are left out of the result's findings.
    baseline: Baseline | None = None
    #: Check only files git reports as changed since this reference (the modules they import still lend constants).
    changed_since: str | None = None
    #: Apply the policy's include/exclude patterns to files named explicitly too (as pre-commit names them).
    force_exclude: bool = False
    #: The directory relative paths are resolved from (default: the process's working directory).
    cwd: Path | None = None
    #: The project root (default: the policy's directory, else the repository's).
    root: Path | None = None
    #: Told (files parsed, files to parse) as extraction goes, in this process (the CLI's progress bar).
    progress: Callable[[int, int], None] | None = None


@dataclass(frozen=True)
class _Run:
    """A run's fixed inputs: the policy and where the project is."""

    paths: tuple[str | Path, ...]
    loaded: LoadedPolicy
    options: CheckOptions
    root: Path
    cwd: Path


@dataclass(frozen=True)
class _Collected:
    """What the first three stages hand on."""

    extraction: ProjectExtraction
    call_sites: tuple[CallSite, ...]
    #: Checked files that import an LLM SDK, framework or declared wrapper.
    files_importing_llm: int


def _run(paths: Sequence[str | Path], policy: PolicyArgument, options: CheckOptions | None) -> _Run:
    options = options or CheckOptions()
    cwd = (options.cwd or Path.cwd()).resolve()
    paths = tuple(paths) or (".",)
    start = cwd / Path(paths[0])
    loaded = policy if isinstance(policy, LoadedPolicy) else resolve_policy(policy, start)
    root = (options.root or project_root(start, loaded.sources)).resolve()
    return _Run(paths, loaded, options, root, cwd)


def extraction_inputs(loaded: LoadedPolicy) -> ExtractionInputs:
    """What extraction depends on besides the files: the SDK surface and the policy's declared wrappers."""
    wrappers = tuple(
        WrapperSpec(w.function, w.provider, w.operation, w.model, w.max_output_tokens, tuple(sorted(w.attribution.items())))
        for w in loaded.policy.wrappers
    )
    return ExtractionInputs(surface=load_surface(), wrappers=wrappers)


def _extract(run: _Run, inputs: ExtractionInputs) -> ProjectExtraction:
    """discover -> extract."""
    policy = run.loaded.policy
    options = run.options
    files = discover_files(run.paths, policy.files, run.root, run.cwd, changed_since=options.changed_since,
                           force_exclude=options.force_exclude)
    settings = ExtractionSettings(jobs=options.jobs,
                                  cache_dir=(options.cache_dir or run.root / ".oberhahn-cache") if options.use_cache else None,
                                  progress=options.progress)
    return extract_project(files, inputs, settings, entry_modules=bool(policy.instrumentation.tracing.instrumentors))


def project_extraction(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
                       options: CheckOptions | None = None) -> ProjectExtraction:
    """The first two stages as `check` runs them: every file read, which were parsed, what each holds (the
    benchmark asks it which files a run parses)."""
    run = _run(paths, policy, options)
    return _extract(run, extraction_inputs(run.loaded))


def _collect(run: _Run) -> _Collected:
    """discover -> extract -> resolve."""
    inputs = extraction_inputs(run.loaded)
    extracted = _extract(run, inputs)
    importing = sum(1 for e in extracted.checked if inputs.imports_llm(e.imports))
    resolved = resolve_project(extracted, run.loaded.policy)
    return _Collected(resolved.extraction, resolved.call_sites, importing)


def _base_call_sites(run: _Run) -> tuple[CallSite, ...]:
    """The call sites of the same paths in the code at `--base`, read through `git archive` (the tree is untouched)."""
    assert run.options.base is not None
    with exported(run.root, run.options.base) as (top, export):
        root, cwd = rebase_path(run.root, top, export), rebase_path(run.cwd, top, export)
        present = [p for p in (rebase_path(run.cwd / p, top, export) for p in run.paths) if p.exists()]
        if not root.is_dir() or not present:
            return ()  # a directory the change adds has no base
        # unchanged files hit the working tree's cache: keys are content hashes
        options = replace(run.options, base=None, changed_since=None, cwd=cwd, root=root,
                          cache_dir=run.options.cache_dir or run.root / ".oberhahn-cache")
        return _collect(_Run(tuple(present), run.loaded, options, root, cwd)).call_sites


def _by_place(call_sites: Sequence[CallSite]) -> tuple[CallSite, ...]:
    return tuple(sorted(call_sites, key=lambda c: (c.path, c.site.line, c.site.column)))


def _sorted(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: f.sort_key))


def check(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
          options: CheckOptions | None = None) -> CheckResult:
    """Check the call sites under `paths` against a policy (a loaded one, a file, or the one discovered from the paths)."""
    run = _run(paths, policy, options)
    collected = _collect(run)
    base = _base_call_sites(run) if run.options.base is not None else None
    selection = select_rules(run.loaded.policy, run.options.select, run.options.ignore)
    extraction = collected.extraction
    view = ProjectView(loaded=run.loaded, call_sites=collected.call_sites, files=extraction.checked,
                       today=run.options.today or date.today(), base_call_sites=base, root=run.root,
                       project_files=tuple(extraction.files[k] for k in sorted(extraction.files)))
    outcome = suppress(evaluate(view, selection), extraction.checked, selection, run.loaded.policy)
    fingerprinted = fingerprint_findings((*outcome.active, *outcome.suppressed), collected.call_sites)
    active = [f for f in fingerprinted if not f.suppressed]
    baselined: list[Finding] = []
    if run.options.baseline is not None:
        active, baselined = run.options.baseline.split(active)
    return CheckResult(
        findings=_sorted(active),
        call_sites=_by_place(collected.call_sites),
        root=run.root,
        files_checked=len(extraction.checked),
        files_parsed=sum(1 for e in extraction.checked if e.parsed),
        files_importing_llm=collected.files_importing_llm,
        suppressed=_sorted([f for f in fingerprinted if f.suppressed]),
        base_call_sites=base,
        baselined=_sorted(baselined),
        policy=run.loaded.policy,
    )


def inventory(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
              options: CheckOptions | None = None) -> Inventory:
    """Every call site under `paths`, resolved against the policy but not judged: the AI bill of materials."""
    run = _run(paths, policy, options)
    collected = _collect(run)
    checked = collected.extraction.checked
    return Inventory(call_sites=_by_place(collected.call_sites), root=run.root, files_checked=len(checked),
                     files_parsed=sum(1 for e in checked if e.parsed), files_importing_llm=collected.files_importing_llm)


def cost(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
         options: CheckOptions | None = None) -> CostReport:
    """Projected monthly spend per use case for `paths`; with `options.base`, also for the code at that ref, and the diff."""
    run = _run(paths, policy, options)
    today = run.options.today or date.today()
    catalog = load_catalog()
    projection = project(_collect(run).call_sites, run.loaded.policy, catalog, today)
    if run.options.base is None:
        return CostReport(projection)
    base = project(_base_call_sites(run), run.loaded.policy, catalog, today)
    return CostReport(projection, run.options.base, base, diff(base, projection, run.loaded.policy))


def evidence(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
             options: CheckOptions | None = None) -> EvidenceReport:
    """Evaluation evidence for every use case with a quality bar: each evaluated, approved or used model's score, age,
    cost per task (the policy's volumes) and verdict; result files are read from the project root."""
    run = _run(paths, policy, options)
    today = run.options.today or date.today()
    return project_evidence(run.root, run.loaded.policy, _collect(run).call_sites, today, load_catalog())


def savings(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None,
            options: CheckOptions | None = None) -> SavingsReport:
    """Every savings lever of the call sites under `paths`, in $/month, largest first (the figures OBH207, OBH306, OBH307
    and OBH401 report)."""
    run = _run(paths, policy, options)
    today = run.options.today or date.today()
    catalog = load_catalog()
    call_sites = _collect(run).call_sites
    report = project_evidence(run.root, run.loaded.policy, call_sites, today, catalog)
    return find_savings(project(call_sites, run.loaded.policy, catalog, today), run.loaded.policy, catalog, today, report)


def usage(files: Sequence[str | Path], policy: PolicyArgument = None, options: CheckOptions | None = None,
          since: date | datetime | None = None, until: date | datetime | None = None,
          paths: Sequence[str | Path] | None = None) -> UsageReport:
    """Observed usage in `files` (OTLP, LiteLLM, Langfuse; read as streams) reconciled with the policy, with the
    usage rules' findings (OBH601-OBH605).

    Each use case's observed cost per task is set against its projection from the code under `paths` (default:
    the project root), priced as `cost` prices it on `options.today`. `since`/`until` are inclusive. A file that
    does not exist raises FileNotFoundError before anything is read; lines that can't be read are in `problems`.
    """
    run = _run(paths or (".",), policy, options)
    if paths is None:
        run = replace(run, paths=(run.root,))
    located = [Path(f) if Path(f).is_absolute() else run.cwd / f for f in files]
    for given, path in zip(files, located):
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(given))
    policy_model = run.loaded.policy
    catalog = load_catalog()
    call_sites = _collect(run).call_sites
    projection = project(call_sites, policy_model, catalog, run.options.today or date.today())
    # relative names as given, so that read problems name the file as the user wrote it
    items = read_usage(files if run.options.cwd is None else located, policy_model)
    report = reconcile(items, policy_model, CatalogPricer(policy_model, catalog), _projected_per_task(projection),
                       since, until)
    selection = select_rules(policy_model, run.options.select, run.options.ignore)
    findings = usage_findings(report, run.loaded, run.root, selection)
    return replace(report, findings=_sorted(_at_call_columns(findings, call_sites)))


def _at_call_columns(findings: Sequence[Finding], call_sites: Sequence[CallSite]) -> list[Finding]:
    """Records name a call site's file and line; where the code has a call there, the finding spans the call."""
    sites = {(c.path, c.site.line): c.site for c in sorted(call_sites, key=lambda c: c.site.column, reverse=True)}
    placed = []
    for finding in findings:
        site = sites.get((finding.path, finding.line))
        placed.append(finding if site is None else replace(finding, column=site.column, end_line=site.end_line,
                                                           end_column=site.end_column))
    return placed


def _projected_per_task(projection: CostProjection) -> dict[str, float | None]:
    """Each use case's projected cost per task where every one of its call sites is priced; a partial sum (or a use
    case without call sites) has none, since comparing traffic with it would report drift that isn't there."""
    return {row.name: row.cost_per_task_usd if row.sites and all(s.expected_usd is not None for s in row.sites) else None
            for row in projection.use_cases if row.name is not None}


def fix(paths: Sequence[str | Path] = (".",), policy: PolicyArgument = None, options: CheckOptions | None = None, *,
        unsafe: bool = False, placeholder: str | None = None) -> FixPlan:
    """The edits that repair the fixable findings under `paths` (OBH101, OBH301, OBH302; OBH201 when `unsafe`), not applied.

    Computed from a check run: each edit is made on the call node found at its finding's position in
    a fresh parse. `placeholder` fills attribution values the policy does not give.
    """
    run = _run(paths, policy, options)
    return plan_fixes(check(paths, run.loaded, options), run.loaded.policy, unsafe=unsafe, placeholder=placeholder)


def write_fixes(plan: FixPlan) -> tuple[WriteOutcome, ...]:
    """Write a fix plan's files atomically; a file changed since it was read, or read-only, is left alone and reported."""
    return apply_plan(plan)


# --- the rest of the public surface: policies, settings, baselines, rules, starter policy, lock ------------------------


@dataclass(frozen=True)
class Validation:
    """`validate`: the policies that loaded, and the problems a schema can't express (OBH9xx findings)."""

    policies: tuple[LoadedPolicy, ...]
    problems: tuple[Finding, ...]
    #: Evaluation result files (matched by a use case's `quality.evidence`) that could not be (fully) read.
    evidence_problems: tuple[EvidenceProblem, ...] = ()


def validate(paths: Sequence[str | Path] = (), start: Path | None = None) -> Validation:
    """Load and cross-check policy files (default: the one discovered from `start`); a schema error raises PolicyLoadError."""
    if paths:
        loaded: list[LoadedPolicy] = []
        failures: list[PolicyError] = []
        for path in paths:
            try:
                loaded.append(load_policy(path))
            except PolicyLoadError as exc:
                failures.extend(exc.errors)
        if failures:
            raise PolicyLoadError(failures)
    else:
        loaded = [resolve_policy(None, start or Path("."))]
    return Validation(tuple(loaded), tuple(p for policy in loaded for p in policy_problems(policy)),
                      tuple(p for policy in loaded for p in evidence_problems(policy)))


def evidence_problems(loaded: LoadedPolicy) -> tuple[EvidenceProblem, ...]:
    """Problems in the result files a policy's quality bars match, read from its project root (the policy's directory);
    paths are shown relative to the working directory."""
    if not any(use_case.quality is not None for use_case in loaded.policy.use_cases.values()):
        return ()
    root = project_root(loaded.sources[0] if loaded.sources else Path("."), loaded.sources).resolve()
    report = collect_evidence(root, loaded.policy, date.today(), catalog=load_catalog())
    cwd = Path.cwd().resolve()

    def shown(file: str) -> str:
        target = root / file
        return target.relative_to(cwd).as_posix() if target.is_relative_to(cwd) else target.as_posix()

    return tuple(replace(p, file=shown(p.file)) for p in report.problems)


def starter(path: Path, options: CheckOptions | None = None) -> tuple[str, Inventory]:
    """`init`: a commented starter policy for the project at `path`, from its inventory under the default policy.

    The policy's paths are relative to `options.root`, which should be the directory the policy is
    written to (the project root of every later run); default: `path`.
    """
    options = options or CheckOptions()
    root = (options.cwd or Path.cwd()) / (options.root or path)
    run = _run([path], default_policy(), replace(options, root=root))
    collected = _collect(run)
    checked = collected.extraction.checked
    found = Inventory(call_sites=_by_place(collected.call_sites), root=run.root, files_checked=len(checked),
                      files_parsed=sum(1 for e in checked if e.parsed), files_importing_llm=collected.files_importing_llm)
    files = [e.path for e in checked]
    # callers in code the policy will not check (tests, docs, examples) don't make a function a wrapper
    layout = ProjectLayout.of(files)
    kept = {p: run.root / p for p in files if not layout.excluded(p)}
    wrappers = find_wrappers(found.call_sites, kept)
    return starter_policy(found.call_sites, run.root.name, files, wrappers), found


def prompt_lock(policy: PolicyArgument = None, options: CheckOptions | None = None) -> tuple[Path, str, int]:
    """`lock`: the project root, the text of its `oberhahn.lock`, and how many prompts it records."""
    run = _run((".",), policy, options)
    found = inventory([run.root], run.loaded, replace(run.options, root=run.root))
    lock = build_lock(found.call_sites)
    count = sum(len(keys) for versions in lock["prompts"].values() for keys in versions.values())
    return run.root, render_lock(lock), count


def rules_matching(code: str) -> list[type[Rule]]:
    """The rules a `--select`/`--ignore` code names: a code, a prefix (`OBH2`) or a name."""
    return [rule for rule in ALL_RULES if selects(rule, (code.upper(),))]


#: Every published JSON Schema's file stem and how to generate it (generating all of them takes a while: the CLI
#: needs only the names to start).
_SCHEMAS: dict[str, Callable[[], dict[str, object]]] = {
    "policy": policy_json_schema, "inventory": lambda: document_schemas()["inventory"],
    "check": lambda: document_schemas()["check"], "cost": cost_json_schema, "evidence": evidence_json_schema,
    "savings": savings_json_schema, "catalog": catalog_document_schema, "sdk-surface": surface_json_schema,
    "providers": providers_json_schema, "retirements": retirements_json_schema,
    "prices-extra": prices_extra_json_schema, "usage": usage_json_schema,
}
SCHEMA_KINDS = tuple(_SCHEMAS)


def json_schemas(kinds: Sequence[str] = SCHEMA_KINDS) -> dict[str, dict[str, object]]:
    """Published JSON Schemas by file stem (every one by default): the policy, the outputs and the data files
    (schemas/ is generated from them)."""
    return {kind: _SCHEMAS[kind]() for kind in kinds}


__all__ = [
    "ALL_RULES", "DEFAULT_BASELINE", "SCHEMA_KINDS", "project_extraction", "FAIL_LEVELS", "LOCK_FILE", "BaselineError", "LockError", "OptionError",
    "UnsafeFileError", "read_lock_text", "write_output_file", "CheckOptions", "CheckResult",
    "ConfigError", "FixPlan", "GitError", "Inventory", "LoadedPolicy", "PolicyError", "PolicyLoadError",
    "ProjectConfig", "Severity", "Validation", "WriteOutcome", "__version__", "apply_files_settings", "baseline_text",
    "check", "cost", "default_policy", "evidence", "evidence_problems", "extraction_inputs", "fix", "inventory",
    "json_schemas", "load_catalog", "load_policy", "project_root", "prompt_lock", "read_baseline", "read_config",
    "repository_root", "resolve_policy", "rule_by_code", "rules_matching", "savings", "starter", "usage", "validate",
    "write_fixes",
]
