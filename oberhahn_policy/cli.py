"""The command line: parse options, call the API, choose a reporter, set the exit code.

Exit codes: 0 no finding at or above the fail level, 1 findings, 2 usage or policy error.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import click

from . import api
from .progress import progress_bar
from .report import (
    CHECK_FORMATS,
    COST_FORMATS,
    EVIDENCE_FORMATS,
    INVENTORY_FORMATS,
    RULES_FORMATS,
    SAVINGS_FORMATS,
    USAGE_FORMATS,
    ReportContext,
    fix_diff,
    fix_notes,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: What a shell reports for a process ended by Ctrl-C (128 + SIGINT), so scripts can tell an interrupt from a result.
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])


class UsageFailure(Exception):
    """A problem the user must fix in how the tool was called or configured (exit 2)."""


def _friendly(command: F) -> F:
    """Turn every anticipated failure into a message and exit 2; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except api.PolicyLoadError as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            count = len(exc.errors)
            click.echo(f"oberhahn-policy: the policy has {count} error{'s' if count != 1 else ''}; fix {'them' if count != 1 else 'it'} and run again", err=True)
            sys.exit(EXIT_ERROR)
        except (UsageFailure, api.ConfigError, api.OptionError, api.BaselineError, api.GitError, api.LockError) as exc:
            click.echo(f"oberhahn-policy: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except FileNotFoundError as exc:
            click.echo(f"oberhahn-policy: no such file or directory: {exc.filename or exc}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("oberhahn-policy: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("OBERHAHN_DEBUG"):
                raise
            click.echo(f"oberhahn-policy: internal error: {type(exc).__name__}: {exc} "
                       "(set OBERHAHN_DEBUG=1 for a traceback, and please report it)", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def write_output(text: str, output: str | None) -> None:
    """Write to stdout, or to a file: a regular file is replaced atomically keeping its mode, a symlink is written
    through, a device (`/dev/stdout`) is written in place; a failure is a clean message (UsageFailure)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    try:
        api.write_output_file(output, text)
    except api.UnsafeFileError as exc:
        raise UsageFailure(str(exc)) from None


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    for code in codes:
        if not api.rules_matching(code):
            raise UsageFailure(f"unknown rule code {code!r}; `oberhahn-policy rules` lists them")
    return codes


def _load(policy: str | None, paths: Sequence[str]) -> api.LoadedPolicy:
    start = Path(paths[0]) if paths else Path(".")
    if policy is None and not start.exists():
        raise FileNotFoundError(str(start))
    return api.resolve_policy(policy, start)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(f"--today expects a date as YYYY-MM-DD, got {value!r}") from None


def _context(loaded: api.LoadedPolicy, root: Path, paths: Sequence[str], *, color: bool = False,
             show_suppressed: bool = False) -> ReportContext:
    return ReportContext(loaded.label, color=color, show_suppressed=show_suppressed, root=root, cwd=Path.cwd().resolve(),
                         repository=api.repository_root(Path(paths[0]) if paths else Path(".")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(api.__version__, prog_name="oberhahn-policy")
def main() -> None:
    """Policy-as-code for AI spend: attribution, approved models and budgets for every LLM call."""


_PATHS = click.argument("paths", nargs=-1, type=click.Path())
_POLICY = click.option("--policy", "policy", type=click.Path(dir_okay=False), default=None,
                       help="Policy file (default: discovered oberhahn-policy.yaml, else the embedded default).")


@main.command()
@_PATHS
@_POLICY
@click.option("--format", "fmt", type=click.Choice(sorted(CHECK_FORMATS)), default=None,
              help="Output format (default: pyproject's `format`, else text).")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (comma-separated).")
@click.option("--fail-on", type=click.Choice(list(api.FAIL_LEVELS)), default=None,
              help="Lowest severity that makes the run fail (exit 1; default: pyproject's `fail-on`, else error).")
@click.option("--today", default=None, help="Evaluate date-dependent rules as of this date (YYYY-MM-DD).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Parse every file again instead of using the extraction cache.")
@click.option("--show-suppressed", is_flag=True, help="Also list suppressed findings.")
@click.option("--base", "base", default=None, metavar="REF",
              help="Also project spend for the code at this git ref; OBH305 gates the increase.")
@click.option("--baseline", "baseline", is_flag=False, flag_value=api.DEFAULT_BASELINE, default=None,
              type=click.Path(dir_okay=False),
              help=f"Report only findings not recorded in this baseline file (alone: {api.DEFAULT_BASELINE}).")
@click.option("--changed-since", "changed_since", default=None, metavar="REF",
              help="Check only files changed since this git reference (constants still resolve from the rest).")
@click.option("--exclude", multiple=True, help="Exclude these gitignore-style patterns instead of the configured ones.")
@click.option("--extend-exclude", multiple=True, help="Exclude these patterns too.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the exclusions to files named on the command line too (for pre-commit).")
@_friendly
def check(paths: tuple[str, ...], policy: str | None, fmt: str | None, output: str | None, select: tuple[str, ...],
          ignore: tuple[str, ...], fail_on: str | None, today: str | None, jobs: int | None, no_cache: bool,
          show_suppressed: bool, base: str | None, baseline: str | None, changed_since: str | None,
          exclude: tuple[str, ...], extend_exclude: tuple[str, ...], force_exclude: bool) -> None:
    """Check LLM call sites under PATHS (default: .) against the policy."""
    paths = paths or (".",)
    config = _config(paths)
    loaded = api.apply_files_settings(_load(policy, paths), config, exclude, extend_exclude)
    baseline_path = Path(baseline) if baseline is not None else config.baseline
    known_baseline = api.read_baseline(baseline_path) if baseline_path is not None else None
    with progress_bar() as progress:
        options = api.CheckOptions(select=_codes(select), ignore=_codes(ignore), today=_parse_date(today), jobs=jobs,
                                   use_cache=not no_cache, base=base, changed_since=changed_since,
                                   force_exclude=force_exclude, baseline=known_baseline, progress=progress)
        result = api.check(paths, loaded, options)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    context = _context(loaded, result.root, paths, color=color, show_suppressed=show_suppressed)
    write_output(CHECK_FORMATS[fmt or config.format or "text"](result, context), output)
    fail_level = api.Severity(fail_on or config.fail_on or "error")
    sys.exit(EXIT_FINDINGS if result.at_or_above(fail_level) else EXIT_CLEAN)


@main.command("fix")
@_PATHS
@_POLICY
@click.option("--diff", "show_diff", is_flag=True, help="Print the edits as a unified diff and write nothing (exit 1 if there are any).")
@click.option("--unsafe-fixes", "unsafe", is_flag=True,
              help="Also replace a literal unapproved model with its use case's one approved model (OBH201).")
@click.option("--placeholder", default=None, metavar="TEXT",
              help="Write TEXT for attribution values the policy does not give (a team or use case it can't infer).")
@click.option("--select", multiple=True, help="Only fix findings of these rule codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Leave findings of these rule codes or prefixes alone (comma-separated).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Parse every file again instead of using the extraction cache.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the policy's exclusions to files named on the command line too (for pre-commit).")
@_friendly
def fix_command(paths: tuple[str, ...], policy: str | None, show_diff: bool, unsafe: bool, placeholder: str | None,
                select: tuple[str, ...], ignore: tuple[str, ...], jobs: int | None, no_cache: bool,
                force_exclude: bool) -> None:
    """Add missing attribution and output limits to LLM calls under PATHS, changing nothing else.

    Fixes OBH101 (attribution keys whose values the policy gives), OBH301 and OBH302 (the use case's
    output cap), and with --unsafe-fixes OBH201 (a literal model, when the use case approves exactly
    one). Where a property is unknown rather than absent (`**kwargs`, a carrier built elsewhere) the
    call is left alone and the reason printed. Exit codes: 0 nothing fixable remains, 1 fixes remain
    unapplied (--diff, or a file changed while fixing), 2 usage or policy errors and files that could
    not be written (read-only, I/O errors).
    """
    paths = paths or (".",)
    if placeholder is not None and not placeholder.strip():
        raise UsageFailure("--placeholder needs a non-empty TEXT")
    config = _config(paths)
    loaded = api.apply_files_settings(_load(policy, paths), config)
    selected, ignored = _codes(select), _codes(ignore)
    with progress_bar() as progress:
        options = api.CheckOptions(select=selected, ignore=ignored, jobs=jobs, use_cache=not no_cache,
                                   force_exclude=force_exclude, progress=progress)
        plan = api.fix(paths, loaded, options, unsafe=unsafe, placeholder=placeholder)
    context = _context(loaded, plan.root, paths)
    if show_diff:
        click.echo(fix_diff(plan, context), nl=False)
        click.echo(fix_notes(plan, context), nl=False, err=True)
        sys.exit(EXIT_FINDINGS if plan.fixes else EXIT_CLEAN)
    outcomes = api.write_fixes(plan)
    click.echo(fix_notes(plan, context, outcomes), nl=False)
    if any(o.status in ("read-only", "failed") for o in outcomes):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(o.status == "changed" for o in outcomes) else EXIT_CLEAN)


def _config(paths: Sequence[str]) -> api.ProjectConfig:
    return api.read_config(Path(paths[0]) if paths else Path("."), CHECK_FORMATS)


@main.command("baseline")
@_PATHS
@_POLICY
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None,
              help=f"Where to write it (default: pyproject's `baseline`, else {api.DEFAULT_BASELINE}).")
@click.option("--no-cache", is_flag=True)
@_friendly
def baseline_command(paths: tuple[str, ...], policy: str | None, output: str | None, no_cache: bool) -> None:
    """Record today's findings so that `check --baseline` reports only new ones."""
    paths = paths or (".",)
    config = _config(paths)
    loaded = api.apply_files_settings(_load(policy, paths), config)
    with progress_bar() as progress:
        result = api.check(paths, loaded, api.CheckOptions(use_cache=not no_cache, progress=progress))
    target = output or (str(config.baseline) if config.baseline is not None else api.DEFAULT_BASELINE)
    write_output(api.baseline_text(result.findings), target)
    count = len(result.findings)
    click.echo(f"wrote {count} finding{'s' if count != 1 else ''} to {target}; "
               f"`oberhahn-policy check --baseline {target}` now reports only new ones", err=True)


@main.command()
@_PATHS
@_POLICY
@click.option("--format", "fmt", type=click.Choice(sorted(INVENTORY_FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None)
@click.option("--no-cache", is_flag=True)
@_friendly
def inventory(paths: tuple[str, ...], policy: str | None, fmt: str, output: str | None, no_cache: bool) -> None:
    """List every LLM call site under PATHS: an AI bill of materials."""
    paths = paths or (".",)
    loaded = _load(policy, paths)
    with progress_bar() as progress:
        found = api.inventory(paths, loaded, api.CheckOptions(use_cache=not no_cache, progress=progress))
    write_output(INVENTORY_FORMATS[fmt](found, _context(loaded, found.root, paths)), output)


@main.command()
@click.argument("policies", nargs=-1, type=click.Path())
@_friendly
def validate(policies: tuple[str, ...]) -> None:
    """Validate policy files (default: the one discovered here)."""
    result = api.validate(policies)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for evidence_problem in result.evidence_problems:
        click.echo(str(evidence_problem), err=True)
    if result.problems or result.evidence_problems:
        sys.exit(EXIT_ERROR)
    for loaded in result.policies:
        cases, teams = len(loaded.policy.use_cases), len(loaded.policy.teams)
        click.echo(f"{loaded.label}: valid ({cases} use case{'s' if cases != 1 else ''}, "
                   f"{teams} team{'s' if teams != 1 else ''})")


@main.command()
@click.argument("path", type=click.Path(file_okay=False), default=".")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the policy (default: PATH/oberhahn-policy.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing policy file.")
@_friendly
def init(path: str, output: str | None, force: bool) -> None:
    """Write a commented starter policy from the repository's own LLM call sites."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(path)
    target = Path(output) if output is not None else root / "oberhahn-policy.yaml"
    if target.exists() and not force:
        raise UsageFailure(f"{target} exists; edit it, or pass --force to replace it")
    # the inventory under the default policy: what the code says, not what an old policy maps; its paths are
    # relative to the policy's directory, the project root of every later run
    with progress_bar() as progress:
        text, found = api.starter(root, api.CheckOptions(root=target.parent, progress=progress))
    write_output(text, str(target))
    sites = len(found.call_sites)
    click.echo(f"wrote {target} from {sites} LLM call site{'s' if sites != 1 else ''}; review it, then run "
               "`oberhahn-policy validate` and `oberhahn-policy check`", err=True)


@main.command()
@click.argument("kind", type=click.Choice(sorted(api.SCHEMA_KINDS)), default="policy")
@click.option("--output-dir", type=click.Path(file_okay=False), default=None,
              help="Write every schema into this directory (as schemas/ is generated).")
@_friendly
def schema(kind: str, output_dir: str | None) -> None:
    """Print the JSON Schema of the policy file or of an output format."""
    if output_dir is not None:
        for stem, value in api.json_schemas().items():
            write_output(json.dumps(value, indent=2, sort_keys=True) + "\n", str(Path(output_dir) / f"{stem}.schema.json"))
        return
    click.echo(json.dumps(api.json_schemas((kind,))[kind], indent=2, sort_keys=True))


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(RULES_FORMATS)), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule with its code, name, default severity and summary (`--format markdown`: the README's table)."""
    click.echo(RULES_FORMATS[fmt](api.ALL_RULES), nl=False)


@main.command()
@click.argument("code")
@_friendly
def explain(code: str) -> None:
    """Print a rule's documentation: what it does, why, an example and the fix."""
    rule = api.rule_by_code(code)
    if rule is None:
        raise UsageFailure(f"unknown rule {code!r}; `oberhahn-policy rules` lists them")
    click.echo(rule.documentation(), nl=False)


@main.command()
@_PATHS
@_POLICY
@click.option("--format", "fmt", type=click.Choice(sorted(COST_FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--base", "base", default=None, metavar="REF",
              help="Compare with the code at this git ref (read with git archive; the working tree is untouched).")
@click.option("--today", default=None, help="Use the prices in force on this date (YYYY-MM-DD).")
@click.option("--no-cache", is_flag=True)
@_friendly
def cost(paths: tuple[str, ...], policy: str | None, fmt: str, output: str | None, base: str | None,
         today: str | None, no_cache: bool) -> None:
    """Project monthly spend per use case and team from the policy's volumes and the price catalog."""
    paths = paths or (".",)
    loaded = _load(policy, paths)
    day = _parse_date(today)
    with progress_bar() as progress:
        report = api.cost(paths, loaded, api.CheckOptions(use_cache=not no_cache, today=day, base=base, progress=progress))
    root = api.project_root(Path(paths[0]), loaded.sources)
    write_output(COST_FORMATS[fmt](report, _context(loaded, root, paths)), output)


def _parse_moment(value: str | None, option: str) -> date | datetime | None:
    """A day (YYYY-MM-DD, the whole UTC day) or a moment (ISO 8601; UTC when it names no zone)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise UsageFailure(f"{option} expects a date as YYYY-MM-DD or a moment as YYYY-MM-DDTHH:MM[:SS][+HH:MM], "
                           f"got {value!r}") from None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_POLICY
@click.option("--since", default=None, metavar="DATE",
              help="Only calls from this day (YYYY-MM-DD, UTC) or moment (ISO 8601) on.")
@click.option("--until", default=None, metavar="DATE", help="Only calls up to this day (inclusive) or moment.")
@click.option("--format", "fmt", type=click.Choice(sorted(USAGE_FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--fail-on", type=click.Choice(list(api.FAIL_LEVELS)), default="error", show_default=True,
              help="Lowest severity that makes the run fail (exit 1).")
@click.option("--today", default=None, help="Project the code's cost per task at the prices of this date (YYYY-MM-DD).")
@click.option("--no-cache", is_flag=True, help="Parse every file again instead of using the extraction cache.")
@_friendly
def usage(files: tuple[str, ...], policy: str | None, since: str | None, until: str | None, fmt: str,
          output: str | None, fail_on: str, today: str | None, no_cache: bool) -> None:
    """Reconcile observed usage in FILES (OTLP traces as JSON Lines, LiteLLM spend logs, Langfuse exports; .gz too;
    directories are read whole) with the policy: cost per task against the code's projection, drift, unattributed
    spend, undeclared use cases and unapproved models (OBH601-OBH605)."""
    window = (_parse_moment(since, "--since"), _parse_moment(until, "--until"))
    loaded = _load(policy, (".",))
    day = _parse_date(today)
    with progress_bar() as progress:
        report = api.usage(files, loaded, api.CheckOptions(use_cache=not no_cache, today=day, progress=progress), *window)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    root = api.project_root(Path("."), loaded.sources)
    write_output(USAGE_FORMATS[fmt](report, _context(loaded, root, (".",))), output)
    if report.unreadable_files:
        names = ", ".join(f.file for f in report.unreadable_files)
        click.echo(f"oberhahn-policy: {names}: could not be read at all (see above); the report covers the rest", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if report.at_or_above(api.Severity(fail_on)) else EXIT_CLEAN)


@main.command()
@_PATHS
@_POLICY
@click.option("--format", "fmt", type=click.Choice(sorted(EVIDENCE_FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--today", default=None, help="Judge result ages and prices as of this date (YYYY-MM-DD).")
@click.option("--no-cache", is_flag=True)
@_friendly
def evidence(paths: tuple[str, ...], policy: str | None, fmt: str, output: str | None, today: str | None,
             no_cache: bool) -> None:
    """Evaluation evidence per use case with a quality bar: each model's score, age, cost per task and verdict."""
    paths = paths or (".",)
    loaded = _load(policy, paths)
    day = _parse_date(today)
    with progress_bar() as progress:
        report = api.evidence(paths, loaded, api.CheckOptions(use_cache=not no_cache, today=day, progress=progress))
    root = api.project_root(Path(paths[0]), loaded.sources)
    write_output(EVIDENCE_FORMATS[fmt](report, _context(loaded, root, paths)), output)


@main.command()
@_PATHS
@_POLICY
@click.option("--format", "fmt", type=click.Choice(sorted(SAVINGS_FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--today", default=None, help="Use the prices in force, and judge result ages, on this date (YYYY-MM-DD).")
@click.option("--no-cache", is_flag=True)
@_friendly
def savings(paths: tuple[str, ...], policy: str | None, fmt: str, output: str | None, today: str | None,
            no_cache: bool) -> None:
    """Every savings lever in $/month: cheaper evaluated models, batch tiers, prompt caching, output caps, prompt size."""
    paths = paths or (".",)
    loaded = _load(policy, paths)
    day = _parse_date(today)
    with progress_bar() as progress:
        report = api.savings(paths, loaded, api.CheckOptions(use_cache=not no_cache, today=day, progress=progress))
    root = api.project_root(Path(paths[0]), loaded.sources)
    write_output(SAVINGS_FORMATS[fmt](report, _context(loaded, root, paths)), output)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", default=None, help="Show the prices in force on this date (YYYY-MM-DD).")
@click.option("--search", default=None, metavar="TEXT", help="Only models whose id or an alias contains TEXT.")
@click.option("--provider", default=None, help="Only models this provider sells (openai, aws-bedrock, groq...).")
@_friendly
def models(fmt: str, today: str | None, search: str | None, provider: str | None) -> None:
    """List the model price catalog: prices per million tokens, limits, retirement and the source of each row."""
    from .report.catalog import catalog_json, catalog_text, select_models

    catalog = api.load_catalog()
    for problem in catalog.problems:
        click.echo(f"warning: {problem}", err=True)
    day = _parse_date(today) or date.today()
    shown = select_models(catalog, search, provider)
    click.echo(catalog_json(catalog, shown) if fmt == "json" else catalog_text(catalog, day, shown), nl=False)


@main.command()
@_POLICY
@click.option("--check", "verify", is_flag=True, help="Exit 1 if oberhahn.lock is missing or out of date, instead of writing it.")
@click.option("--no-cache", is_flag=True)
@_friendly
def lock(policy: str | None, verify: bool, no_cache: bool) -> None:
    """Record a hash of each static prompt per use case and prompt version in oberhahn.lock (see OBH403)."""
    # the whole project, wherever in it the command runs: the lock is one file for all of it
    loaded = _load(policy, (".",))
    with progress_bar() as progress:
        root, text, prompts = api.prompt_lock(loaded, api.CheckOptions(use_cache=not no_cache, progress=progress))
    target = root / api.LOCK_FILE
    shown = os.path.relpath(target)
    if verify:
        try:
            current = api.read_lock_text(root)
        except api.LockError as exc:
            raise UsageFailure(f"{shown}: {exc}") from None
        if current != text:
            click.echo(f"{shown} is out of date; run `oberhahn-policy lock`", err=True)
            sys.exit(EXIT_FINDINGS)
        click.echo(f"{shown} is up to date")
        return
    write_output(text, str(target))
    click.echo(f"wrote {shown} ({prompts} prompt{'s' if prompts != 1 else ''})")
