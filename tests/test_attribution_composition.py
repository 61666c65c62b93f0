"""Attribution through imports and composition, the gateways' own carriers, and keys that can't be verified.

Issue 10 items 2 and 3: attribution (and the model and limit a `**` argument passes) is read through
constants and settings of other modules, dict merges, client derivations and settings fields; the
gateways' conventions are carriers of their own; a key that may be hidden where the tool can't read
it is reported as unverified, never as missing. Each case is one small project: `app/main.py` (the
call, at line `CALL`) and the modules it imports. Gateway formats: shared/reference/sdk-surface.md
section 4 (LiteLLM proxy request headers and spend tracking, Helicone custom properties, Portkey
metadata and portkey-ai 2.3.4 `createHeaders`, Cloudflare AI Gateway custom metadata).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check_project, write_project

from oberhahn_policy.callsite import CallSite
from oberhahn_policy.findings import Finding

OPENAI = "from openai import OpenAI\n"
#: A call that passes model and limit, so only attribution is judged.
CREATE = 'client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5{extra})\n'


def _project(tmp_path: Path, main: str, others: dict[str, str], policy: str | None = None
             ) -> tuple[CallSite, list[Finding]]:
    files = {"app/__init__.py": "", "app/main.py": main, **others}
    root = write_project(tmp_path / "project", files, policy)
    report = check_project(root)
    sites = [s for s in report.call_sites if s.path == "app/main.py"]
    assert len(sites) == 1, [s.site.api for s in sites]
    return sites[0], [f for f in report.findings if f.path == "app/main.py"]


def _call(extra: str = "", client: str = "OpenAI()", head: str = "") -> str:
    return OPENAI + head + f"client = {client}\n" + CREATE.format(extra=extra)


TEAM_USE_CASE = {"team": "support", "use_case": "triage"}
HEADERS = '{"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "triage"}'
METADATA = '{"team": "support", "use_case": "triage"}'

#: name -> (app/main.py, other modules, the attribution resolved)
PRESENT: dict[str, tuple[str, dict[str, str], dict[str, str | None]]] = {
    "dict-constant-relative-import": (
        _call(", metadata=BASE_METADATA", head="from .config import BASE_METADATA\n"),
        {"app/config.py": f"BASE_METADATA = {METADATA}\n"}, TEAM_USE_CASE),
    "settings-module-attribute": (
        _call(client="OpenAI(default_headers=settings.LLM_HEADERS)", head="from . import settings\n"),
        {"app/settings.py": f"LLM_HEADERS = {HEADERS}\n"}, TEAM_USE_CASE),
    "absolute-import-with-alias": (
        _call(client="OpenAI(default_headers=cfg.LLM_HEADERS)", head="import app.settings as cfg\n"),
        {"app/settings.py": f"LLM_HEADERS = {HEADERS}\n"}, TEAM_USE_CASE),
    "re-exported-through-two-modules": (
        _call(", metadata=METADATA", head="from .settings import METADATA\n"),
        {"app/settings.py": "from .common import BASE\nMETADATA = {**BASE, \"use_case\": \"triage\"}\n",
         "app/common.py": 'BASE = {"team": "support"}\n'}, TEAM_USE_CASE),
    "star-merge-of-an-import": (
        _call(', metadata={**BASE, "use_case": "triage"}', head="from .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support"}\n'}, TEAM_USE_CASE),
    "or-merge-of-an-import": (
        _call(', metadata=BASE | {"use_case": "triage"}', head="from .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support"}\n'}, TEAM_USE_CASE),
    "or-merge-local": (
        _call(', metadata=BASE | {"use_case": "triage"}', head='BASE = {"team": "support"}\n'), {}, TEAM_USE_CASE),
    "dict-call-merge": (
        _call(', metadata=dict(BASE, use_case="triage")', head="from .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support"}\n'}, TEAM_USE_CASE),
    "later-key-wins": (
        _call(', metadata={**BASE, "use_case": "triage"}', head="from .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support", "use_case": "old"}\n'}, TEAM_USE_CASE),
    "copy-of-an-import": (
        _call(", metadata=BASE.copy()", head="from .config import BASE\n"),
        {"app/config.py": f"BASE = {METADATA}\n"}, TEAM_USE_CASE),
    "with-options-headers": (
        _call(client="OpenAI().with_options(default_headers=H)", head="from .config import H\n"),
        {"app/config.py": f"H = {HEADERS}\n"}, TEAM_USE_CASE),
    "copy-client-headers": (
        _call(client="OpenAI().copy(default_headers=H)", head="from .config import H\n"),
        {"app/config.py": f"H = {HEADERS}\n"}, TEAM_USE_CASE),
    "pydantic-field-default-factory": (
        _call(", metadata=settings.meta", head="from .config import settings\n"),
        {"app/config.py": "from pydantic import Field\nfrom pydantic_settings import BaseSettings\n\n\n"
                          "class Settings(BaseSettings):\n"
                          f"    meta: dict[str, str] = Field(default_factory=lambda: {METADATA})\n\n\n"
                          "settings = Settings()\n"}, TEAM_USE_CASE),
    "dataclass-field-default-factory": (
        _call(", metadata=CONFIG.meta", head="from .config import CONFIG\n"),
        {"app/config.py": "from dataclasses import dataclass, field\n\n\n@dataclass(frozen=True)\nclass Config:\n"
                          f"    meta: dict[str, str] = field(default_factory=lambda: {METADATA})\n\n\n"
                          "CONFIG = Config()\n"}, TEAM_USE_CASE),
    "settings-factory-field": (
        _call(client="OpenAI(default_headers=get_settings().headers)", head="from .config import get_settings\n"),
        {"app/config.py": "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
                          f"    headers: dict[str, str] = {HEADERS}\n\n\n"
                          "def get_settings() -> Settings:\n    return Settings()\n"}, TEAM_USE_CASE),
    "settings-field-set-at-construction": (
        _call(", metadata=settings.meta", head="from .config import settings\n"),
        {"app/config.py": "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
                          '    meta: dict[str, str] = {"team": "other"}\n\n\n'
                          f"settings = Settings(meta={METADATA})\n"}, TEAM_USE_CASE),
    "exported-client-with-imported-headers": (
        "from .llm import client\n" + CREATE.format(extra=""),
        {"app/llm.py": OPENAI + "from .config import H\n\nclient = OpenAI(default_headers=H)\n",
         "app/config.py": f"H = {HEADERS}\n"}, TEAM_USE_CASE),
    "extra-body-constant": (
        _call(", extra_body=EXTRA", head="from .config import EXTRA\n"),
        {"app/config.py": f'EXTRA = {{"metadata": {METADATA}}}\n'}, TEAM_USE_CASE),
    "splat-of-an-import": (
        OPENAI + "from .config import OPTIONS\n\nclient = OpenAI()\n"
        'client.chat.completions.create(model="gpt-6-luna", messages=[], **OPTIONS)\n',
        {"app/config.py": f'OPTIONS = {{"max_tokens": 5, "metadata": {METADATA}}}\n'}, TEAM_USE_CASE),
    "imported-value-in-a-literal": (
        _call(', metadata={"team": TEAM, "use_case": "triage"}', head="from .config import TEAM\n"),
        {"app/config.py": 'TEAM = "support"\n'}, TEAM_USE_CASE),
    # the gateways' conventions
    "litellm-metadata-tags": (
        ("import litellm\n\n"
         'litellm.completion(model="gpt-6-luna", messages=[], max_tokens=5,\n'
         '                   metadata={"tags": ["team:support", "use_case:triage", "production"]})\n'), {}, TEAM_USE_CASE),
    "litellm-tags-through-the-openai-sdk": (
        _call(', extra_body={"metadata": {"tags": TAGS}}', head="from .config import TAGS\n"),
        {"app/config.py": 'TAGS = ["team:support", "use_case:triage"]\n'}, TEAM_USE_CASE),
    "litellm-top-level-tags": (
        _call(', extra_body={"tags": ["team:support", "use_case:triage"]}'), {}, TEAM_USE_CASE),
    "litellm-tag-header": (
        _call(', extra_headers={"x-litellm-tags": "team:support, use_case:triage"}'), {}, TEAM_USE_CASE),
    "litellm-tag-header-constant": (
        _call(client='OpenAI(default_headers={"X-LiteLLM-Tags": TAGS})', head="from .config import TAGS\n"),
        {"app/config.py": 'TAGS = "team:support,use_case:triage"\n'}, TEAM_USE_CASE),
    "litellm-tag-with-computed-value": (
        OPENAI + "client = OpenAI()\n\n\ndef run(name: str) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5,\n'
        '                                   extra_body={"tags": ["team:support", f"use_case:{name}"]})\n',
        {}, {"team": "support", "use_case": None}),
    "helicone-properties": (
        _call(', extra_headers={"Helicone-Property-Use-Case": "triage"}',
              client='OpenAI(default_headers={"Helicone-Property-Team": "support"})'), {}, TEAM_USE_CASE),
    "helicone-properties-imported": (
        _call(client="OpenAI(default_headers=settings.HELICONE)", head="from . import settings\n"),
        {"app/settings.py": 'HELICONE = {"Helicone-Auth": "Bearer k", "Helicone-Property-Team": "support",\n'
                            '            "Helicone-Property-Use-Case": "triage"}\n'}, TEAM_USE_CASE),
    "portkey-json-literal": (
        _call(', extra_headers={"x-portkey-metadata": \'{"team": "support", "use_case": "triage"}\'}'), {},
        TEAM_USE_CASE),
    "portkey-json-dumps": (
        _call(client=f'OpenAI(default_headers={{"x-portkey-metadata": json.dumps({METADATA})}})',
              head="import json\n"), {}, TEAM_USE_CASE),
    "portkey-json-dumps-imported": (
        _call(client='OpenAI(default_headers={"x-portkey-metadata": META})', head="from .config import META\n"),
        {"app/config.py": f"import json\n\nMETA = json.dumps({METADATA})\n"}, TEAM_USE_CASE),
    "portkey-create-headers": (
        _call(client=('OpenAI(base_url=PORTKEY_GATEWAY_URL, default_headers=createHeaders(api_key="k", '
                      f'metadata={METADATA}))'), head="from portkey_ai import PORTKEY_GATEWAY_URL, createHeaders\n"),
        {}, TEAM_USE_CASE),
    "cloudflare-json-dumps": (
        _call(', extra_headers={"cf-aig-metadata": json.dumps({**BASE, "use_case": "triage"})}',
              head="import json\n\nfrom .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support"}\n'}, TEAM_USE_CASE),
}


@pytest.mark.parametrize("name", PRESENT)
def test_attribution_is_read_through_imports_composition_and_gateways(tmp_path: Path, name: str) -> None:
    main, others, expected = PRESENT[name]
    site, findings = _project(tmp_path, main, others)
    assert {k: v for k, v in site.attribution if k in ("team", "use_case")} == expected
    assert [f.message for f in findings if f.code == "OBH101"] == []
    assert site.opaque_carriers == ()


#: name -> (app/main.py, other modules, a fragment of the one OBH101 message): nothing can carry the missing keys
ABSENT: dict[str, tuple[str, dict[str, str], str]] = {
    "imported-dict-without-the-key": (
        _call(", metadata=BASE", head="from .config import BASE\n"),
        {"app/config.py": 'BASE = {"team": "support"}\n'}, "missing attribution: use_case;"),
    "splat-of-an-import-without-attribution": (
        ("import litellm\n\nfrom .config import DEFAULTS\n\n"
         'litellm.completion(model="gpt-6-luna", messages=[], **DEFAULTS)\n'),
        {"app/config.py": 'DEFAULTS = {"temperature": 0.0, "max_tokens": 512}\n'}, "missing attribution: team, use_case;"),
    "extra-body-constant-without-metadata": (
        _call(", extra_body=EXTRA", head="from .config import EXTRA\n"),
        {"app/config.py": 'EXTRA = {"store": True}\n'}, "missing attribution: team, use_case;"),
    "tags-without-keys": (
        _call(', extra_headers={"x-litellm-tags": "production,eu"}'), {}, "missing attribution: team, use_case;"),
    "not-json": (
        _call(', extra_headers={"x-portkey-metadata": "team=support"}'), {}, "missing attribution: team, use_case;"),
    "none-carrier": (_call(", metadata=None"), {}, "missing attribution: team, use_case;"),
    "other-gateway-header": (
        _call(client='OpenAI(default_headers={"Helicone-Auth": "Bearer k", "X-Title": "app"})'), {},
        "missing attribution: team, use_case;"),
}


@pytest.mark.parametrize("name", ABSENT)
def test_a_key_nothing_can_carry_is_missing(tmp_path: Path, name: str) -> None:
    main, others, fragment = ABSENT[name]
    _, findings = _project(tmp_path, main, others)
    found = [f for f in findings if f.code == "OBH101"]
    assert len(found) == 1 and fragment in found[0].message, [f.message for f in found]
    assert not found[0].unverified and found[0].severity.value == "error"


#: name -> (app/main.py, other modules, fragment of the OBH101 message): a key may be where the tool can't read
UNKNOWN: dict[str, tuple[str, dict[str, str], str]] = {
    "kwargs": (
        OPENAI + "client = OpenAI()\n\n\ndef run(**options: object) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5, **options)\n', {},
        "team, use_case may be in `**options`"),
    "opaque-call": (
        OPENAI + "from .meta import build_meta\n\nclient = OpenAI()\n"
        + CREATE.format(extra=", metadata=build_meta()"),
        {"app/meta.py": "def build_meta() -> dict[str, str]:\n    return load()\n"},
        "team, use_case may be in `metadata=build_meta()`"),
    "partly-known-merge": (
        OPENAI + "client = OpenAI()\n\n\ndef run(extra: dict[str, str]) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5,\n'
        '                                   metadata={"team": "support", **extra})\n', {},
        "use_case may be in `**extra` in `metadata`, which can't be read statically (team is present)"),
    "imported-and-unreadable-merge": (
        OPENAI + "from .config import BASE\n\nclient = OpenAI()\n\n\ndef run(extra: dict[str, str]) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5, metadata={**BASE, **extra})\n',
        {"app/config.py": 'BASE = {"team": "support"}\n'}, "use_case may be in `**extra` in `metadata`"),
    "parameter-extra-body": (
        OPENAI + "client = OpenAI()\n\n\ndef run(extra: dict[str, object]) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5, extra_body=extra)\n', {},
        "team, use_case may be in `extra_body=extra`"),
    "import-cycle": (
        _call(", metadata=A", head="from .a import A\n"),
        {"app/a.py": "from .b import B\n\nA = {**B}\n", "app/b.py": 'from .a import A\n\nB = {**A, "team": "support"}\n'},
        "use_case may be in `**A` in `metadata`"),
    "module-outside-the-project": (
        _call(", metadata=BASE", head="from somewhere_else import BASE\n"), {}, "may be in `metadata=BASE`"),
    "dynamic-tag-header": (
        OPENAI + "client = OpenAI()\n\n\ndef run(tags: str) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5,\n'
        '                                   extra_headers={"x-litellm-tags": tags})\n', {},
        "may be in `extra_headers.x-litellm-tags=tags`"),
    "dynamic-tag-in-a-list": (
        ("import litellm\n\n\ndef run(tag: str) -> None:\n"
         '    litellm.completion(model="gpt-6-luna", messages=[], max_tokens=5, metadata={"tags": ["team:support", tag]})\n'),
        {}, "use_case may be in `metadata.tags=tag`"),
    "dynamic-json-header": (
        OPENAI + "client = OpenAI()\n\n\ndef run(meta: str) -> None:\n"
        '    client.chat.completions.create(model="gpt-6-luna", messages=[], max_tokens=5,\n'
        '                                   extra_headers={"cf-aig-metadata": meta})\n', {},
        "may be in `extra_headers.cf-aig-metadata=meta`"),
}


@pytest.mark.parametrize("name", UNKNOWN)
def test_a_key_that_may_be_hidden_is_unverified_not_missing(tmp_path: Path, name: str) -> None:
    main, others, fragment = UNKNOWN[name]
    _, findings = _project(tmp_path, main, others)
    found = [f for f in findings if f.code == "OBH101"]
    assert len(found) == 1, [f.message for f in found]
    assert found[0].message.startswith("attribution can't be verified: ") and fragment in found[0].message, \
        found[0].message
    assert "missing" not in found[0].message
    assert found[0].unverified and found[0].severity.value == "warning"


def test_the_policy_can_make_unverified_attribution_an_error(tmp_path: Path) -> None:
    main, others, _ = UNKNOWN["kwargs"]
    policy = "version: 1\nrules:\n  OBH101: {unknown: error}\n"
    _, findings = _project(tmp_path, main, others, policy)
    assert [(f.code, f.severity.value, f.unverified) for f in findings if f.code == "OBH101"] == \
        [("OBH101", "error", True)]


def test_model_and_limit_come_from_an_imported_splat(tmp_path: Path) -> None:
    main = OPENAI + "from .config import OPTIONS\n\nclient = OpenAI()\nclient.chat.completions.create(messages=[], **OPTIONS)\n"
    site, findings = _project(tmp_path, main, {"app/config.py": 'OPTIONS = {"model": "gpt-6-luna", "max_tokens": 300}\n'})
    assert (site.model, site.max_output_tokens, site.limit_state) == ("gpt-6-luna", 300, "present")
    assert not site.site.passes_hidden_keywords
    assert [f.code for f in findings if f.code in ("OBH202", "OBH301")] == []


def test_helicone_properties_count_whatever_the_policy_prefix(tmp_path: Path) -> None:
    main, others, expected = PRESENT["helicone-properties"]
    site, _ = _project(tmp_path, main, others, "version: 1\nattribution:\n  header_prefix: X-Acme-\n")
    assert dict(site.attribution) == expected


def test_gateway_entries_meet_the_gateway_limits(tmp_path: Path) -> None:
    """Entries read from an imported dict in a JSON header are checked like literal ones (OBH102, Cloudflare's 5)."""
    main = _call(', extra_headers={"cf-aig-metadata": json.dumps(META)}', head="import json\n\nfrom .config import META\n")
    meta = "{" + ", ".join(f'"k{i}": "v"' for i in range(4)) + ', "team": "support", "use_case": "triage"}'
    _, findings = _project(tmp_path, main, {"app/config.py": f"META = {meta}\n"})
    expected = ("extra_headers.cf-aig-metadata: the gateway reads at most 5 entries of `cf-aig-metadata` and ignores "
                "the rest; this call sends 6")
    assert [f.message for f in findings if f.code == "OBH102"] == [expected]


def test_layers_of_gateway_carriers_follow_the_policy(tmp_path: Path) -> None:
    """A client's headers are the `client` layer: a policy that doesn't count it doesn't count the gateway's either."""
    main, others, _ = PRESENT["litellm-tag-header-constant"]
    policy = "version: 1\nattribution:\n  carriers: [body, header]\n"
    site, findings = _project(tmp_path, main, others, policy)
    assert site.attribution == ()
    assert [f.message.split(";")[0] for f in findings if f.code == "OBH101"] == ["missing attribution: team, use_case"]


def test_imported_attribution_dict_on_the_corpus(tmp_path: Path) -> None:
    """tests/corpus nightly_digest: `labels=CONFIG.labels`, a dataclass field's `default_factory` dict in ../config.py."""
    corpus = Path(__file__).parent / "corpus"
    from oberhahn_policy import api
    from oberhahn_policy.policy import default_policy

    report = api.check(["nightly_digest/jobs/vertex_digest.py"], default_policy(),
                       api.CheckOptions(cwd=corpus, root=corpus, use_cache=False))
    teams = {s.site.line: dict(s.attribution).get("team") for s in report.call_sites if s.site.line in (18, 47)}
    assert teams == {18: "customer-success", 47: "customer-success"}
    messages = [f.message for f in report.findings if f.code == "OBH101" and f.line in (18, 47)]
    assert len(messages) == 2 and all(m.startswith("missing attribution: use_case;") for m in messages), messages
