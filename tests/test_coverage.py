"""No silent passes (issue 10 item 4): where an SDK goes out of sight, OBH003 says so, and the summary counts the files
that import an LLM SDK whatever was found in them."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_project, run_cli, write_project

#: The shape of the issue's project: litellm reached through a lazy proxy module, so no name is bound to the SDK.
LAZY_MODULE = {
    "app/__init__.py": "",
    "app/_lazy.py": """
        def __getattr__(name):
            if name == "litellm":
                import litellm

                return litellm
            raise AttributeError(name)
    """,
    "app/answer.py": """
        from app._lazy import litellm


        def answer(question: str) -> str:
            reply = litellm.completion(model="gpt-6-luna", messages=[{"role": "user", "content": question}])
            return reply.choices[0].message.content
    """,
}

ROWS = [
    pytest.param(LAZY_MODULE, [("app/_lazy.py", 2, "litellm is reached through a lazy import")], id="module __getattr__"),
    pytest.param({"app.py": """
        import importlib


        class _Lazy:
            def __getattr__(self, name):
                return getattr(importlib.import_module("litellm"), name)


        litellm = _Lazy()
        litellm.completion(model="gpt-6-luna", messages=[])
    """}, [("app.py", 6, "`__getattr__` imports litellm on first use")], id="proxy class"),
    pytest.param({"app.py": """
        import importlib

        anthropic = importlib.import_module("anthropic")
        anthropic.Anthropic().messages.create(model="claude-haiku-5-5", max_tokens=10, messages=[])
    """}, [("app.py", 4, 'importlib.import_module("anthropic")')], id="import_module bound to a name"),
    pytest.param({"app.py": """
        import importlib

        try:
            importlib.import_module("cohere")
        except ModuleNotFoundError:
            raise SystemExit("pip install cohere")
    """}, [], id="import_module as an installed-check is not a use"),
    pytest.param({"app.py": """
        from openai import OpenAI

        client = OpenAI()


        def call(endpoint: str, **kwargs):
            return getattr(client, endpoint).create(**kwargs)
    """}, [("app.py", 8, "getattr(client, endpoint)")], id="getattr by a computed name"),
    pytest.param({"app.py": """
        import tenacity
        from openai import OpenAI

        client = OpenAI()
        create = tenacity.retry(stop=tenacity.stop_after_attempt(3))(client.chat.completions.create)
    """}, [("app.py", 6, "client.chat.completions.create passed to")], id="callable handed to an unknown function"),
    pytest.param({"app.py": """
        import asyncio

        from openai import OpenAI

        client = OpenAI()


        async def ask(question: str) -> str:
            reply = await asyncio.to_thread(client.chat.completions.create, model="gpt-6-luna", max_tokens=50,
                                            messages=[{"role": "user", "content": question}])
            return reply.choices[0].message.content
    """}, [], id="callable handed to a known forwarder is followed"),
    pytest.param({"app.py": """
        from openai import OpenAI

        client = OpenAI()
        handlers = {"embed": client.embeddings}
        name = getattr(client, "api_key")
    """}, [], id="objects kept, literal getattr: nothing hidden"),
]


@pytest.mark.parametrize(("files", "expected"), ROWS)
def test_unfollowed_sdk_use_is_reported(tmp_path: Path, files: dict[str, str], expected: list[tuple[str, int, str]]) -> None:
    result = check_project(write_project(tmp_path, files))
    found = [f for f in result.findings if f.code == "OBH003"]
    assert [(f.path, f.line) for f in found] == [(path, line) for path, line, _ in expected], [f.message for f in found]
    for finding, (_, _, fragment) in zip(found, expected):
        assert fragment in finding.message and "wrappers:" in finding.message


def test_a_lazy_proxy_project_is_not_a_silent_pass(tmp_path: Path) -> None:
    """Before: `No findings. Checked 3 files, 0 LLM call sites.` and exit 0."""
    root = write_project(tmp_path, LAZY_MODULE)
    result = run_cli("check", ".", "--no-cache", cwd=root)
    assert result.exit_code == 0  # a warning: the gate's fail-on level decides
    assert "app/_lazy.py:2:5: OBH003 litellm is reached through a lazy import" in result.stdout
    assert result.stdout.rstrip().endswith("Checked 3 files (1 imports an LLM SDK), 0 LLM call sites.")


def test_declaring_the_wrapper_turns_the_calls_into_call_sites(tmp_path: Path) -> None:
    """The remedy OBH003 names: a `wrappers:` entry for the function that makes the call."""
    root = write_project(tmp_path, LAZY_MODULE, policy="""
        version: 1
        wrappers:
          - function: app.answer.answer
            provider: openai
            models: [gpt-6-luna]
    """)
    write_project(root, {"app/main.py": """
        from app.answer import answer

        print(answer("Where is my parcel?"))
    """})
    found = check_project(root)
    assert [(c.path, c.site.line, c.models) for c in found.call_sites] == [("app/main.py", 4, ("gpt-6-luna",))]


def test_a_file_the_pre_filter_skips_still_counts_as_importing_an_sdk(tmp_path: Path) -> None:
    """It names no call an SDK is made with, so it is never parsed; its import line still counts in the summary."""
    root = write_project(tmp_path, {"app.py": """
        import openai

        SDK_VERSION = openai.__version__
    """, "other.py": "x = 1\n"})
    result = run_cli("check", ".", "--no-cache", cwd=root)
    assert result.stdout.rstrip().endswith("Checked 2 files (1 imports an LLM SDK), 0 LLM call sites.")
