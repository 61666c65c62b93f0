"""Models and limits resolved through the ways real code spells them; what can't be known stays null."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_helpers import Row, call_sites
from helpers import check_project, write_project

CONFIG = '''
    import os
    from dataclasses import dataclass, field
    from functools import lru_cache

    from pydantic import Field
    from pydantic_settings import BaseSettings

    CHAT_MODEL = os.getenv("CHAT_MODEL", "gpt-4o-mini")
    MAX_TOKENS = int(os.environ.get("MAX_TOKENS", "512"))
    FAMILY = "claude-3-5"
    SUMMARY_MODEL = CHAT_MODEL

    class Settings(BaseSettings):
        embed_model: str = "text-embedding-3-small"
        answer_model: str = Field("gpt-4.1", description="the answering model")
        answer_tokens: int = 256

    @dataclass(frozen=True)
    class LLMConfig:
        model: str = field(default="claude-3-5-haiku-20241022")
        max_tokens: int = 900

    settings = Settings()
    CONFIG = LLMConfig()

    @lru_cache
    def get_settings() -> Settings:
        return Settings()
'''

CASES: list[tuple[str, str, list[Row]]] = [
    ("module-class-and-local-constants", '''
        from openai import OpenAI

        DEFAULT_MODEL = "gpt-4o"

        class Summariser:
            MODEL = "gpt-4o-mini"
            LIMIT = 200

            def __init__(self, client: OpenAI, model: str = DEFAULT_MODEL, max_tokens: int = 300):
                self.client = client
                self.model = model
                self.max_tokens = max_tokens

            def run(self, text):
                self.client.chat.completions.create(model=self.model, max_tokens=self.max_tokens, messages=[])
                self.client.chat.completions.create(model=self.MODEL, max_tokens=Summariser.LIMIT, messages=[])
                model = "o3-mini"
                self.client.chat.completions.create(model=model, messages=[])
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o", 300),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 200),
        ("openai", "openai.chat.completions.create", "o3-mini", None),
    ]),
    ("environment-defaults", '''
        import os

        from anthropic import Anthropic

        client = Anthropic()
        MODEL = os.environ.get("CLAUDE_MODEL", "claude-3-5-sonnet-20241022")

        def run(model=None):
            client.messages.create(model=MODEL, max_tokens=int(os.getenv("MAX_TOKENS", "700")), messages=[])
            client.messages.create(model=os.environ["CLAUDE_MODEL"], max_tokens=10, messages=[])
            client.messages.create(model=model or MODEL, max_tokens=10, messages=[])
            client.messages.create(model=os.getenv("CLAUDE_MODEL"), max_tokens=10, messages=[])
        ''', [
        ("anthropic", "anthropic.messages.create", "claude-3-5-sonnet-20241022", 700),
        ("anthropic", "anthropic.messages.create", None, 10),
        ("anthropic", "anthropic.messages.create", "claude-3-5-sonnet-20241022", 10),
        ("anthropic", "anthropic.messages.create", None, 10),
    ]),
    ("imports-absolute-and-relative", '''
        from anthropic import Anthropic
        from openai import OpenAI

        from app import config
        from app.config import CONFIG, FAMILY, SUMMARY_MODEL, get_settings, settings
        from .config import CHAT_MODEL, MAX_TOKENS

        client = OpenAI()

        def run(text):
            client.chat.completions.create(model=CHAT_MODEL, max_tokens=MAX_TOKENS, messages=[])
            client.chat.completions.create(model=config.CHAT_MODEL, messages=[])
            client.chat.completions.create(model=SUMMARY_MODEL, messages=[])
            client.embeddings.create(model=settings.embed_model, input=text)
            client.chat.completions.create(model=get_settings().answer_model, max_tokens=settings.answer_tokens, messages=[])
            Anthropic().messages.create(model=CONFIG.model, max_tokens=CONFIG.max_tokens, messages=[])
            Anthropic().messages.create(model=f"{FAMILY}-haiku-20241022", max_tokens=5, messages=[])
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 512),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("openai", "openai.embeddings.create", "text-embedding-3-small", None),
        ("openai", "openai.chat.completions.create", "gpt-4.1", 256),
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-20241022", 900),
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-20241022", 5),
    ]),
    ("splats-partial-and-fstrings", '''
        from functools import partial

        from openai import OpenAI

        client = OpenAI()
        TIER = "mini"
        BASE = {"model": f"gpt-4o-{TIER}", "max_tokens": 64}
        ask = partial(client.chat.completions.create, model="gpt-4.1-nano", max_tokens=32)

        def run(messages, **overrides):
            client.chat.completions.create(**BASE, messages=messages)
            client.chat.completions.create(**{**BASE, "model": "o4-mini"}, messages=messages)
            client.chat.completions.create(**dict(BASE, max_tokens=128), messages=messages)
            ask(messages=messages)
            client.chat.completions.create(messages=messages, **overrides)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 64),
        ("openai", "openai.chat.completions.create", "o4-mini", 64),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 128),
        ("openai", "openai.chat.completions.create", "gpt-4.1-nano", 32),
        ("openai", "openai.chat.completions.create", None, None),
    ]),
    ("enums-dict-get-inheritance-globals", '''
        from dataclasses import dataclass, field
        from enum import Enum

        from anthropic import Anthropic
        from openai import OpenAI

        class Model(str, Enum):
            FAST = "gpt-4o-mini"
            SMART = "gpt-4o"

        ROUTES = {"triage": "claude-3-5-haiku-latest"}
        _claude = None

        def startup():
            global _claude
            _claude = Anthropic()

        def triage(ticket):
            _claude.messages.create(model=ROUTES.get("triage"), max_tokens=5, messages=[])
            _claude.messages.create(model=ROUTES.get("escalation", "claude-3-opus-latest"), max_tokens=5, messages=[])

        class BaseAgent:
            MODEL = Model.SMART

            def __init__(self):
                self.client = OpenAI()

        class Researcher(BaseAgent):
            def run(self):
                self.client.chat.completions.create(model=Model.FAST.value, messages=[])
                self.client.chat.completions.create(model=self.MODEL, messages=[])

        class TracedOpenAI(OpenAI):
            """Our subclass adds tracing headers; it is still the OpenAI client."""

        @dataclass
        class Embedder:
            client: OpenAI = field(default_factory=OpenAI)

            def embed(self, text):
                return self.client.embeddings.create(model="text-embedding-3-small", input=text)

        TracedOpenAI().chat.completions.create(model=Model.FAST, messages=[])
        ''', [
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-latest", 5),
        ("anthropic", "anthropic.messages.create", "claude-3-opus-latest", 5),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("openai", "openai.chat.completions.create", "gpt-4o", None),
        ("openai", "openai.embeddings.create", "text-embedding-3-small", None),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
    ]),
    ("nested-settings-and-deep-framework-imports", '''
        from langchain_community.chat_models.azure_openai import AzureChatOpenAI
        from llama_index.llms.openai.base import OpenAI
        from pydantic import BaseModel, Field
        from pydantic_settings import BaseSettings

        class LLMSettings(BaseModel):
            model: str = "gpt-4o-mini"
            deployment: str = "prod-gpt4o"
            max_tokens: int = 2048

        class Settings(BaseSettings):
            llm: LLMSettings = Field(default_factory=LLMSettings)

        settings = Settings()
        azure = AzureChatOpenAI(deployment_name=settings.llm.deployment, max_tokens=settings.llm.max_tokens)
        llm = OpenAI(settings.llm.model)
        ''', [
        ("azure-openai", "langchain_community.chat_models.AzureChatOpenAI", "prod-gpt4o", 2048),
        ("openai", "llama_index.llms.openai.base.OpenAI", "gpt-4o-mini", None),
    ]),
    ("clients-on-app-state-registries-and-injected-dataclasses", '''
        from contextlib import asynccontextmanager
        from dataclasses import dataclass

        from anthropic import AsyncAnthropic
        from fastapi import FastAPI, Request
        from openai import OpenAI

        CLIENTS = {"openai": OpenAI(), "groq": OpenAI(base_url="https://api.groq.com/openai/v1")}

        @dataclass
        class Deps:
            claude: AsyncAnthropic
            tier: str = "standard"

        @asynccontextmanager
        async def lifespan(app: FastAPI):
            app.state.claude = AsyncAnthropic()
            yield

        async def tone(request: Request, text: str):
            return await request.app.state.claude.messages.create(model="claude-3-5-haiku-20241022", max_tokens=3, messages=[])

        async def next_action(deps: Deps, ticket: str):
            return await deps.claude.messages.create(model="claude-3-5-sonnet-20241022", max_tokens=200, messages=[])

        POOL = {"primary": OpenAI(), "backup": OpenAI(max_retries=5)}

        def quick(prompt, vendor, slot):
            CLIENTS["groq"].chat.completions.create(model="llama-3.1-8b-instant", messages=[])
            CLIENTS["openai"].chat.completions.create(model="gpt-4o-mini", messages=[])
            POOL[slot].chat.completions.create(model="gpt-4o", messages=[])
            CLIENTS[vendor].chat.completions.create(model="unknowable", messages=[])
        ''', [
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-20241022", 3),
        ("anthropic", "anthropic.messages.create", "claude-3-5-sonnet-20241022", 200),
        ("groq", "openai.chat.completions.create", "llama-3.1-8b-instant", None),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("openai", "openai.chat.completions.create", "gpt-4o", None),
    ]),
    ("untyped-client-parameters-follow-their-callers", '''
        from anthropic import Anthropic
        from openai import OpenAI
        from twilio.rest import Client

        def summarise(client, text, model="gpt-4o-mini"):
            return client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])

        def notify(client, body):
            return client.messages.create(body=body, from_="+15550001", to="+15550002")

        class Assistant:
            def __init__(self):
                self.claude = Anthropic()

            def ask(self, llm, question):
                return llm.messages.create(model="claude-3-5-haiku-latest", max_tokens=90, messages=[])

            def run(self, question):
                return self.ask(self.claude, question)

        summarise(OpenAI(), "quarterly numbers")
        notify(Client("AC...", "token"), "done")
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-latest", 90),
    ]),
    ("instances-whose-construction-may-set-the-field", '''
        import os

        from openai import OpenAI
        from pydantic import BaseModel

        FALLBACK = os.getenv("FALLBACK_MODEL") or "gpt-4o-mini"

        class QueuedChat(BaseModel):
            model: str = "gpt-4o-mini"
            max_tokens: int = 1024

        def run_queued(payload):
            request = QueuedChat(**payload)
            OpenAI().chat.completions.create(model=request.model, max_tokens=request.max_tokens, messages=[])

        def run_fixed():
            request = QueuedChat(model="gpt-4.1")
            OpenAI().chat.completions.create(model=request.model, max_tokens=request.max_tokens, messages=[])
            OpenAI().chat.completions.create(model=FALLBACK, messages=[])
        ''', [
        ("openai", "openai.chat.completions.create", None, None),
        ("openai", "openai.chat.completions.create", "gpt-4.1", 1024),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
    ]),
    ("calls-run-through-threads-and-executors", '''
        import asyncio
        from concurrent.futures import ThreadPoolExecutor
        from functools import partial

        from openai import OpenAI

        client = OpenAI()

        def log(line):
            print(line)

        async def main(texts):
            await asyncio.to_thread(client.chat.completions.create, model="gpt-4o-mini", messages=[], max_tokens=20)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, partial(client.chat.completions.create, model="gpt-4o", messages=[]))
            with ThreadPoolExecutor(max_workers=4) as pool:
                futures = [pool.submit(client.embeddings.create, model="text-embedding-3-small", input=t) for t in texts]
                pool.submit(log, "submitted")
            await asyncio.to_thread(log, "done")
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 20),
        ("openai", "openai.chat.completions.create", "gpt-4o", None),
        ("openai", "openai.embeddings.create", "text-embedding-3-small", None),
    ]),
    ("calls-run-through-sync-to-async-and-threadpools", '''
        from asgiref.sync import sync_to_async
        from fastapi.concurrency import run_in_threadpool
        from openai import OpenAI

        client = OpenAI()

        async def transcribe(audio):
            return await sync_to_async(client.audio.translations.create)(model="whisper-1", file=audio)

        async def answer(text):
            ask = sync_to_async(client.chat.completions.create, thread_sensitive=False)
            await run_in_threadpool(client.chat.completions.create, model="gpt-4o", messages=[], max_tokens=30)
            return await ask(model="gpt-4o-mini", messages=[], max_tokens=10)
        ''', [
        ("openai", "openai.audio.translations.create", "whisper-1", None),
        ("openai", "openai.chat.completions.create", "gpt-4o", 30),
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 10),
    ]),
    # only a module whose bytes name a forwarder has its calls looked through: an alias still names it
    ("a-forwarder-under-another-name", '''
        from asyncio import to_thread as in_thread

        from openai import OpenAI

        client = OpenAI()

        async def answer():
            return await in_thread(client.chat.completions.create, model="gpt-4o", messages=[], max_tokens=30)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o", 30),
    ]),
    ("clients-through-code", '''
        from functools import lru_cache

        from anthropic import Anthropic
        from openai import AsyncOpenAI

        @lru_cache
        def get_client() -> AsyncOpenAI:
            return AsyncOpenAI(timeout=30)

        class Service:
            def __init__(self):
                self._client = None

            @property
            def client(self) -> Anthropic:
                if self._client is None:
                    self._client = Anthropic()
                return self._client

            def run(self):
                self.client.messages.create(model="claude-3-haiku-20240307", max_tokens=50, messages=[])

        async def answer():
            return await get_client().chat.completions.create(model="gpt-4o", messages=[])
        ''', [
        ("anthropic", "anthropic.messages.create", "claude-3-haiku-20240307", 50),
        ("openai", "openai.chat.completions.create", "gpt-4o", None),
    ]),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in CASES])
def test_resolution(tmp_path: Path, source: str, expected: list[Row]) -> None:
    others = {"app/__init__.py": "", "app/config.py": CONFIG}
    assert call_sites(tmp_path, source, others) == expected


def test_unknown_model_keeps_its_source_text(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"app/main.py": '''
        import os
        from openai import OpenAI

        def run(request):
            OpenAI().chat.completions.create(model=request.model_name, messages=[])
        '''})
    [site] = check_project(root).call_sites
    assert site.model is None and site.model_expression == "request.model_name"


def test_client_exported_by_another_module(tmp_path: Path) -> None:
    others = {"app/__init__.py": "", "app/llm.py": "from anthropic import Anthropic\n\nclient = Anthropic()\n"}
    source = '''
        from app.llm import client

        def run():
            return client.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, messages=[])
        '''
    assert call_sites(tmp_path, source, others, path="app/main.py") == [
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-latest", 100)]


@pytest.mark.parametrize(("path", "import_line"), [
    ("app/__init__.py", "from .llm import client"),           # a package's own module: relative to the package itself
    ("app/service.py", "from .llm import client"),            # a module: relative to its parent package
    ("app/jobs/__init__.py", "from ..llm import client"),      # two levels up from a subpackage
    ("app/jobs/nightly.py", "from ..llm import client"),
], ids=["package-init", "module", "subpackage-init", "submodule"])
def test_relative_imports_of_an_exported_client(tmp_path: Path, path: str, import_line: str) -> None:
    others = {"app/llm.py": "from anthropic import Anthropic\n\nclient = Anthropic()\n"}
    others.update({p: "" for p in ("app/__init__.py", "app/jobs/__init__.py") if p != path})
    source = f'''
        {import_line}

        def run():
            return client.messages.create(model="claude-haiku-5-5", max_tokens=100, messages=[])
        '''
    assert call_sites(tmp_path, source, others, path=path) == [
        ("anthropic", "anthropic.messages.create", "claude-haiku-5-5", 100)]


def test_relative_import_in_a_package_init_is_relative_to_the_package(tmp_path: Path) -> None:
    """`from .llm import client` in zeta/__init__.py is zeta.llm.client, not the top-level llm.client."""
    others = {"llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
              "zeta/llm.py": "from anthropic import Anthropic\n\nclient = Anthropic()\n"}
    source = '''
        from .llm import client

        def run():
            return client.messages.create(model="claude-haiku-5-5", max_tokens=100, messages=[])
        '''
    assert call_sites(tmp_path, source, others, path="zeta/__init__.py") == [
        ("anthropic", "anthropic.messages.create", "claude-haiku-5-5", 100)]


def test_organisation_wrapper_is_a_call_site(tmp_path: Path) -> None:
    policy = '''
        version: 1
        wrappers:
          - function: acme.llm.complete
            provider: anthropic
            model: model
            max_output_tokens: max_tokens
            attribution: {use_case: use_case}
        '''
    source = '''
        from acme.llm import complete

        MODEL = "claude-3-5-haiku-20241022"

        def triage(ticket):
            return complete(prompt=ticket, model=MODEL, max_tokens=256, use_case="triage")
        '''
    root = write_project(tmp_path / "p", {"app/main.py": source}, policy)
    [site] = check_project(root).call_sites
    assert (site.provider, site.site.api, site.model, site.max_output_tokens) == \
        ("anthropic", "acme.llm.complete", "claude-3-5-haiku-20241022", 256)
    assert site.attribution_map().get("use_case") == "triage"


def test_wrapper_methods_and_positional_wrapper_arguments(tmp_path: Path) -> None:
    policy = '''
        version: 1
        wrappers:
          - function: acme.llm.LLMClient.complete
            provider: openai
            model: model
            max_output_tokens: max_tokens
          - function: app.main.ask
            provider: anthropic
            model: model
        '''
    source = '''
        from acme.llm import LLMClient
        from anthropic import Anthropic

        def ask(prompt, model="claude-3-5-haiku-latest"):
            return Anthropic().messages.create(model=model, max_tokens=100, messages=[])

        class Triage:
            def __init__(self, llm: LLMClient):
                self.llm = llm

            def run(self, ticket):
                return self.llm.complete(ticket, model="gpt-4o-mini", max_tokens=64)

        def handler(ticket):
            client = LLMClient(team="support")
            client.complete(ticket, model="gpt-4.1")
            ask(ticket)
            return ask(ticket, "claude-3-opus-latest")
        '''
    root = write_project(tmp_path / "p", {"app/main.py": source}, policy)
    sites = [(c.provider, c.site.api, c.model, c.max_output_tokens) for c in check_project(root).call_sites]
    assert sites == [
        ("openai", "acme.llm.LLMClient.complete", "gpt-4o-mini", 64),
        ("openai", "acme.llm.LLMClient.complete", "gpt-4.1", None),
        ("anthropic", "app.main.ask", "claude-3-5-haiku-latest", None),
        ("anthropic", "app.main.ask", "claude-3-opus-latest", None),
    ]


def test_exported_vendor_clients_keep_their_endpoint(tmp_path: Path) -> None:
    others = {
        "app/__init__.py": "",
        "app/config.py": 'GROQ_URL = "https://api.groq.com/openai/v1"\n',
        "app/clients.py": '''
from openai import AzureOpenAI, OpenAI

from .config import GROQ_URL

groq = OpenAI(base_url=GROQ_URL)
azure = AzureOpenAI(azure_endpoint="https://acme.openai.azure.com", api_version="2024-06-01")

def together_client() -> OpenAI:
    return OpenAI(base_url="https://api.together.xyz/v1")
''',
    }
    source = '''
        from app.clients import azure, groq, together_client

        def run(messages):
            groq.chat.completions.create(model="llama-3.1-8b-instant", messages=messages)
            together_client().chat.completions.create(model="meta-llama/Llama-3-8b-chat-hf", messages=messages)
            azure.chat.completions.create(model="prod-gpt4o", messages=messages)
        '''
    root = write_project(tmp_path / "p", {"app/main.py": source, **others})
    sites = [c for c in check_project(root).call_sites if c.path == "app/main.py"]
    assert [(c.provider, c.model, c.site.model_is_deployment) for c in sites] == [
        ("groq", "llama-3.1-8b-instant", False),
        ("together", "meta-llama/Llama-3-8b-chat-hf", False),
        ("azure-openai", "prod-gpt4o", True),
    ]


def test_recursive_helpers_are_not_followed_forever(tmp_path: Path) -> None:
    """A recursive function with many returns (type walkers) must not make inference exponential."""
    source = '''
        from openai import OpenAI

        def type_name(typ, node=None):
            typ = normalise(typ)
            if isinstance(typ, list):
                return type_name(typ[0])
            if isinstance(typ, tuple):
                return type_name(typ[1], node)
            if isinstance(typ, dict):
                return type_name(typ.get("item"))
            if isinstance(typ, set):
                return type_name(next(iter(typ)), node)
            return type_name(typ.fallback)

        def normalise(typ):
            return normalise(typ.inner) if hasattr(typ, "inner") else typ

        LABEL = type_name(object).name
        client = OpenAI()
        client.chat.completions.create(model=type_name(int).model, messages=[])
        '''
    assert call_sites(tmp_path, source) == [("openai", "openai.chat.completions.create", None, None)]


def test_clients_held_by_exported_instances_and_classes(tmp_path: Path) -> None:
    others = {
        "app/__init__.py": "",
        "app/services.py": '''
from anthropic import Anthropic
from openai import OpenAI

class LLMService:
    def __init__(self):
        self.client = OpenAI()
        self.name = "llm"

class Clients:
    claude = Anthropic()

service = LLMService()
''',
    }
    source = '''
        from app.services import Clients, service

        def run():
            service.client.chat.completions.create(model="gpt-4o-mini", messages=[])
            Clients.claude.messages.create(model="claude-3-5-haiku-latest", max_tokens=50, messages=[])
        '''
    assert call_sites(tmp_path, source, others) == [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", None),
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-latest", 50),
    ]


def test_client_set_by_a_base_class_in_another_module(tmp_path: Path) -> None:
    others = {
        "app/__init__.py": "",
        "app/base.py": '''
from anthropic import AsyncAnthropic

class BaseAgent:
    def __init__(self):
        self.client = AsyncAnthropic()
''',
    }
    source = '''
        from app.base import BaseAgent

        class Researcher(BaseAgent):
            async def run(self, question):
                return await self.client.messages.create(model="claude-3-7-sonnet-latest", max_tokens=1000, messages=[])
        '''
    assert call_sites(tmp_path, source, others) == [
        ("anthropic", "anthropic.messages.create", "claude-3-7-sonnet-latest", 1000)]
