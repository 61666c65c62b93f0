"""Static prompts: every form the code writes them in, the token estimate's measured error, caching hints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import REPO, check_project, write_project

from oberhahn_policy.prompts import estimate_tokens

PROMPTS = REPO / "tests" / "fixtures" / "prompts"
COUNTS = PROMPTS / "token-counts.json"
ENCODINGS = ("o200k_base", "cl100k_base")

# --- the token estimate, against recorded tokenizer counts ---------------------------------------


def _prompt_files() -> list[Path]:
    return sorted(p for p in PROMPTS.iterdir() if p.suffix in (".md", ".txt"))


def test_recorded_counts_match_the_tokenizers() -> None:
    """Regenerate with UPDATE_GOLDEN=1 (needs `pip install bpe-openai`, whose wheel ships the vocabularies)."""
    bpe = pytest.importorskip("bpe_openai")
    measured = {p.name: {name: len(bpe.get_encoding(name).encode(p.read_text(encoding="utf-8"))) for name in ENCODINGS}
                for p in _prompt_files()}
    if os.environ.get("UPDATE_GOLDEN"):
        COUNTS.write_text(json.dumps(measured, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(COUNTS.read_text(encoding="utf-8")) == measured


@pytest.mark.parametrize("path", _prompt_files(), ids=lambda p: p.name)
def test_estimate_is_within_the_documented_error(path: Path) -> None:
    counts = json.loads(COUNTS.read_text(encoding="utf-8"))[path.name]
    estimate = estimate_tokens(path.read_text(encoding="utf-8"))
    assert -0.05 <= (estimate - counts["o200k_base"]) / counts["o200k_base"] <= 0.13
    assert -0.20 <= (estimate - counts["cl100k_base"]) / counts["cl100k_base"] <= 0.13


def test_estimate_basics() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("hello") == 2
    assert estimate_tokens("word " * 1000) > estimate_tokens("word " * 100) * 9


# --- forms of a static prompt --------------------------------------------------------------------

_CALL = ("client.chat.completions.create(model=\"gpt-6-luna\", max_completion_tokens=5,\n"
         "    messages=[{\"role\": \"system\", \"content\": SYSTEM}, {\"role\": \"user\", \"content\": ticket}])\n")
_HEAD = "from pathlib import Path\nfrom textwrap import dedent\n\nfrom openai import OpenAI\n\nclient = OpenAI()\nticket = input()\n"

FORMS = {
    "literal": ('SYSTEM = "Route the ticket."\n', "Route the ticket."),
    "concatenation": ('PREFIX = "Route "\nSYSTEM = PREFIX + "the ticket."\n', "Route the ticket."),
    "implicit-concatenation": ('SYSTEM = ("Route "\n    "the ticket.")\n', "Route the ticket."),
    "dedent": ('SYSTEM = dedent("""\\\n    Route the ticket.\n    Answer in one word.\n""")\n', "Route the ticket.\nAnswer in one word.\n"),
    "f-string-resolved": ('QUEUES = "billing, technical"\nSYSTEM = f"Route the ticket to one of: {QUEUES}."\n',
                          "Route the ticket to one of: billing, technical."),
    "f-string-template": ('SYSTEM = f"Route the ticket for {ticket}."\n', "Route the ticket for {ticket}."),
    "format-template": ('SYSTEM = "Route the ticket for {name}.".format(name=ticket)\n', "Route the ticket for {name}."),
    "path-read-text": ('SYSTEM = Path("prompts/route.md").read_text()\n', "Route from a file.\n"),
    "path-beside-module": ('SYSTEM = (Path(__file__).parent / "route.md").read_text(encoding="utf-8")\n', "Beside the module.\n"),
    "path-with-name": ('SYSTEM = Path(__file__).with_name("route.md").read_text()\n', "Beside the module.\n"),
    "open-read": ('with open("prompts/route.md", encoding="utf-8") as handle:\n    SYSTEM = handle.read()\n', "Route from a file.\n"),
    "open-read-inline": ('SYSTEM = open("prompts/route.md").read()\n', "Route from a file.\n"),
    "imported-constant": ("from app.prompts import SYSTEM\n", "Imported from another module."),
}


@pytest.mark.parametrize("form", FORMS)
def test_static_prompt_forms(tmp_path: Path, form: str) -> None:
    definition, expected = FORMS[form]
    files = {
        "app/service.py": _HEAD + definition + _CALL,
        "app/prompts.py": 'SYSTEM = "Imported from another module."\n',
        "app/route.md": "Beside the module.\n",
        "prompts/route.md": "Route from a file.\n",
    }
    root = write_project(tmp_path / "p", files, "version: 1\nattribution:\n  required: []\n")
    [site] = check_project(root).call_sites
    assert site.prompt is not None
    assert site.prompt.text == expected
    assert site.prompt.roles == ("system",)
    assert site.prompt.dynamic == ("ticket",)


def test_a_prompt_file_outside_the_project_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("outside\n")
    source = _HEAD + 'SYSTEM = Path("../secret.md").read_text()\n' + _CALL
    root = write_project(tmp_path / "p", {"app/service.py": source}, "version: 1\nattribution:\n  required: []\n")
    [site] = check_project(root).call_sites
    assert site.prompt is None


@pytest.mark.parametrize(("keyword", "value"), [
    ("system", '"Be brief."'),
    ("system", '[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]'),
], ids=["plain-string", "cache-control-block"])
def test_anthropic_system_prompt_and_cache_marker(tmp_path: Path, keyword: str, value: str) -> None:
    source = ("import anthropic\n\nclaude = anthropic.Anthropic()\nclaude.messages.create(model=\"claude-haiku-5-5\", max_tokens=5,\n"
              f"    {keyword}={value}, messages=[{{\"role\": \"user\", \"content\": \"hi\"}}])\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, "version: 1\nattribution:\n  required: []\n")
    [site] = check_project(root).call_sites
    assert site.prompt is not None and site.prompt.text == "Be brief.\n\nhi"
    assert site.prompt.cache_marker == ("cache_control" in value)


def test_responses_instructions_and_prompt_cache_key(tmp_path: Path) -> None:
    source = ("from openai import OpenAI\n\nclient = OpenAI()\nclient.responses.create(model=\"gpt-6-luna\", max_output_tokens=5,\n"
              "    instructions=\"Be brief.\", input=\"hi\", prompt_cache_key=\"triage-v1\")\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, "version: 1\nattribution:\n  required: []\n")
    [site] = check_project(root).call_sites
    assert site.prompt is not None and site.prompt.roles == ("instructions", "user")
    assert site.prompt.cache_marker


def test_embeddings_input_is_not_a_prompt(tmp_path: Path) -> None:
    source = "from openai import OpenAI\n\nclient = OpenAI()\nclient.embeddings.create(model=\"text-embedding-3-small\", input=\"x\" * 5)\n"
    root = write_project(tmp_path / "p", {"app/service.py": source}, "version: 1\nattribution:\n  required: []\n")
    [site] = check_project(root).call_sites
    assert site.prompt is None


# --- OBH401 --------------------------------------------------------------------------------------

_LIMIT_POLICY = "version: 1\nattribution:\n  required: []\ninstrumentation:\n  max_static_prompt_tokens: {limit}\n"


def _obh401(tmp_path: Path, source: str, limit: int, prompt: str, code: str = "OBH401") -> list[str]:
    root = write_project(tmp_path / "p", {"app/service.py": source, "app/prompt.md": prompt},
                         _LIMIT_POLICY.format(limit=limit))
    return [f.message for f in check_project(root).findings if f.code == code]


_ANTHROPIC = ("from pathlib import Path\n\nimport anthropic\n\nclaude = anthropic.Anthropic()\n"
              "PROMPT = (Path(__file__).parent / \"prompt.md\").read_text()\n\n\ndef run(ticket: str) -> None:\n"
              "    claude.messages.create(model=\"claude-sonnet-5-5\", max_tokens=5, system={system},\n"
              "        messages=[{{\"role\": \"user\", \"content\": ticket}}])\n")
_BIG = (PROMPTS / "reply-drafts.md").read_text(encoding="utf-8") * 5


def test_large_uncached_prompt_is_oversized_and_cacheable(tmp_path: Path) -> None:
    [message] = _obh401(tmp_path, _ANTHROPIC.format(system="PROMPT"), 1000, _BIG)
    assert "from app/prompt.md" in message and "cache" not in message  # caching is OBH307's
    [cacheable] = _obh401(tmp_path / "again", _ANTHROPIC.format(system="PROMPT"), 1000, _BIG, code="OBH307")
    assert "above Anthropic's minimum cacheable size (1,024 tokens)" in cacheable and "`cache_control`" in cacheable
    # the policy declares no volumes: no figure, and the message says what is missing
    assert "unattributed.budget declares no avg_input_tokens" in cacheable


def test_large_cached_prompt_is_not_obh307(tmp_path: Path) -> None:
    system = '[{"type": "text", "text": PROMPT, "cache_control": {"type": "ephemeral"}}]'
    [message] = _obh401(tmp_path, _ANTHROPIC.format(system=system), 1000, _BIG)
    assert "cache" not in message
    assert _obh401(tmp_path / "again", _ANTHROPIC.format(system=system), 1000, _BIG, code="OBH307") == []


def test_prompt_below_the_cacheable_size_is_not_obh307(tmp_path: Path) -> None:
    [message] = _obh401(tmp_path, _ANTHROPIC.format(system="PROMPT"), 100, (PROMPTS / "reply-drafts.md").read_text())
    assert "cache" not in message
    assert _obh401(tmp_path / "again", _ANTHROPIC.format(system="PROMPT"), 100, (PROMPTS / "reply-drafts.md").read_text(),
                   code="OBH307") == []


@pytest.mark.parametrize("limit", [2000, 10_000])
def test_prompt_within_the_limit_does_not_fire(tmp_path: Path, limit: int) -> None:
    assert _obh401(tmp_path, _ANTHROPIC.format(system="PROMPT"), limit, (PROMPTS / "reply-drafts.md").read_text()) == []


def test_dynamic_prompt_does_not_fire(tmp_path: Path) -> None:
    source = _ANTHROPIC.format(system="ticket * 100")
    assert _obh401(tmp_path, source, 10, "unused") == []


def test_without_a_limit_the_rule_is_silent(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"app/service.py": _ANTHROPIC.format(system="PROMPT"), "app/prompt.md": _BIG},
                         "version: 1\nattribution:\n  required: []\n")
    assert [f for f in check_project(root).findings if f.code == "OBH401"] == []


# --- framework message forms, on the collector directly (no framework SDK is needed for these) ---


def _collect(source: str, framework: str | None) -> list[tuple[str, str | None]]:
    import libcst as cst

    from oberhahn_policy.extract._bindings import ModuleReader
    from oberhahn_policy.extract._model import ModuleModel
    from oberhahn_policy.extract._prompts import PromptCollector
    from oberhahn_policy.surface import load_surface

    module = cst.parse_module(source)
    reader = ModuleReader(module, "app.chain").read()
    model = ModuleModel(reader, load_surface(), {})
    call = next(c for c in reader.calls if isinstance(c.node.func, cst.Attribute) and c.node.func.attr.value == "invoke")
    info = PromptCollector(reader, model).prompt(call, framework)
    assert info is not None
    return [(p.role, p.text.value if p.text is not None else None) for p in info.parts]


def test_langchain_messages_and_tuples() -> None:
    source = ("from langchain_core.messages import HumanMessage, SystemMessage\n\nSYSTEM = \"Be brief.\"\n"
              "llm.invoke([SystemMessage(content=SYSTEM), (\"human\", \"Summarise {text}\"), HumanMessage(text)])\n")
    assert _collect(source, "langchain") == [("system", "Be brief."), ("user", "Summarise {text}"), ("user", None)]


def test_positional_input_only_for_frameworks_that_take_it() -> None:
    source = "llm.invoke(\"Summarise the thread.\")\n"
    assert _collect(source, "langchain") == [("user", "Summarise the thread.")]
    with pytest.raises(AssertionError):
        _collect(source, None)
