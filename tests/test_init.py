"""`init`: a starter policy that validates, maps every call to a use case, keeps non-production code apart,
marks volumes as placeholders (so `cost` says "volume not declared", never $0.00) and proposes wrappers."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml
from helpers import copy_example_app, run_cli, write_project
from realcode.fetch import (
    FetchError,
    RegistryUnreachable,
    ensure_project,
    load_projects,
)

from oberhahn_policy.resolve import path_matches
from oberhahn_policy.starter import Claim, ProjectLayout, use_case_paths

CALL = '''
from openai import OpenAI

client = OpenAI()


def {name}(text: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=100, messages=[{{"role": "user", "content": text}}]{extra}
    )
    return reply.choices[0].message.content or ""
'''


def call(name: str = "answer", use_case: str | None = None, team: str | None = None) -> str:
    """A module with one OpenAI call, attributed in the code when `use_case` is given."""
    metadata = {k: v for k, v in (("use_case", use_case), ("team", team)) if v}
    return CALL.format(name=name, extra=f", metadata={json.dumps(metadata)}" if metadata else "")


def init(root: Path) -> tuple[str, dict]:  # type: ignore[type-arg]
    written = run_cli("init", cwd=root)
    assert written.exit_code == 0, written.stderr
    text = (root / "oberhahn-policy.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def owner(path: str, policy: dict) -> list[str]:  # type: ignore[type-arg]
    """Every use case whose `paths:` select `path` (resolution takes the first; the starter's never overlap)."""
    return [name for name, case in policy["use_cases"].items() if path_matches(path, tuple(case.get("paths") or ()))]


# (what it shows, files, expected paths per use case, file -> the one use case that must select it)
MAPPINGS = [
    ("a package, not the sibling whose name it prefixes",
     {"shop/orders/a.py": call(), "shop/orders_archive/b.py": call()},
     {"orders": ["shop/orders/**"], "orders-archive": ["shop/orders_archive/**"]},
     {"shop/orders/a.py": "orders", "shop/orders_archive/b.py": "orders-archive", "shop/orders/new/c.py": "orders",
      "shop/orders_archive.py": None}),
    ("a package carves out the subpackage that is a use case of its own",
     {"shop/a.py": call(), "shop/orders/b.py": call(), "shop/orders/deep/c.py": call()},
     {"shop": ["shop/**", "!shop/orders/**"], "orders": ["shop/orders/**", "!shop/orders/deep/**"],
      "orders-deep": ["shop/orders/deep/**"]},
     {"shop/a.py": "shop", "shop/util/x.py": "shop", "shop/orders/b.py": "orders", "shop/orders/deep/c.py": "orders-deep"}),
    ("the root's own modules, not every module below it",
     {"main.py": call(), "worker/jobs.py": call()},
     {"repo": ["/*.py"], "worker": ["worker/**"]},
     {"main.py": "repo", "worker/jobs.py": "worker", "other/main.py": None}),
    ("a file whose every call names its use case in the code is mapped to it, and carved out of the package",
     {"shop/a.py": call(), "shop/b.py": call(use_case="triage")},
     {"shop": ["shop/**", "!shop/b.py"], "triage": ["shop/b.py"]},
     {"shop/a.py": "shop", "shop/b.py": "triage"}),
    ("evals, benchmarks and scripts are grouped apart, and carved out of production packages",
     {"shop/core.py": call(), "shop/scripts/seed.py": call(), "evals/run_eval.py": call(), "bench/load.py": call()},
     {"shop": ["shop/**", "!**/scripts/**"], "non-production": ["bench/", "evals/", "scripts/"]},
     {"shop/core.py": "shop", "shop/scripts/seed.py": "non-production", "evals/run_eval.py": "non-production",
      "bench/load.py": "non-production"}),
]


@pytest.mark.parametrize(("files", "expected", "owners"), [row[1:] for row in MAPPINGS], ids=[row[0] for row in MAPPINGS])
def test_paths_cover_exactly_each_use_cases_files(tmp_path: Path, files: dict[str, str], expected: dict[str, list[str]],
                                                  owners: dict[str, str | None]) -> None:
    root = write_project(tmp_path / "repo", files)
    _, policy = init(root)
    assert {name: case.get("paths") for name, case in policy["use_cases"].items()} == expected
    for path, use_case in owners.items():
        assert owner(path, policy) == ([use_case] if use_case else []), path


# (claims, file -> the use case that must own it): every file is selected by exactly its owner's patterns
NESTED_CLAIMS = (
    [Claim("a", frozenset({"a", "a/b/c"})), Claim("b", frozenset({"a/b"})), Claim("root", frozenset({""})),
     Claim("named", files=frozenset({"a/b/named.py", "top.py"})), Claim("non-production", grouped=True)],
    {"a/x.py": "a", "a/b/y.py": "b", "a/b/c/z.py": "a", "a/b/c/d/w.py": "a", "a/b/named.py": "named", "top.py": "named",
     "main.py": "root", "a/scripts/run.py": "non-production", "a/b/c/evals/e.py": "non-production",
     "a/docs/__init__.py": "a", "docs/conf.py": None, "other/o.py": None},
)


def test_mapping_patterns_select_exactly_each_owners_files() -> None:
    claims, owners = NESTED_CLAIMS
    layout = ProjectLayout.of(owners)
    assert layout.excluded("docs/conf.py") and not layout.excluded("a/docs/__init__.py")  # a docs package is code
    mapping = use_case_paths(claims, owners, layout)
    assert mapping["a"] == ["a/**", "!**/scripts/**", "!a/b/**", "a/b/c/**", "!**/evals/**"]
    for path, expected in owners.items():
        if layout.excluded(path):
            continue  # never discovered, so never mapped
        selected = [name for name, patterns in mapping.items() if path_matches(path, tuple(patterns))]
        assert selected == ([expected] if expected else []), path


EXCLUDED = {
    "shop/core.py": call(),
    "tests/test_core.py": call("test_answer"),
    "shop/tests/test_unit.py": call("test_unit"),
    "shop/conftest.py": call("fixture"),
    "examples/demo.py": call("demo"),
    "docs/conf.py": call("conf"),
    "evals-triage/run.py": call(),  # not an evals directory: production, proposed as its own use case
}


def test_tests_docs_and_examples_are_excluded_from_the_check(tmp_path: Path) -> None:
    root = write_project(tmp_path / "repo", EXCLUDED)
    text, policy = init(root)
    assert policy["files"]["exclude"] == ["conftest.py", "docs/", "examples/", "tests/"]
    assert '- "tests/"  # shop/tests, tests; 2 LLM call sites there' in text
    assert sorted(policy["use_cases"]) == ["evals-triage", "shop"]
    inventory = json.loads(run_cli("inventory", "--format", "json", "--no-cache", cwd=root).stdout)
    assert sorted(s["path"] for s in inventory["call_sites"]) == ["evals-triage/run.py", "shop/core.py"]


WRAPPED = {
    "app/llm.py": '''
        from openai import OpenAI

        client = OpenAI()


        def complete(prompt: str, model: str, max_tokens: int = 256) -> str:
            reply = client.chat.completions.create(
                model=model, max_tokens=max_tokens, messages=[{"role": "user", "content": prompt}]
            )
            return reply.choices[0].message.content or ""


        def fixed(prompt: str, max_tokens: int) -> str:
            reply = client.chat.completions.create(model="gpt-4o-mini", max_tokens=max_tokens, messages=[])
            return reply.choices[0].message.content or ""


        def lonely(prompt: str, model: str) -> str:
            return client.chat.completions.create(model=model, max_tokens=50, messages=[]).id


        class Assistant:
            def ask(self, question: str, model: str) -> str:
                reply = client.chat.completions.create(model=model, max_tokens=100, messages=[])
                return reply.choices[0].message.content or ""

            def twice(self, question: str) -> str:
                return self.ask(question, model="gpt-4o") + self.ask(question, model="gpt-4o-mini")
    ''',
    "app/triage.py": '''
        from app.llm import complete, fixed, lonely


        def triage(ticket: str) -> str:
            return complete(ticket, model="gpt-4o-mini", max_tokens=64) + fixed(ticket, 10) + fixed(ticket, 20)


        def summarise(ticket: str) -> str:
            return complete(ticket, model="gpt-4o", max_tokens=300) + lonely(ticket, "gpt-4o")
    ''',
    "app/search.py": '''
        from . import llm


        def answer(question: str) -> str:
            return llm.complete(question, model="gpt-4o-mini", max_tokens=128)
    ''',
    "tests/test_llm.py": '''
        from app.llm import complete

        def test_complete() -> None:
            assert complete("hi", model="fake-model")
    ''',
}

# (function, the lines that propose it): `fixed` (its model is written inside) and `lonely` (one caller) are not proposed
WRAPPERS = [
    ("app.llm.complete", ["#   - function: app.llm.complete  # app/llm.py:7: 1 LLM call inside; 3 calls of it in 2 files",
                          "#     provider: openai", "#     operation: chat", "#     model: model",
                          "#     max_output_tokens: max_tokens"]),
    ("app.llm.Assistant.ask", [("#   - function: app.llm.Assistant.ask  # app/llm.py:24: 1 LLM call inside; 2 calls of a "
                                "method named `ask` in 1 file (its module, or modules importing its class)"),
                               "#     provider: openai", "#     operation: chat", "#     model: model"]),
]


@pytest.mark.parametrize(("function", "lines"), WRAPPERS, ids=[row[0] for row in WRAPPERS])
def test_a_wrapper_is_proposed_for_a_project_function_that_takes_the_model(tmp_path: Path, function: str,
                                                                           lines: list[str]) -> None:
    root = write_project(tmp_path / "repo", WRAPPED)
    text, policy = init(root)
    assert "wrappers" not in policy  # commented out: it changes what counts as a call site
    proposed = re.findall(r"^#   - function: (\S+)", text, flags=re.MULTILINE)
    assert proposed == ["app.llm.Assistant.ask", "app.llm.complete"]
    block = text[text.index(f"#   - function: {function}"):]
    for line in lines:
        assert line in block.splitlines()[: len(lines) + 3], line


def test_a_proposed_wrapper_switched_on_moves_the_call_sites_to_its_callers(tmp_path: Path) -> None:
    root = write_project(tmp_path / "repo", WRAPPED)
    text, _ = init(root)
    start = text.index("# wrappers:")
    block = text[start:text.index("\n\n", start)]
    enabled = "\n".join(line[2:] if line.startswith("# ") and not line.startswith("# wrappers") else line
                        for line in block.splitlines() if line.startswith(("# wrappers", "#   ", "#     ")))
    enabled = enabled.replace("# wrappers:", "wrappers:")
    (root / "oberhahn-policy.yaml").write_text(text.replace(block, enabled), encoding="utf-8")
    assert run_cli("validate", cwd=root).exit_code == 0
    inventory = json.loads(run_cli("inventory", "--format", "json", "--no-cache", cwd=root).stdout)
    through = sorted((s["path"], s["api"], s["model"], s["max_output_tokens"]) for s in inventory["call_sites"]
                     if s["api"].startswith("app."))
    assert through == [("app/llm.py", "app.llm.Assistant.ask", "gpt-4o", None),
                       ("app/llm.py", "app.llm.Assistant.ask", "gpt-4o-mini", None),
                       ("app/search.py", "app.llm.complete", "gpt-4o-mini", 128),
                       ("app/triage.py", "app.llm.complete", "gpt-4o", 300),
                       ("app/triage.py", "app.llm.complete", "gpt-4o-mini", 64)]
    # the SDK calls inside the declared wrappers are no longer call sites; the others stay
    assert sorted(s["line"] for s in inventory["call_sites"] if s["api"].startswith("openai")) == [15, 20]


def test_init_validate_check_cost_on_a_fresh_project(tmp_path: Path) -> None:
    files = {**EXCLUDED, "shop/scripts/seed.py": call(), "shop/named.py": call(use_case="triage")}
    root = write_project(tmp_path / "repo", files)
    text, policy = init(root)
    # volumes are null placeholders, said so
    assert policy["use_cases"]["shop"]["budget"] == {"tasks_per_month": None, "avg_input_tokens": None,
                                                    "avg_output_tokens": None, "monthly_usd": None}
    assert "# PLACEHOLDERS: replace each null" in text
    validated = run_cli("validate", cwd=root)
    assert validated.exit_code == 0, validated.stderr
    assert "valid (4 use cases, 1 team)" in validated.stdout

    checked = json.loads(run_cli("check", "--no-cache", "--format", "json", cwd=root).stdout)
    assert not [f for f in checked["findings"] if f["code"] == "OBH101"]
    inventory = json.loads(run_cli("inventory", "--no-cache", "--format", "json", cwd=root).stdout)
    assert sorted((s["path"], s["use_case"]) for s in inventory["call_sites"]) == [
        ("evals-triage/run.py", "evals-triage"), ("shop/core.py", "shop"), ("shop/named.py", "triage"),
        ("shop/scripts/seed.py", "non-production")]

    cost = run_cli("cost", "--no-cache", cwd=root)
    assert cost.exit_code == 0, cost.stderr
    rows = [line for line in cost.stdout.splitlines() if line.startswith(("shop ", "evals-triage", "non-production", "triage"))]
    assert len(rows) == 4 and all(row.rstrip().endswith("volume not declared       -         -") for row in rows), rows
    assert "(unattributed)" not in cost.stdout and "$0.00" not in cost.stdout
    assert ("Total projected: not known, volume not declared for 4 use cases "
            "(evals-triage, non-production, shop, triage)") in cost.stdout
    assert ("shop: volume not declared: use_cases.shop.budget declares no tasks_per_month, avg_input_tokens, "
            "avg_output_tokens") in cost.stdout

    as_json = json.loads(run_cli("cost", "--no-cache", "--format", "json", cwd=root).stdout)
    assert as_json["total_monthly_usd"] is None and as_json["complete"] is False
    assert as_json["volume_not_declared"] == ["evals-triage", "non-production", "shop", "triage"]
    assert {u["name"]: u["missing_volume"] for u in as_json["use_cases"]}["shop"] == [
        "tasks_per_month", "avg_input_tokens", "avg_output_tokens"]
    assert [t["projected_monthly_usd"] for t in as_json["teams"]] == [None]

    # once the placeholders are replaced, the figure appears
    budget = "tasks_per_month: null    # tasks a month\n      avg_input_tokens: null   # prompt tokens per call\n" \
             "      avg_output_tokens: null"
    filled = text.replace(budget, "tasks_per_month: 1000\n      avg_input_tokens: 1000\n      avg_output_tokens: 100")
    (root / "oberhahn-policy.yaml").write_text(filled, encoding="utf-8")
    projected = run_cli("cost", "--no-cache", cwd=root).stdout
    assert "volume not declared" not in projected and re.search(r"Total projected: \$[0-9.]+ a month\n", projected)


def test_init_on_the_example_application(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "helpdesk-app")
    (app / "oberhahn-policy.yaml").unlink()
    written = run_cli("init", cwd=app)
    assert written.exit_code == 0, written.stderr
    assert "wrote oberhahn-policy.yaml from 8 LLM call sites" in written.stderr
    text = (app / "oberhahn-policy.yaml").read_text(encoding="utf-8")
    policy = yaml.safe_load(text)
    # use cases the code names, and one proposed for the package whose calls name none
    assert sorted(policy["use_cases"]) == ["billing", "invoice-summary", "kb-rerank", "kb-search", "ticket-triage"]
    assert policy["use_cases"]["ticket-triage"]["models"] == {"approved": ["gpt-6-luna"]}
    assert policy["use_cases"]["ticket-triage"]["paths"] == ["helpdesk/triage/classify.py"]
    # a model the catalog can't price is named in a comment, not approved (validate would reject it)
    assert "# \"gpt-6-luna-preview\" is called but the price catalog doesn't know it" in text
    assert policy["use_cases"]["billing"]["team"] == "helpdesk-app"
    assert policy["use_cases"]["billing"]["paths"] == ["helpdesk/billing/**"]
    assert "can't be read statically" in text
    assert sorted(policy["teams"]) == ["finance", "helpdesk-app", "support"]

    validated = run_cli("validate", cwd=app)
    assert validated.exit_code == 0, validated.stderr
    assert "valid (5 use cases, 3 teams)" in validated.stdout

    checked = run_cli("check", "--no-cache", cwd=app)
    assert checked.exit_code == 1
    findings = {tuple(line.split(" ", 2)[:2]) for line in checked.stdout.splitlines() if line.startswith("helpdesk/")}
    # every call is attributed now (the suppression that covered a billing call suppresses nothing); what the team
    # must still do: pin the model passed in, price or replace the preview model
    assert findings == {
        ("helpdesk/billing/summarise.py:20:1:", "OBH002"),
        ("helpdesk/search/embed.py:16:1:", "OBH002"),
        ("helpdesk/triage/classify.py:26:16:", "OBH202"),
        ("helpdesk/triage/classify.py:36:16:", "OBH201"),
        ("helpdesk/triage/classify.py:36:16:", "OBH205"),
    }


def test_init_refuses_to_overwrite_a_policy(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    before = (app / "oberhahn-policy.yaml").read_text(encoding="utf-8")
    refused = run_cli("init", cwd=app)
    assert refused.exit_code == 2 and "pass --force" in refused.stderr
    assert (app / "oberhahn-policy.yaml").read_text(encoding="utf-8") == before
    assert run_cli("init", "--force", cwd=app).exit_code == 0
    assert "Written by `oberhahn-policy init`" in (app / "oberhahn-policy.yaml").read_text(encoding="utf-8")


def test_init_in_a_repository_without_llm_calls(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "tool.py").write_text("print('hello')\n", encoding="utf-8")
    assert run_cli("init", cwd=tmp_path).exit_code == 0
    assert run_cli("validate", cwd=tmp_path).exit_code == 0
    assert run_cli("check", "--no-cache", cwd=tmp_path).exit_code == 0


def test_init_of_a_subdirectory_writes_paths_relative_to_the_policy(tmp_path: Path) -> None:
    root = write_project(tmp_path / "repo", {"service/billing/core.py": call()})
    assert run_cli("init", "service", cwd=root).exit_code == 0
    policy = yaml.safe_load((root / "service" / "oberhahn-policy.yaml").read_text(encoding="utf-8"))
    assert policy["use_cases"]["billing"]["paths"] == ["billing/**"]
    checked = run_cli("check", "--no-cache", cwd=root / "service")
    assert "OBH101" not in checked.stdout


def test_proposed_use_case_names_read_like_siblings() -> None:
    from oberhahn_policy.starter._policy import _package_names

    cases = [
        ([("src", "shop", "orders"), ("src", "shop", "search")], {"orders", "search"}),
        ([("services", "billing_api"), ("services", "support")], {"billing-api", "support"}),
        ([("app",)], {"my-repo"}),
        ([()], {"my-repo"}),
        ([("shop", "orders"), ("shop",)], {"orders", "shop"}),
    ]
    for packages, expected in cases:
        assert set(_package_names(packages, "my-repo").values()) == expected, packages


# (project of tests/realcode/projects.toml, what its starter policy must show beside a mapping of every call)
REAL_PROJECTS = [
    ("shell-gpt", lambda policy: policy["files"]["exclude"] == ["tests/"]),
    ("open-interpreter", lambda policy: policy["use_cases"]["non-production"]["paths"] == ["scripts/"]),
]


@pytest.mark.realcode
@pytest.mark.parametrize(("name", "shows"), REAL_PROJECTS, ids=[row[0] for row in REAL_PROJECTS])
def test_init_validate_check_cost_on_a_real_project(tmp_path: Path, name: str, shows: Callable[[dict], bool]) -> None:  # type: ignore[type-arg]
    project = next(p for p in load_projects() if p.name == name)
    try:
        unpacked = ensure_project(project)
    except RegistryUnreachable as problem:
        pytest.skip(f"package registry unreachable, real-code corpus not available: {problem}")
    except FetchError as problem:
        pytest.fail(f"real-code corpus could not be prepared: {problem}")
    root = tmp_path / name
    shutil.copytree(unpacked, root)
    (root / ".git").mkdir()
    _, policy = init(root)
    assert shows(policy)
    assert run_cli("validate", cwd=root).exit_code == 0
    checked = json.loads(run_cli("check", "--format", "json", cwd=root).stdout)
    assert checked["summary"]["call_sites"] > 0
    assert not [f for f in checked["findings"] if f["code"] == "OBH101"]
    cost = json.loads(run_cli("cost", "--format", "json", cwd=root).stdout)
    assert not cost["unattributed"]["call_sites"]
    busy = [u for u in cost["use_cases"] if u["call_sites"]]
    assert sum(len(u["call_sites"]) for u in busy) == checked["summary"]["call_sites"]
    assert all(u["projected_monthly_usd"] is None and "tasks_per_month" in u["missing_volume"] for u in busy)
    assert cost["total_monthly_usd"] is None
    text = run_cli("cost", cwd=root).stdout
    assert "Total projected: not known, volume not declared for" in text and "$0.00" not in text
