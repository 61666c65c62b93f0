"""The SDK surface: which imports build clients, which method chains bill, where parameters live.

This is data (oberhahn_policy/data/sdk-surface.yaml), validated by the models below; adding a
provider or a method is a change to that file plus a test, never to the extractor.

Parameter locations are *value paths*: the first part is a keyword argument (or `#N` for
the N-th positional argument); later parts step into a dict literal's key, a call's keyword
argument (`GenerateContentConfig(max_output_tokens=...)`) or the dict inside `json.dumps(...)`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .callsite import Layer


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Data):
    """A constructor only builds a client when an argument has a given literal value."""

    path: tuple[str, ...]
    equals: tuple[str, ...]


class Carrier(_Data):
    """Where attribution can be attached, and what shape it has there."""

    path: str
    #: mapping: a dict of key -> value; headers: a dict of header -> value; scalar: one value for `key`.
    kind: Literal["mapping", "headers", "scalar"]
    layer: Layer
    #: For scalar carriers: the attribution key the value fills (`user`).
    key: str | None = None


class Method(_Data):
    """A billable method chain on a client (`chat.completions.create`)."""

    chain: str
    operation: str
    api: str | None = None
    model: tuple[str, ...] = ("model",)
    limit: tuple[str, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    default_model: str | None = None


class ClientFactoryMethod(_Data):
    """A method that returns a client of another family (`boto3.Session().client("bedrock-runtime")`)."""

    chain: str
    family: str
    provider: str | None = None
    when: Condition | None = None


class ClientClass(_Data):
    """A constructor (or factory function) that builds a client of a family."""

    name: str
    provider: str | None = None
    when: Condition | None = None
    #: The model argument names a deployment, not a model id (Azure).
    model_is_deployment: bool = False
    #: For wrappers like `instructor.from_openai(client)`: the argument holding the wrapped client.
    wraps: str | None = None
    framework: str | None = None


class Family(_Data):
    """Clients that share method chains (all OpenAI client classes, all Anthropic ones...)."""

    name: str
    provider: str
    framework: str | None = None
    clients: tuple[ClientClass, ...] = ()
    #: Modules that act as a default client (`openai.chat.completions.create`).
    module_clients: tuple[str, ...] = ()
    #: Attributes that leave the chain unchanged (`with_raw_response`).
    transparent: tuple[str, ...] = ()
    #: Methods that return a derived client of the same family (`with_options`).
    derive: tuple[str, ...] = ()
    base_url: tuple[str, ...] = ()
    client_carriers: tuple[Carrier, ...] = ()
    call_carriers: tuple[Carrier, ...] = ()
    methods: tuple[Method, ...] = ()
    factories: tuple[ClientFactoryMethod, ...] = ()


class Function(_Data):
    """A module-level callable that is itself a call site: legacy class methods, litellm, framework constructors."""

    name: str
    provider: str
    framework: str | None = None
    operation: str
    api: str | None = None
    model: tuple[str, ...] = ("model",)
    limit: tuple[str, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    default_model: str | None = None
    model_is_deployment: bool = False


class Surface(_Data):
    """The whole SDK surface."""

    version: Literal[1] = 1
    families: tuple[Family, ...] = ()
    functions: tuple[Function, ...] = ()
    #: Top-level modules whose import makes a file worth parsing.
    import_roots: tuple[str, ...] = Field(default=())

    def family(self, name: str) -> Family:
        for family in self.families:
            if family.name == name:
                return family
        raise KeyError(name)

    def roots(self) -> frozenset[str]:
        names: set[str] = set(self.import_roots)
        for family in self.families:
            names.update(c.name.split(".")[0] for c in family.clients)
            names.update(m.split(".")[0] for m in family.module_clients)
        names.update(f.name.split(".")[0] for f in self.functions)
        return frozenset(names)


@lru_cache(maxsize=1)
def load_surface() -> Surface:
    """The SDK surface shipped with the package."""
    text = resources.files("oberhahn_policy").joinpath("data/sdk-surface.yaml").read_text(encoding="utf-8")
    return Surface.model_validate(yaml.safe_load(text))
