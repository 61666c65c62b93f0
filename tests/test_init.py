"""`init` on the example application: a starter policy that validates and on which `check` finds what matters."""

from __future__ import annotations

from pathlib import Path

import yaml
from helpers import copy_example_app, run_cli


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
    assert policy["use_cases"]["ticket-triage"] == {
        "team": "support", "models": {"approved": ["gpt-6-luna"]}}
    # a model the catalog can't price is named in a comment, not approved (validate would reject it)
    assert "# \"gpt-6-luna-preview\" is called but the price catalog doesn't know it" in text
    assert policy["use_cases"]["billing"]["team"] == "helpdesk-app"
    assert '# paths: ["helpdesk/billing/**"]' in text
    assert "can't be read statically" in text
    assert sorted(policy["teams"]) == ["finance", "helpdesk-app", "support"]

    validated = run_cli("validate", cwd=app)
    assert validated.exit_code == 0, validated.stderr
    assert "valid (5 use cases, 3 teams)" in validated.stdout

    checked = run_cli("check", "--no-cache", cwd=app)
    assert checked.exit_code == 1
    findings = {tuple(line.split(" ", 2)[:2]) for line in checked.stdout.splitlines() if line.startswith("helpdesk/")}
    # what the team must still do: attribute the billing calls, pin the model passed in, drop a stale suppression
    assert findings >= {
        ("helpdesk/billing/summarise.py:11:15:", "OBH101"),
        ("helpdesk/search/embed.py:16:1:", "OBH002"),
        ("helpdesk/triage/classify.py:26:16:", "OBH202"),
    }
    # the model the catalog can't price stays unapproved, and is reported as unpriced and unapproved
    assert {("helpdesk/triage/classify.py:36:16:", "OBH205"), ("helpdesk/triage/classify.py:36:16:", "OBH201")} <= findings
    # and nothing else the starter policy settles: every use case declared, every priced model in use approved
    assert not {code for _, code in findings} & {"OBH103"}
    assert {where for where, code in findings if code == "OBH201"} == {"helpdesk/triage/classify.py:36:16:"}


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
