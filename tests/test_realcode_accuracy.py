"""Accuracy of call-site extraction on real open-source LLM applications (tests/realcode).

The fixture corpora (tests/corpus, tests/holdout) were written on this project; this one was not.
tests/realcode/projects.toml pins one sdist per application, tests/realcode/fetch.py downloads and
unpacks them into a cache outside the repository, and tests/realcode/answers/<project>.yaml is a
hand-verified answer key (every LLM call site, plus look-alikes that must not be reported and
"neutral" calls that may be reported or not). Matching is by (path, line of the call's first line).

- recall     = key sites reported at their line under the key's provider (or an accepted alternative),
- precision  = true sites / everything reported (a look-alike or any unlisted site is a false
               positive; a neutral site is left out of both counts),
- model accuracy = among found sites: a literal key model must be reported (after dropping a
               `provider/` prefix); a "dynamic" or absent model must be reported as unknown, or as
               the code's default when the key says that default is what runs (`default_runs`),
- confident wrong = found sites whose reported model is concrete, asserted as what runs (not labelled a
               default: a parameter's, an environment variable's, `x or DEFAULT`), and wrong by the rule above.

Run as a script to print the full table: `python tests/test_realcode_accuracy.py`.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
import yaml
from realcode.fetch import FetchError, RegistryUnreachable, ensure_corpus, load_projects
from test_corpus_accuracy import same_model

HERE = Path(__file__).resolve().parent

ANSWERS = HERE / "realcode" / "answers"

RECALL_MIN = 0.97
PRECISION_MIN = 0.99
#: Share of found sites whose reported model is concrete and wrong.
CONFIDENT_WRONG_MAX = 0.01


@dataclass(frozen=True)
class Found:
    """One call site as the tool reports it (the only shape the scoring reads)."""

    path: str
    line: int
    provider: str
    framework: str | None
    api: str
    model: str | None
    max_output_tokens: int | None
    #: The tool asserts the model as what runs (not a default it labels as such, issue 10 item 1).
    asserted: bool = True


def extract(project_root: Path, app_dir: str) -> list[Found]:
    """The one adapter to oberhahn-policy's API: extraction over `app_dir`, the sdist's top as root and cwd."""
    from oberhahn_policy import CheckOptions, inventory
    from oberhahn_policy.policy import default_policy

    report = inventory([app_dir], default_policy(), CheckOptions(root=project_root, cwd=project_root, use_cache=False))
    return [Found(c.site.path, c.site.line, c.provider, c.site.framework, c.site.api, c.model, c.max_output_tokens,
                  c.model_source in ("code", "assumed"))
            for c in report.call_sites]


@dataclass(frozen=True)
class KeySite:
    project: str
    path: str
    line: int
    provider: str
    accept_providers: tuple[str, ...]
    framework: str | None
    api: str
    model: str | None
    model_default: str | None
    default_runs: bool
    output_limit: int | str | None

    @property
    def where(self) -> str:
        return f"{self.project}:{self.path}:{self.line}"

    def provider_ok(self, provider: str) -> bool:
        return provider == self.provider or provider in self.accept_providers

    def model_ok(self, reported: str | None) -> bool:
        if self.model not in (None, "dynamic"):
            return same_model(self.model, reported)
        if reported is None:
            return True
        return self.default_runs and self.model_default is not None and same_model(self.model_default, reported)

    def limit_ok(self, reported: int | None) -> bool:
        if isinstance(self.output_limit, int):
            return reported == self.output_limit
        return reported is None


@dataclass(frozen=True)
class Key:
    project: str
    sites: tuple[KeySite, ...]
    lookalikes: tuple[tuple[str, int], ...]
    neutral: tuple[tuple[str, int], ...]


def load_key(project: str) -> Key:
    data: dict[str, Any] = yaml.safe_load((ANSWERS / f"{project}.yaml").read_text(encoding="utf-8"))
    sites = tuple(
        KeySite(project, e["path"], int(e["line"]), e["provider"], tuple(e.get("accept_providers") or ()),
                e.get("framework"), e["api"], e.get("model"), e.get("model_default"), bool(e.get("default_runs")),
                e.get("output_limit"))
        for e in data["call_sites"])
    marks = {name: tuple((e["path"], int(e["line"])) for e in data.get(name) or ()) for name in ("lookalikes", "neutral")}
    return Key(project, sites, marks["lookalikes"], marks["neutral"])


def key_problems(key: Key, root: Path) -> list[str]:
    """Entries that do not point at the first line of a call expression, or that repeat."""
    problems: list[str] = []
    starts: dict[str, set[int]] = {}
    seen: set[tuple[str, int]] = set()
    entries = [(s.path, s.line, "call site") for s in key.sites]
    entries += [(p, n, "lookalike") for p, n in key.lookalikes] + [(p, n, "neutral") for p, n in key.neutral]
    for path, line, kind in entries:
        if (path, line) in seen:
            problems.append(f"{key.project}:{path}:{line}: listed twice")
        seen.add((path, line))
        if path not in starts:
            file = root / path
            if not file.is_file():
                problems.append(f"{key.project}:{path}: no such file in the sdist")
                starts[path] = set()
                continue
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            starts[path] = {node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)}
        if starts[path] and line not in starts[path]:
            problems.append(f"{key.project}:{path}:{line}: {kind} line starts no call expression")
    return problems


@dataclass
class Tally:
    """Counts for one group (a project, a provider, a framework, or everything)."""

    in_key: int = 0
    found: int = 0
    reported: int = 0
    model_right: int = 0
    confident_wrong: int = 0
    limit_right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.in_key if self.in_key else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0

    @property
    def model_accuracy(self) -> float:
        return self.model_right / self.found if self.found else 1.0

    @property
    def confident_wrong_rate(self) -> float:
        return self.confident_wrong / self.found if self.found else 0.0


@dataclass
class Score:
    """Tallies by group plus every individual mistake, with its location."""

    by: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Tally)))
    missed: list[str] = field(default_factory=list)
    wrong_provider: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_model: list[str] = field(default_factory=list)
    unknown_model: list[str] = field(default_factory=list)
    wrong_limit: list[str] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)

    def groups(self, site_project: str, provider: str, framework: str | None) -> Iterable[Tally]:
        yield self.by["project"][site_project]
        yield self.by["provider"][provider]
        yield self.by["framework"][framework or "(none)"]
        yield self.by["overall"]["OVERALL"]


def score_project(key: Key, found: list[Found], score: Score) -> None:
    pending: dict[tuple[str, int], list[Found]] = defaultdict(list)
    for site in found:
        pending[(site.path, site.line)].append(site)
    unmatched_key: list[KeySite] = []
    for expected in key.sites:
        for tally in score.groups(key.project, expected.provider, expected.framework):
            tally.in_key += 1
        candidates = pending.get((expected.path, expected.line), [])
        match = next((c for c in candidates if expected.provider_ok(c.provider)), None)
        if match is None:
            if candidates:
                score.wrong_provider.append(f"{expected.where} expected {expected.provider}, reported "
                                            f"{candidates[0].provider} ({candidates[0].api})")
            else:
                score.missed.append(f"{expected.where} {expected.provider} {expected.api}")
                unmatched_key.append(expected)
            continue
        candidates.remove(match)
        model_right = expected.model_ok(match.model)
        limit_right = expected.limit_ok(match.max_output_tokens)
        for tally in score.groups(key.project, expected.provider, expected.framework):
            tally.found += 1
            tally.reported += 1
            tally.model_right += model_right
            # a model the tool labels as only a default is not asserted as the one that runs
            tally.confident_wrong += (not model_right and match.model is not None and match.asserted)
            tally.limit_right += limit_right
        expected_model = expected.model if expected.model is not None else "(none named)"
        if not model_right:
            default = f", default {expected.model_default}" if expected.model_default else ""
            line = f"{expected.where} key {expected_model}{default}, reported {match.model!r}" + (
                "" if match.asserted else " (labelled a default, not asserted)")
            (score.wrong_model if match.model is not None else score.unknown_model).append(line)
        if not limit_right:
            score.wrong_limit.append(f"{expected.where} key {expected.output_limit!r}, reported {match.max_output_tokens!r}")
    lookalikes, neutral = set(key.lookalikes), set(key.neutral)
    for (path, line), leftovers in sorted(pending.items()):
        if (path, line) in neutral:
            continue
        for extra in leftovers:
            for tally in score.groups(key.project, extra.provider, extra.framework):
                tally.reported += 1
            label = " [listed look-alike]" if (path, line) in lookalikes else ""
            near = [k for k in unmatched_key if k.path == path and 0 < abs(k.line - line) <= 3]
            if near:
                score.near_misses.append(f"{key.project}:{path}:{line} reported, key line {near[0].line} "
                                         f"(off by {line - near[0].line})")
            score.false_positives.append(f"{key.project}:{path}:{line}{label} {extra.provider} {extra.api} "
                                         f"model={extra.model!r}")


def render(score: Score) -> str:
    lines: list[str] = []
    header = ("group", "key", "found", "reported", "recall", "precision", "model acc", "conf wrong", "limit acc")
    for dimension in ("project", "provider", "framework", "overall"):
        rows = [(dimension, *header[1:])]
        for name, t in sorted(score.by[dimension].items()):
            rows.append((name, str(t.in_key), str(t.found), str(t.reported), f"{t.recall:.3f}", f"{t.precision:.3f}",
                         f"{t.model_accuracy:.3f}" if t.found else "-", str(t.confident_wrong),
                         f"{t.limit_right / t.found:.3f}" if t.found else "-"))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines += ["  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)) for r in rows]
        lines.insert(len(lines) - len(rows) + 1, "  ".join("-" * w for w in widths))
        lines.append("")
    for title, entries in (("missed", score.missed), ("wrong provider (missed and false positive)", score.wrong_provider),
                           ("false positives", score.false_positives), ("near misses", score.near_misses),
                           ("wrong model", score.wrong_model), ("model reported unknown", score.unknown_model),
                           ("output limit differs (informational)", score.wrong_limit)):
        if entries:
            lines.append(f"{title} ({len(entries)}):")
            lines += [f"  {e}" for e in entries]
    return "\n".join(lines)


def below_bar(score: Score) -> list[str]:
    total = score.by["overall"]["OVERALL"]
    problems: list[str] = []
    if total.recall < RECALL_MIN:
        problems.append(f"recall {total.recall:.3f} < {RECALL_MIN}")
    if total.precision < PRECISION_MIN:
        problems.append(f"precision {total.precision:.3f} < {PRECISION_MIN}")
    if total.confident_wrong_rate > CONFIDENT_WRONG_MAX:
        problems.append(f"confident wrong models {total.confident_wrong}/{total.found} "
                        f"= {total.confident_wrong_rate:.3f} > {CONFIDENT_WRONG_MAX}")
    return problems


def corpus_or_skip() -> dict[str, Path]:
    try:
        return ensure_corpus()
    except RegistryUnreachable as problem:
        pytest.skip(f"package registry unreachable, real-code corpus not available: {problem}")
    except FetchError as problem:
        pytest.fail(f"real-code corpus could not be prepared: {problem}")


def measure(corpus: dict[str, Path], runner: Callable[[Path, str], list[Found]] = extract) -> Score:
    score = Score()
    for project in load_projects():
        score_project(load_key(project.name), runner(corpus[project.name], project.app_dir), score)
    return score


def test_every_project_has_a_key() -> None:
    projects = [p.name for p in load_projects()]
    assert len(projects) >= 6
    assert sorted(projects) == sorted(p.stem for p in ANSWERS.glob("*.yaml"))
    total = sum(len(load_key(name).sites) for name in projects)
    assert total >= 120, f"only {total} keyed call sites"


@pytest.mark.realcode
def test_realcode_key_points_at_calls() -> None:
    corpus = corpus_or_skip()
    problems = [p for project in load_projects() for p in key_problems(load_key(project.name), corpus[project.name])]
    assert problems == []


@pytest.mark.realcode
def test_realcode_accuracy() -> None:
    score = measure(corpus_or_skip())
    table = render(score)
    print("\n" + table)
    problems = below_bar(score)
    assert not problems, "real-code corpus below the bar:\n  " + "\n  ".join(problems) + "\n\n" + table


def main() -> int:
    try:
        corpus = ensure_corpus()
    except FetchError as problem:
        print(f"real-code corpus unavailable: {problem}", file=sys.stderr)
        return 2
    problems = [p for project in load_projects() for p in key_problems(load_key(project.name), corpus[project.name])]
    if problems:
        print("answer key problems:\n  " + "\n  ".join(problems))
        return 1
    score = measure(corpus)
    print(render(score))
    below = below_bar(score)
    if below:
        print("\nbelow the bar:\n  " + "\n  ".join(below))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
