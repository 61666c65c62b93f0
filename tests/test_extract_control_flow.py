"""Values follow control flow: a sibling branch's assignment never flows into another branch, code that
never runs (`if TYPE_CHECKING:`) holds no call site, and where branches disagree the reader knows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_helpers import Row, call_sites

CASES = [
    ("sibling-elif-reassignment-does-not-leak", '''
        from langchain_aws import ChatBedrock
        from langchain_openai import ChatOpenAI

        def make(provider: str, model: str):
            kwargs = {"model": model, "max_tokens": 512}
            if provider == "bedrock":
                kwargs = {"model_id": "anthropic.claude-3-haiku-20240307-v1:0"}
                return ChatBedrock(**kwargs)
            elif provider == "openai":
                return ChatOpenAI(**kwargs)
        ''', [
        ("aws-bedrock", "langchain_aws.ChatBedrock", "anthropic.claude-3-haiku-20240307-v1:0", None),
        ("openai", "langchain_openai.ChatOpenAI", None, 512),
    ]),
    ("else-branch-sees-the-value-before-the-if", '''
        from openai import OpenAI

        client = OpenAI()

        def answer(strict: bool):
            model = "gpt-4o-mini"
            if strict:
                model = "gpt-4o"
                return client.chat.completions.create(model=model, messages=[], max_tokens=10)
            else:
                return client.chat.completions.create(model=model, messages=[], max_tokens=10)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o", 10),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 10),
    ]),
    ("match-cases-are-exclusive", '''
        from openai import OpenAI

        client = OpenAI()

        def answer(kind: str):
            model = "gpt-4o-mini"
            match kind:
                case "deep":
                    model = "o3"
                case _:
                    return client.chat.completions.create(model=model, messages=[], max_tokens=10)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 10),
    ]),
    ("except-handler-is-exclusive-with-else", '''
        from openai import OpenAI

        client = OpenAI()

        def answer():
            model = "gpt-4o-mini"
            try:
                pass
            except ValueError:
                model = "gpt-4o"
            else:
                return client.chat.completions.create(model=model, messages=[], max_tokens=10)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 10),
    ]),
    ("type-checking-block-is-not-code-that-runs", '''
        from typing import TYPE_CHECKING

        from openai import OpenAI

        if TYPE_CHECKING:
            OpenAI().chat.completions.create(model="gpt-4o", messages=[])
        ''', []),
    # a binding's value is read as things stood before it: the name it rebinds means its earlier value there
    ("a-client-rebound-from-itself", '''
        from openai import OpenAI

        client = OpenAI()
        client = client.with_options(timeout=5)
        client.chat.completions.create(model="gpt-4o", messages=[], max_tokens=10)
        ''', [("openai", "openai.chat.completions.create", "gpt-4o", 10)]),
    ("a-model-rebound-from-itself", '''
        from openai import OpenAI

        def answer(client: OpenAI):
            model = "gpt-4o"
            model = model + "-mini"
            return client.chat.completions.create(model=model, messages=[], max_tokens=10)
        ''', [("openai", "openai.chat.completions.create", "gpt-4o-mini", 10)]),
    ("a-value-read-before-a-later-rebinding", '''
        from openai import OpenAI

        base = "gpt-4o"
        model = base
        base = "o3"
        OpenAI().chat.completions.create(model=model, messages=[], max_tokens=10)
        ''', [("openai", "openai.chat.completions.create", "gpt-4o", 10)]),
    # a subscript whose key reads the name being rebound (pandas `df = df.loc[df.index.repeat(n)]`) ended in
    # endless recursion, reported as "nested too deeply"
    ("a-frame-rebound-from-a-subscript-of-itself", '''
        import pandas as pd
        from openai import OpenAI

        def table(n: int):
            df = pd.DataFrame([])
            df = df.loc[df.index.repeat(n)].reset_index(drop=True)
            OpenAI().chat.completions.create(model="gpt-4o", messages=[], max_tokens=10)
            return df
        ''', [("openai", "openai.chat.completions.create", "gpt-4o", 10)]),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in CASES])
def test_control_flow(tmp_path: Path, source: str, expected: list[Row]) -> None:
    assert call_sites(tmp_path, source) == expected


def test_a_client_chosen_in_branches_bills_any_of_their_providers(tmp_path: Path) -> None:
    from helpers import check_project, write_project

    source = '''
        from anthropic import Anthropic, AnthropicBedrock, AnthropicVertex

        def make(where: str):
            if where == "vertex":
                client = AnthropicVertex()
            elif where == "bedrock":
                client = AnthropicBedrock()
            else:
                client = Anthropic()
            return client.messages.create(model="claude-haiku-5-5", max_tokens=10, messages=[])
    '''
    root = write_project(tmp_path / "p", {"app/main.py": source})
    [site] = check_project(root).call_sites
    assert site.provider == "anthropic"  # the SDK's own vendor, not the last branch's (AnthropicBedrock used to win)
    assert site.site.provider_options == ("anthropic", "aws-bedrock", "google")


def test_a_client_held_in_an_annotated_module_global_of_another_module(tmp_path: Path) -> None:
    others = {
        "app/__init__.py": "",
        "app/state.py": "from openai import OpenAI\n\nopenai_client: OpenAI = None\n",
        "app/startup.py": "from openai import OpenAI\n\nfrom app import state\n\n\ndef start():\n    state.openai_client = OpenAI()\n",
    }
    source = '''
        from app import state

        def generate(prompt: str):
            return state.openai_client.images.generate(model="gpt-image-1", prompt=prompt)
    '''
    assert call_sites(tmp_path, source, others) == [("openai", "openai.images.generate", "gpt-image-1", None)]
