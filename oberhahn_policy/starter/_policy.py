"""The starter policy's text: use cases, teams, path mapping, placeholder volumes, proposed wrappers.

Use cases come from the code where it already names them (`use_case` attribution); every other
call belongs to a use case proposed per package, whose `paths:` map exactly that package's files
(_mapping.py), so the next `check` attributes every such call. Non-production code is kept apart (see _layout.py). The models each use case calls
today are approved, so adopting the policy changes nothing but makes every later change a reviewed
one. Volumes are null placeholders the user must replace; `cost` says "volume not declared" until then.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable, Mapping, Sequence

from ..callsite import CallSite
from ..catalog import load_catalog
from ..wording import plural
from ._layout import GROUPED_KINDS, ProjectLayout
from ._mapping import Claim, use_case_paths
from ._wrappers import WrapperCandidate

_NOT_A_NAME = re.compile(r"[^a-z0-9]+")
#: Directory names that hold code but say nothing about what it is for.
_NEUTRAL = frozenset({"src", "lib", "app", "apps", "services", "service", "package", "packages", "python"})
#: The use case evals, benchmarks, scripts and notebooks are grouped under.
NON_PRODUCTION = "non-production"


@dataclass(slots=True)
class _UseCase:
    """A use case as the starter builds it up from the call sites."""

    name: str
    team: str | None = None
    models: set[str] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    #: Directories (root-relative, "" for the root) whose files the use case's `paths:` map to it.
    packages: set[str] = field(default_factory=set)
    from_code: bool = False
    calls: int = 0
    #: Operations of its calls (`chat`, `embedding`, `audio`...), for the volumes it needs.
    operations: set[str] = field(default_factory=set)


def _kebab(text: str) -> str:
    return _NOT_A_NAME.sub("-", text.lower()).strip("-")


def _package(path: str) -> tuple[str, ...]:
    return tuple(p for p in PurePosixPath(path).parent.parts if p not in (".", ".."))


def _package_names(packages: Iterable[tuple[str, ...]], fallback: str) -> dict[tuple[str, ...], str]:
    """A short, distinct name for each package: the parts after their common prefix, neutral words left out."""
    packages = sorted(set(packages))
    common = 0
    if len(packages) > 1:
        while all(len(p) > common for p in packages) and len({p[common] for p in packages}) == 1:
            common += 1
    names: dict[tuple[str, ...], str] = {}
    for package in packages:
        parts = [p for p in package[common:] if p.lower() not in _NEUTRAL] or [p for p in package if p.lower() not in _NEUTRAL]
        names[package] = _kebab("-".join(parts)) or fallback
    return names


def _quoted(text: str) -> str:
    """A YAML scalar that is always read back as this exact string (JSON strings are YAML)."""
    return json.dumps(text)


def _listed(items: Sequence[str], shown: int = 3) -> str:
    return ", ".join(items[:shown]) + (f" and {len(items) - shown} more" if len(items) > shown else "")


def _use_cases(sites: Sequence[CallSite], layout: ProjectLayout, project_team: str) -> dict[str, _UseCase]:
    """Every use case the starter declares, each call site in exactly one (excluded files' sites in none)."""
    use_cases: dict[str, _UseCase] = {}
    # named against every production package with calls, so that they read like siblings of each other
    names = _package_names((_package(s.path) for s in sites if not layout.grouped(s.path)), project_team)
    for site in sites:
        if site.use_case:
            name = site.use_case
        elif layout.grouped(site.path):
            name = NON_PRODUCTION
        else:
            name = names[_package(site.path)]
        entry = use_cases.setdefault(name, _UseCase(name, from_code=bool(site.use_case)))
        team = site.attribution_map().get("team")
        if team and entry.team is None:
            entry.team = team
        entry.calls += 1
        entry.files.add(site.path)
        entry.operations.add(site.site.operation)
        if not site.use_case and name != NON_PRODUCTION:
            entry.packages.add("/".join(_package(site.path)))
        if site.model:
            entry.models.add(site.model)
        elif site.model_expression:
            entry.unresolved.add(site.model_expression)
        elif site.site.default_model:
            entry.models.add(site.site.default_model)
    for entry in use_cases.values():
        entry.team = entry.team or project_team
    return use_cases


def _claims(sites: Sequence[CallSite], use_cases: Mapping[str, _UseCase]) -> list[Claim]:
    """What each use case's `paths:` take: its packages; for a use case named in the code, the files where every
    call names it (so calls there that name no team get the use case's); the non-production directories."""
    by_file: dict[str, set[str | None]] = defaultdict(set)
    for site in sites:
        by_file[site.path].add(site.use_case)
    claims = []
    for name, entry in sorted(use_cases.items()):
        files = frozenset(f for f in entry.files if entry.from_code and by_file[f] == {name})
        claims.append(Claim(name, frozenset(entry.packages), files, grouped=name == NON_PRODUCTION and not entry.from_code))
    return claims


def _exclude_lines(sites: Sequence[CallSite], layout: ProjectLayout) -> list[str]:
    patterns = layout.patterns(excluded=True)
    if not patterns:
        return []
    lines = [
        "# Tests, docs and examples are not checked: they spend nothing of the project's own (tests mock their",
        "# clients and use throwaway models; docs and examples run on their readers' keys), and their findings",
        "# would bury the ones that matter. Delete a line to check that code too.",
        "files:",
        "  exclude:",
    ]
    for pattern, where in patterns.items():
        calls = sum(1 for s in sites if layout.excluded(s.path) and layout.placements[s.path].pattern == pattern)
        held = f"; {plural(calls, 'LLM call site')} there" if calls else ""
        lines.append(f"    - {_quoted(pattern)}  # {_listed(where)}{held}")
    return lines + [""]


def _budget_lines(entry: _UseCase) -> list[str]:
    lines = [
        "    budget:",
        "      # PLACEHOLDERS: replace each null with this use case's real volume; until then `cost` reports",
        "      # \"volume not declared\" for it. A task is one unit of its business value (a ticket triaged...).",
        "      tasks_per_month: null    # tasks a month",
        "      avg_input_tokens: null   # prompt tokens per call",
    ]
    if entry.operations - {"embedding"}:
        lines.append("      avg_output_tokens: null  # output tokens per call")
    if "audio" in entry.operations:
        lines.append("      avg_audio_seconds: null  # seconds of audio per call, for speech-to-text priced by the minute")
    lines.append("      monthly_usd: null        # optional: the use case's monthly budget in USD")
    return lines


def _wrapper_lines(wrappers: Sequence[WrapperCandidate]) -> list[str]:
    if not wrappers:
        return []
    lines = [
        "# Project functions that make an LLM call with the model their callers pass in.",
        "# Declared as wrappers, each call of one becomes the call site, with the model its caller writes,",
        "# in place of the SDK call inside, so approval and cost see real models. That changes what counts",
        "# as a call site, so it is left for you to switch on: uncomment an entry, then run `check` again.",
        "# Add `attribution: {team: ARG, use_case: ARG}` when the function takes those as arguments.",
        "# wrappers:",
    ]
    for wrapper in wrappers:
        if wrapper.method:
            counted = (f"{plural(wrapper.callers, 'call')} of a method named `{wrapper.function.rsplit('.', 1)[-1]}` "
                       f"in {plural(wrapper.caller_files, 'file')} (its module, or modules importing its class)")
        else:
            counted = f"{plural(wrapper.callers, 'call')} of it in {plural(wrapper.caller_files, 'file')}"
        lines.append(f"#   - function: {wrapper.function}  # {wrapper.path}:{wrapper.line}: "
                     f"{plural(wrapper.sdk_calls, 'LLM call')} inside; {counted}")
        provider_note = f"  # its calls go to {', '.join(wrapper.providers)}" if wrapper.providers else ""
        lines.append(f"#     provider: {wrapper.provider}{provider_note}")
        lines.append(f"#     operation: {wrapper.operation}")
        lines.append(f"#     model: {wrapper.model}")
        if wrapper.max_output_tokens is not None:
            lines.append(f"#     max_output_tokens: {wrapper.max_output_tokens}")
    return lines + [""]


def starter_policy(call_sites: Iterable[CallSite], project: str, files: Iterable[str] = (),
                   wrappers: Sequence[WrapperCandidate] = ()) -> str:
    """The starter policy's text, with a comment on every choice that a reviewer should revisit.

    `files` are the project's root-relative paths (to tell non-production code apart); `wrappers`
    the functions to propose, commented out, under `wrappers:`.
    """
    sites = list(call_sites)
    layout = ProjectLayout.of([*files, *(s.path for s in sites)])
    catalog = load_catalog()  # approving a model the catalog can't price would fail `validate` (OBH906)
    project_team = _kebab(project) or "platform"
    checked = [s for s in sites if not layout.excluded(s.path)]
    use_cases = _use_cases(checked, layout, project_team)
    mapping = use_case_paths(_claims(checked, use_cases), [*files, *(s.path for s in sites)], layout)
    teams: dict[str, set[str]] = defaultdict(set)
    for entry in use_cases.values():
        teams[entry.team or project_team].add(entry.name)

    lines = [
        "# oberhahn-policy: policy-as-code for this repository's AI spend.",
        f"# Written by `oberhahn-policy init` from {plural(len(sites), 'LLM call site')} found in the code.",
        "# Review every section, replace the placeholders (null volumes), then run `oberhahn-policy validate`",
        "# and `oberhahn-policy check`; `oberhahn-policy explain CODE` explains a finding.",
        "version: 1",
        "",
        *_exclude_lines(sites, layout),
        "# Every call must say which team it serves and for which use case: in the request metadata,",
        "# in X-Oberhahn-* headers, on the client (default_headers), in a file comment",
        "# `# oberhahn: use-case=NAME team=NAME`, or through a use case's `paths:` below.",
        "attribution:",
        "  required: [team, use_case]",
        "  optional: [prompt_version, feature]",
        "",
        "# Who answers for the spend. Set each owner and, when known, a monthly_budget_usd.",
        "teams:" if teams else "teams: {}",
    ]
    for team in sorted(teams):
        lines.append(f"  {_quoted(team)}:")
        if team == project_team and not any(use_cases[u].from_code for u in teams[team]):
            lines.append("    # proposed for calls whose code names no team: rename it to the team that owns them")
        lines.append("    owner: null  # e.g. team-email@example.com")
    lines += ["", "# One use case per unit of business value. The models each one calls today are approved."]
    if not use_cases:
        lines += ["# No LLM call site was found; declare use cases here as features arrive.", "use_cases: {}"]
    else:
        lines.append("use_cases:")
    for name in sorted(use_cases):
        entry = use_cases[name]
        shown = _listed(sorted(entry.files))
        calls = plural(entry.calls, "call")
        if entry.name == NON_PRODUCTION and not entry.from_code:
            kinds = [k for k in GROUPED_KINDS if any(p.kind == k for p in layout.placements.values())]
            lines.append(f"  {_quoted(name)}:  # kept apart from the production use cases: {calls} in {shown}")
            description = "Not production: " + ", ".join(kinds) + ", run by the team on its own key"
            lines.append(f"    description: {_quoted(description)}")
        else:
            origin = "named in the code" if entry.from_code else "proposed from the package"
            lines.append(f"  {_quoted(name)}:  # {origin}: {calls} in {shown}")
        lines.append(f"    team: {_quoted(entry.team or project_team)}")
        paths = mapping.get(name)
        if paths:
            lines.append("    # calls in these files that name no use case of their own take this one and its team")
            lines.append(f"    paths: [{', '.join(_quoted(p) for p in paths)}]")
        priced = sorted(m for m in entry.models if catalog.lookup(m) is not None)
        lines.append("    models:")
        for expression in sorted(entry.unresolved):
            lines.append(f"      # a call passes `{expression}`, which can't be read statically: approve what it resolves to")
        for model in sorted(set(entry.models) - set(priced)):
            lines.append(f"      # {_quoted(model)} is called but the price catalog doesn't know it: price it under")
            lines.append("      # models.prices (or fix the spelling), then approve it here")
        lines.append(f"      approved: [{', '.join(_quoted(m) for m in priced)}]")
        lines += _budget_lines(entry)
    lines += [
        "",
        "# Organisation-wide model governance: `default: deny` forbids models for use cases without an",
        "# approved list; `denied` patterns apply everywhere (e.g. \"*-preview\").",
        "models:",
        "  default: allow",
        "  denied: []",
        "",
        *_wrapper_lines(wrappers),
        "# `# oberhahn: ignore[CODE]: reason` comments must say why.",
        "suppressions:",
        "  require_reason: true",
    ]
    return "\n".join(lines) + "\n"
