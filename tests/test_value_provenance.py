"""Honest verdicts: a default is never asserted as a fact, an unknown never reported as absent (issue 10, items 1, 3, 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_project, write_project
from oberhahn_policy.findings import Severity

POLICY = """\
version: 1
attribution:
  required: []
use_cases:
  triage:
    paths: ["app/**"]
    models:
      approved: ["gpt-6-luna"]{assume}
models:
  default: deny{trust}
rules:
  OBH301: {{severity: warning{unknown}}}
"""


def _findings(tmp_path: Path, source: str, *, assume: str = "", trust: bool = False, unknown: str = "") -> list[tuple[str, str, str]]:
    policy = POLICY.format(assume=f"\n      assume: [{assume}]" if assume else "",
                           trust="\n  trust_defaults: true" if trust else "",
                           unknown=f", unknown: {unknown}" if unknown else "")
    root = write_project(tmp_path / "p", {"app/main.py": source}, policy)
    return [(f.code, f.severity.value, f.message) for f in check_project(root).findings]


PARAMETER_DEFAULT = '''
    from openai import OpenAI

    client = OpenAI()

    def triage(text: str, model: str = "gpt-6-sol"):
        return client.chat.completions.create(model=model, messages=[], max_tokens=10)
'''


def test_a_parameter_default_is_reported_by_default_and_a_level_lower(tmp_path: Path) -> None:
    [(code, severity, message)] = _findings(tmp_path, PARAMETER_DEFAULT)
    assert (code, severity) == ("OBH201", "warning")
    assert message.startswith("model 'gpt-6-sol' by default (the default of a parameter callers may set: `model`)")


def test_the_policy_can_trust_defaults(tmp_path: Path) -> None:
    [(code, severity, _)] = _findings(tmp_path, PARAMETER_DEFAULT, trust=True)
    assert (code, severity) == ("OBH201", "error")


@pytest.mark.parametrize(("expression", "source"), [
    ('os.getenv("MODEL", "gpt-6-sol")', "the default of an environment variable"),
    ('settings_model() or "gpt-6-sol"', "the fallback of `x or DEFAULT`"),
])
def test_environment_defaults_and_fallbacks_are_defaults(tmp_path: Path, expression: str, source: str) -> None:
    source_code = f'''
        import os
        from openai import OpenAI
        from app.config import settings_model

        client = OpenAI()
        client.chat.completions.create(model={expression}, messages=[], max_tokens=10)
    '''
    [(code, severity, message)] = _findings(tmp_path, source_code)
    assert (code, severity) == ("OBH201", "warning")
    assert source in message


def test_branches_give_a_set_of_models_and_each_is_judged(tmp_path: Path) -> None:
    source = '''
        from openai import OpenAI

        client = OpenAI()

        def answer(deep: bool):
            model = "gpt-6-sol" if deep else "gpt-6-luna"
            return client.chat.completions.create(model=model, messages=[], max_tokens=10)
    '''
    [(code, severity, message)] = _findings(tmp_path, source)
    assert (code, severity) == ("OBH201", "error")
    assert "model 'gpt-6-sol' (one of 'gpt-6-sol', 'gpt-6-luna', which the code chooses between)" in message


CONFIG_DRIVEN = '''
    from openai import OpenAI
    from app.settings import load

    client = OpenAI()
    client.chat.completions.create(model=load().model, messages=[], max_tokens=10)
'''


def test_a_configuration_driven_model_is_unresolved_until_the_policy_declares_it(tmp_path: Path) -> None:
    [(code, _, message)] = _findings(tmp_path, CONFIG_DRIVEN)
    assert code == "OBH202" and "use_cases.triage.models.assume" in message
    assert _findings(tmp_path / "approved", CONFIG_DRIVEN, assume='"gpt-6-luna"') == []
    [(code, severity, message)] = _findings(tmp_path / "unapproved", CONFIG_DRIVEN, assume='"gpt-6-luna", "gpt-6-sol"')
    assert (code, severity) == ("OBH201", "error") and "model 'gpt-6-sol'" in message and "assumed by the policy" in message


HIDDEN_LIMIT = '''
    from openai import OpenAI

    client = OpenAI()

    def triage(**options):
        return client.chat.completions.create(model="gpt-6-luna", messages=[], **options)
'''


def test_a_limit_hidden_in_kwargs_is_unverified_not_absent(tmp_path: Path) -> None:
    [(code, severity, message)] = _findings(tmp_path, HIDDEN_LIMIT)
    assert (code, severity) == ("OBH301", "info")
    assert message == ("openai.chat.completions.create call's output-token limit can't be verified: `options` may hold "
                       "one; pass the limit by name")
    [(_, severity, _)] = _findings(tmp_path / "strict", HIDDEN_LIMIT, unknown="error")
    assert severity == Severity.ERROR.value


def test_no_output_limit_rule_on_operations_without_output_tokens(tmp_path: Path) -> None:
    source = '''
        import cohere
        from openai import OpenAI

        client = OpenAI()
        client.embeddings.create(model="text-embedding-3-small", input="hi")
        client.moderations.create(model="omni-moderation-latest", input="hi")
        cohere.ClientV2().rerank(model="rerank-v3.5", query="q", documents=["d"])
    '''
    assert [f for f in _findings(tmp_path, source) if f[0] == "OBH301"] == []
