"""The pre-filter is sound: no file that holds a call site (or builds a client) is ever left unparsed.

A file is parsed only if its bytes show an import that can lead to an LLM SDK (or to a project module
that exports a client, or a wrapper's package) and a name a call site is written with (a client
constructor, an SDK method or function from the surface data, a declared wrapper, an exported client)
that the import brings (`create` beside `import openai`, not beside a framework that only exports
constructors). Both are derived from data (`ExtractionInputs.roots`, `ExtractionInputs.call_names_by_root`).

Over every fixture application (tests/corpus, tests/holdout, tests/fixtures, examples), extraction is
run twice: as it runs, and with every file parsed. The call sites and exported clients must be the
same, and every file where the run with everything parsed finds one must pass the pre-filter. Over the
real-code answer keys (tests/realcode, where the sdists are cached), every file the key lists a call
site in must name a call its imports bring; the whole run is what the real-code accuracy test measures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from realcode.fetch import MARKER, cache_root, load_projects

from oberhahn_policy.api import extraction_inputs
from oberhahn_policy.callsite import ExportedClient, FileExtraction
from oberhahn_policy.discover import discover_files
from oberhahn_policy.extract import (
    ExtractionInputs,
    ExtractionSettings,
    WrapperSpec,
    extract_project,
    extract_source,
    may_contain_call_sites,
    project_clients,
)
from oberhahn_policy.extract import _file as file_stage
from oberhahn_policy.extract._candidates import CodeReading
from oberhahn_policy.extract import _project as project_stage
from oberhahn_policy.policy.load import resolve_policy
from oberhahn_policy.project import module_name
from oberhahn_policy.surface import load_surface

REPO = Path(__file__).resolve().parent.parent
APPLICATIONS = sorted(d for group in ("tests/corpus", "tests/holdout", "tests/fixtures", "examples")
                      for d in (REPO / group).iterdir() if d.is_dir() and any(d.rglob("*.py")))


def _extract(root: Path, *, everything: bool, monkeypatch: pytest.MonkeyPatch
             ) -> tuple[dict[str, FileExtraction], ExtractionInputs]:
    loaded = resolve_policy(None, root)
    inputs = extraction_inputs(loaded)
    fileset = discover_files([root], loaded.policy.files, root, root)
    with monkeypatch.context() as patch:
        if everything:
            patch.setattr(project_stage, "is_candidate", lambda source, inputs, module="": True)
            patch.setattr(file_stage, "read_code", lambda source, path, inputs, module: CodeReading(parse=True))
        extraction = extract_project(fileset, inputs, ExtractionSettings(jobs=1), entry_modules=True)
    return dict(extraction.files), inputs


def _found(files: dict[str, FileExtraction]) -> set[tuple[str, int, int, str, str]]:
    sites = {(s.path, s.line, s.column, s.api, s.provider) for e in files.values() for s in e.call_sites}
    exports = {(e.path, c.line, c.column, name, c.constructor) for e in files.values() for name, c in e.exports}
    return sites | exports


@pytest.mark.parametrize("root", APPLICATIONS, ids=lambda p: str(p.relative_to(REPO)))
def test_prefilter_keeps_every_call_site(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filtered, inputs = _extract(root, everything=False, monkeypatch=monkeypatch)
    everything, _ = _extract(root, everything=True, monkeypatch=monkeypatch)
    assert _found(filtered) == _found(everything)
    # every file with a call site or an exported client passes the filter, with the clients the run found known
    with_clients = ExtractionInputs(inputs.surface, inputs.wrappers, project_clients(everything.values()))
    holding = sorted(path for path, e in everything.items() if e.call_sites or e.exports)
    refused = [p for p in holding if not may_contain_call_sites((root / p).read_bytes(), with_clients, module_name(p))]
    assert refused == []


def _cached_sdist(name: str, version: str) -> Path | None:
    """The unpacked sdist of a real-code project when tests/realcode/fetch.py has fetched it (never downloads)."""
    home = cache_root() / f"{name}-{version}"
    try:
        recorded = json.loads((home / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    top = home / str(recorded.get("top", ""))
    return top if top.is_dir() else None


PROJECTS = load_projects()


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_answer_key_file_names_a_call_its_imports_bring(project: object) -> None:
    top = _cached_sdist(project.name, project.version)  # type: ignore[attr-defined]
    if top is None:
        pytest.skip("sdist not fetched (python tests/realcode/fetch.py)")
    key = yaml.safe_load((REPO / "tests" / "realcode" / "answers" / f"{project.name}.yaml").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    paths = sorted({e["path"] for e in key["call_sites"]})  # neutral entries may go either way
    prefilter = ExtractionInputs(load_surface()).prefilter
    unnamed = []
    for path in paths:
        source = (top / path).read_bytes()
        roots = prefilter.imported_roots(source)
        # a file importing no SDK gets its client from a project module: any name will do (the run passes it once
        # it knows that module's exported clients); otherwise a name its imports bring
        if not (prefilter.names_a_call(source, roots) if roots else prefilter.names.search(source) is not None):
            unnamed.append(path)
    assert unnamed == []


# --- shapes, one by one: the filter passes a file exactly when parsing it finds something -----------------

_WRAPPER = WrapperSpec("corp.llm.ask", "openai", "chat", "model", None, ())
_EXPORTED = {name: ExportedClient("openai", "openai", "openai.OpenAI", "client", path="app/llm.py", line=2, column=1)
             for name in ("app.llm.client", "llm.client", "client")}

# (id, source, declared wrappers, exported project clients, whether the file is parsed)
SHAPES = [
    ("a method on a client built here", "from openai import OpenAI\nOpenAI().chat.completions.create(model='m')\n",
     False, False, True),
    ("only types from the SDK", ("from openai.types import ChatCompletion\n\ndef show(c: ChatCompletion) -> str:\n"
                                 "    return c.id\n"), False, False, False),
    ("a function imported under another name", "from litellm import completion as ask\nask(model='gpt-4o')\n",
     False, False, True),
    ("a bound method called through a name", ("import anthropic\nc = anthropic.Anthropic()\n"
                                              "send = c.messages.create\nsend(model='claude-x', max_tokens=1, messages=[])\n"),
     False, False, True),
    ("a method handed to a forwarder", ("import asyncio\nfrom openai import AsyncOpenAI\n"
                                        "async def go(c: AsyncOpenAI):\n    await asyncio.to_thread(c.embeddings.create, model='e')\n"),
     False, False, True),
    ("a client built and exported", "import openai\nclient = openai.OpenAI()\n", False, False, True),
    ("the SDK imported, nothing called", "import openai\n\nERRORS = (openai.APIError,)\n", False, False, False),
    ("a declared wrapper", "from corp.llm import ask\nask(model='gpt-4o', prompt='hi')\n", True, False, True),
    ("the wrapper's package, no wrapper call", "from corp.llm import settings\nprint(settings)\n", True, False, False),
    ("a client another module exports", "from app.llm import client\nclient.chat.completions.create(model='m')\n",
     False, True, True),
    ("an exported client re-exported", "from app import llm\nclient = llm.client\n", False, True, True),
    ("a project module that exports nothing here", "from app.llm import helper\nhelper()\n", False, True, False),
    # names count beside the imports that bring them
    ("another SDK's method beside a framework's import", "from langchain_community.utils import helper\nhelper.create(model='m')\n",
     False, False, False),
    ("a Bedrock method beside boto3 (its factory makes the client)", ("import boto3\nbedrock = boto3.client('bedrock-runtime')\n"
     "bedrock.converse(modelId='anthropic.claude-3-haiku-20240307-v1:0', messages=[])\n"), False, False, True),
    ("imports on one line after a semicolon", "import os; import openai\nopenai.OpenAI().chat.completions.create(model='m')\n",
     False, False, True),
]


@pytest.mark.parametrize(("name", "source", "wrapper", "exported", "parsed"), SHAPES, ids=[s[0] for s in SHAPES])
def test_prefilter_shapes(name: str, source: str, wrapper: bool, exported: bool, parsed: bool) -> None:
    inputs = ExtractionInputs(load_surface(), (_WRAPPER,) if wrapper else (), dict(_EXPORTED) if exported else {})
    data = source.encode()
    assert may_contain_call_sites(data, inputs) is parsed
    everything = extract_source("app/main.py", data, "app.main", inputs, force_parse=True)
    assert everything.problem is None
    # what parsing finds: a call site, a client it exports, or a client it re-exports
    assert bool(everything.call_sites or everything.exports or set(everything.client_names) & set(_EXPORTED)) is parsed


def test_a_wrapper_imported_relatively_inside_its_package_is_parsed() -> None:
    """`from .llm import ask` in `corp/main.py` reaches the declared wrapper `corp.llm.ask` (it used to be skipped)."""
    inputs = ExtractionInputs(load_surface(), (_WRAPPER,), {})
    source = b"from .llm import ask\nask(model='gpt-4o', prompt='hi')\n"
    assert may_contain_call_sites(source, inputs)
    [site] = extract_source("corp/main.py", source, "corp.main", inputs).call_sites
    assert site.api == "corp.llm.ask"
    assert not may_contain_call_sites(b"from .llm import helper\nhelper()\n", inputs)


def test_every_way_of_reaching_an_exported_client_is_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files that import no SDK and use a client another module exports are found after that module is read,
    however they import it; a file whose imports can't reach it, or that never names the client, stays unparsed."""
    call = ".chat.completions.create(model='gpt-4o', messages=[], max_tokens=5)\n"
    files = {
        "app/__init__.py": "",
        "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
        "app/direct.py": "from app.llm import client\nclient" + call,
        "app/package.py": "from app import llm\nllm.client" + call,
        "app/dotted.py": "import app.llm\napp.llm.client" + call,
        "app/top.py": "import app\napp.llm.client" + call,
        "app/relative.py": "from . import llm\nllm.client" + call,
        "app/sibling.py": "from .llm import client as c\nc" + call,
        "app/other.py": "from app import settings\nclient = settings.client\nclient.close()\n",
        "app/unnamed.py": "from app import llm\nprint(llm)\n",
        "app/settings.py": "client = None\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    filtered, _ = _extract(tmp_path, everything=False, monkeypatch=monkeypatch)
    everything, _ = _extract(tmp_path, everything=True, monkeypatch=monkeypatch)
    assert _found(filtered) == _found(everything)
    assert {e.path for e in filtered.values() if e.call_sites} == {
        "app/direct.py", "app/package.py", "app/dotted.py", "app/top.py", "app/relative.py", "app/sibling.py"}
    assert not filtered["app/other.py"].parsed and not filtered["app/unnamed.py"].parsed


def test_an_sdks_own_module_importing_it_relatively_is_parsed() -> None:
    """`from .. import OpenAI` in `openai/lib/computer.py` (an SDK's source in a monorepo) imports the SDK."""
    inputs = ExtractionInputs(load_surface())
    source = b"from .. import OpenAI\n\ndef run(client: OpenAI):\n    return client.responses.create(model='gpt-4o')\n"
    assert may_contain_call_sites(source, inputs, "openai.lib.computer")
    assert not may_contain_call_sites(source, inputs, "app.lib.computer")
    [site] = extract_source("openai/lib/computer.py", source, "openai.lib.computer", inputs).call_sites
    assert site.api == "openai.responses.create"


# The second stage: the names must be in the code, as Python compiles it, not in its comments or docstrings.
CODE_SHAPES = [
    ("a call name only in a docstring and a comment",
     '"""Wraps client.chat.completions.create() for the app."""\nimport openai\n\n# create() is called elsewhere\n'
     "ERRORS = (openai.APIError,)\n", False),
    ("a call name only in an import's module path", "import openai\nfrom instructor.core.patch import *\n"
     "ERRORS = (openai.APIError,)\n", False),
    ("a call inside an assert", "from openai import OpenAI\nassert OpenAI().chat.completions.create(model='m')\n", True),
    ("a client named only in a string annotation",
     ("from __future__ import annotations\nimport typing\nif typing.TYPE_CHECKING:\n    import openai\n\n"
      "def ask(c: 'openai.OpenAI | None'):\n    return c.responses.create(model='m')\n"), True),
    ("a method taken by a literal name", "import openai\nc = openai.OpenAI()\nsend = getattr(c.chat.completions, 'create')\n",
     True),
    ("syntax Python can't compile: libcst decides", "from openai import OpenAI\nprint 'create'\n", True),
]


@pytest.mark.parametrize(("name", "source", "parsed"), CODE_SHAPES, ids=[s[0] for s in CODE_SHAPES])
def test_code_names_decide_after_the_byte_scan(name: str, source: str, parsed: bool) -> None:
    inputs = ExtractionInputs(load_surface())
    data = source.encode()
    assert may_contain_call_sites(data, inputs)  # every shape passes the byte scan
    extraction = extract_source("app/main.py", data, "app.main", inputs)
    assert extraction.parsed is parsed or extraction.problem is not None
    everything = extract_source("app/main.py", data, "app.main", inputs, force_parse=True)
    if not parsed:
        assert not everything.call_sites and not everything.exports and extraction.import_lines.startswith("import openai")
