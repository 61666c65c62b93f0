"""The model price catalog: per model id its provider, prices over time, limits and retirement.

The catalog is data (oberhahn_policy/data/models.yaml, schema in schemas/catalog.schema.json),
dated by `as_of` and with a source per entry, because prices move monthly. Lookup goes
through `modelids.spellings`, so `openai/gpt-4o`, `us.anthropic.claude-...-v1:0` and
`claude-...@20250929` find the entry their provider bills. A model the catalog doesn't know
is `None` here, never a zero price.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .modelids import spellings

Mode = Literal["chat", "embedding", "image", "audio"]

#: Providers whose entries are keyed `PREFIX + model id`, because their prices or retirement dates differ.
_PROVIDER_PREFIXES = {"azure-openai": "azure/"}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LongContextPrice(_Data):
    """The higher price a prompt pays once its input crosses a threshold (several models have such a tier)."""

    above_input_tokens: int = Field(ge=1)
    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(default=0, ge=0)
    cached_input_per_mtok: float | None = Field(default=None, ge=0)


class ListPrice(_Data):
    """List price in USD per million tokens, in force from `from` (or from the start) until the next one."""

    from_: date | None = Field(default=None, alias="from")
    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(default=0, ge=0)
    cached_input_per_mtok: float | None = Field(default=None, ge=0)
    long_context: LongContextPrice | None = None

    def for_prompt(self, input_tokens: float | None) -> tuple[float, float]:
        """(input, output) per million tokens for a prompt of `input_tokens` (short context when unknown)."""
        tier = self.long_context
        if tier is not None and input_tokens is not None and input_tokens > tier.above_input_tokens:
            return tier.input_per_mtok, tier.output_per_mtok
        return self.input_per_mtok, self.output_per_mtok


class CatalogModel(_Data):
    """One model as its provider sells it."""

    id: str
    provider: str
    mode: Mode = "chat"
    #: Other ids billed the same: dated snapshots, Bedrock/Vertex/Azure spellings.
    aliases: tuple[str, ...] = ()
    #: Prices in date order; the one in force on a day is the last whose `from` is not after it.
    prices: tuple[ListPrice, ...] = Field(min_length=1)
    #: Fraction off list price through the provider's batch API.
    batch_discount: float | None = Field(default=None, ge=0, lt=1)
    context_window: int | None = Field(default=None, ge=1)
    max_output_tokens: int | None = Field(default=None, ge=1)
    #: The day the provider stops serving the id.
    retires: date | None = None
    successor: str | None = None
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _prices_in_order(self) -> CatalogModel:
        dates = [p.from_ for p in self.prices]
        if any(d is None for d in dates[1:]):
            raise ValueError(f"{self.id}: only the first price may omit `from`")
        dated = [d for d in dates if d is not None]
        if dated != sorted(dated) or len(set(dated)) != len(dated):
            raise ValueError(f"{self.id}: prices must be in increasing `from` order")
        return self

    def price_on(self, day: date) -> ListPrice:
        """The list price in force on `day` (the earliest known one for days before it)."""
        current = self.prices[0]
        for price in self.prices:
            if price.from_ is None or price.from_ <= day:
                current = price
        return current

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


class CatalogFile(_Data):
    """The catalog file as written."""

    as_of: date
    models: tuple[CatalogModel, ...]

    @model_validator(mode="after")
    def _unique_names(self) -> CatalogFile:
        seen: dict[str, str] = {}
        for model in self.models:
            for name in model.names:
                key = name.lower()
                if key in seen:
                    raise ValueError(f"{name!r} names both {seen[key]!r} and {model.id!r}")
                seen[key] = model.id
        return self


@dataclass(frozen=True)
class PriceCatalog:
    """The catalog with an index over every name; what cost projection and rules look models up in."""

    as_of: date
    models: tuple[CatalogModel, ...]
    _index: dict[str, CatalogModel] = field(repr=False, compare=False)

    @classmethod
    def from_file(cls, document: CatalogFile) -> PriceCatalog:
        index = {name.lower(): model for model in document.models for name in model.names}
        return cls(as_of=document.as_of, models=document.models, _index=index)

    def lookup(self, model: str, provider: str | None = None) -> CatalogModel | None:
        """The entry for `model` in any of its spellings, most specific first; None if unknown.

        A provider that sells models on its own terms (Azure OpenAI) is tried first under its
        prefix (`azure/gpt-4o`), then the model's own vendor.
        """
        forms = spellings(model)
        prefix = _PROVIDER_PREFIXES.get(provider or "")
        if prefix is not None:
            forms = tuple(prefix + form for form in forms if not form.startswith(prefix)) + forms
        for form in forms:
            entry = self._index.get(form.lower())
            if entry is not None:
                return entry
        return None

    def knows_pattern(self, pattern: str) -> bool:
        """Whether a policy glob (`claude-haiku-5-5*`) matches any id or alias the catalog knows."""
        lowered = pattern.lower()
        return any(fnmatch.fnmatchcase(name, lowered) for name in self._index) or self.lookup(pattern) is not None


def parse_catalog(data: Any) -> PriceCatalog:
    return PriceCatalog.from_file(CatalogFile.model_validate(data))


@lru_cache(maxsize=1)
def load_catalog() -> PriceCatalog:
    """The catalog bundled with the package (parsed once per process; it is immutable)."""
    text = resources.files("oberhahn_policy").joinpath("data/models.yaml").read_text(encoding="utf-8")
    return parse_catalog(yaml.safe_load(text))


def catalog_json_schema() -> dict[str, Any]:
    """The published schema of the catalog file, generated from `CatalogFile`."""
    schema = CatalogFile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://oberhahn-policy.dev/schemas/catalog.schema.json"
    return schema
