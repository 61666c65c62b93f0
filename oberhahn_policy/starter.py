"""`init`: a commented starter policy drawn from the repository's own inventory.

Use cases come from the code where it already names them (`use_case` attribution), else one is
proposed per package that makes LLM calls; the models each use case calls today are approved,
so that adopting the policy changes nothing but makes every later change a reviewed one.
Attribution stays required and no path mapping is switched on: `check` then shows which calls
still carry no attribution, which is the first thing a team wants to know.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from .callsite import CallSite
from .catalog import load_catalog

_NOT_A_NAME = re.compile(r"[^a-z0-9]+")
#: Directory names that hold code but say nothing about what it is for.
_NEUTRAL = frozenset({"src", "lib", "app", "apps", "services", "service", "package", "packages", "python"})


@dataclass
class _UseCase:
    name: str
    team: str | None = None
    models: set[str] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    packages: set[str] = field(default_factory=set)
    from_code: bool = False
    calls: int = 0


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


def starter_policy(call_sites: Iterable[CallSite], project: str) -> str:
    """The starter policy's text, with a comment on every choice that a reviewer should revisit."""
    sites = list(call_sites)
    catalog = load_catalog()  # approving a model the catalog can't price would fail `validate` (OBH906)
    project_team = _kebab(project) or "platform"
    use_cases: dict[str, _UseCase] = {}
    # named against every package with calls, so that they read like siblings of each other
    names = _package_names((_package(s.path) for s in sites), project_team)
    for site in sites:
        attribution = site.attribution_map()
        name = site.use_case or names[_package(site.path)]
        entry = use_cases.setdefault(name, _UseCase(name, from_code=bool(site.use_case)))
        team = attribution.get("team")
        if team and entry.team is None:
            entry.team = team
        entry.calls += 1
        entry.files.add(site.path)
        if not site.use_case:
            entry.packages.add("/".join(_package(site.path)))
        if site.model:
            entry.models.add(site.model)
        elif site.model_expression:
            entry.unresolved.add(site.model_expression)
        elif site.site.default_model:
            entry.models.add(site.site.default_model)
    teams: dict[str, set[str]] = defaultdict(set)
    for entry in use_cases.values():
        entry.team = entry.team or project_team
        teams[entry.team].add(entry.name)

    lines = [
        "# oberhahn-policy: policy-as-code for this repository's AI spend.",
        f"# Written by `oberhahn-policy init` from {len(sites)} LLM call site{'s' if len(sites) != 1 else ''} found in the code.",
        "# Review every section, then run `oberhahn-policy check`; `oberhahn-policy explain CODE` explains a finding.",
        "version: 1",
        "",
        "# Every call must say which team it serves and for which use case: in the request metadata,",
        "# in X-Oberhahn-* headers, on the client (default_headers), or in a file comment",
        "# `# oberhahn: use-case=NAME team=NAME`.",
        "attribution:",
        "  required: [team, use_case]",
        "  optional: [prompt_version, feature]",
        "",
        "# Who answers for the spend. Set each owner and, when known, a monthly_budget_usd.",
        "teams:",
    ]
    if not teams:
        lines[-1] = "teams: {}"
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
        files = sorted(entry.files)
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        origin = "named in the code" if entry.from_code else "proposed from the package"
        lines.append(f"  {_quoted(name)}:  # {origin}: {entry.calls} call{'s' if entry.calls != 1 else ''} in {shown}")
        lines.append(f"    team: {_quoted(entry.team or project_team)}")
        for package in sorted(entry.packages):
            lines.append("    # Attribute every call under this package to this use case (instead of metadata at each call):")
            lines.append(f"    # paths: [{_quoted((package + '/**') if package else '*.py')}]")
        priced = sorted(m for m in entry.models if catalog.lookup(m) is not None)
        approved = ", ".join(_quoted(m) for m in priced)
        lines.append("    models:")
        for expression in sorted(entry.unresolved):
            lines.append(f"      # a call passes `{expression}`, which can't be read statically: approve what it resolves to")
        for model in sorted(set(entry.models) - set(priced)):
            lines.append(f"      # {_quoted(model)} is called but the price catalog doesn't know it: price it under")
            lines.append("      # models.prices (or fix the spelling), then approve it here")
        lines.append(f"      approved: [{approved}]")
    lines += [
        "",
        "# Organisation-wide model governance: `default: deny` forbids models for use cases without an",
        "# approved list; `denied` patterns apply everywhere (e.g. \"*-preview\").",
        "models:",
        "  default: allow",
        "  denied: []",
        "",
        "# `# oberhahn: ignore[CODE]: reason` comments must say why.",
        "suppressions:",
        "  require_reason: true",
    ]
    return "\n".join(lines) + "\n"
