"""Our own price data: only what genai-prices lacks, each row with its source.

Two files in oberhahn_policy/data/, schemas in schemas/ (generated from the models below):

- `retirements.yaml`: the day a provider stops serving a model id, the successor it names, and
  where that comes from. genai-prices keeps prices, not retirement dates.
- `prices-extra.yaml`: prices of models the library does not list (a test fails once it does,
  so the row can go), each with a source and its validity dates.

A bad row is reported as `FILE:LINE: what is wrong` and skipped; the other rows still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..packaged import SAFE_LOADER, packaged_text
from ..published_schema import published_schema
from .rates import ListPrice, LongContextPrice, Rates, TieredRates

Mode = Literal["chat", "embedding", "image", "audio"]
TierName = Literal["batch", "flex", "priority", "fast"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ExtraRates(_Data):
    """Rates in USD: per million tokens, per audio hour, per million characters, per image."""

    input_per_mtok: float | None = Field(default=None, ge=0)
    output_per_mtok: float | None = Field(default=None, ge=0)
    cached_input_per_mtok: float | None = Field(default=None, ge=0)
    cache_write_per_mtok: float | None = Field(default=None, ge=0)
    cache_write_1h_per_mtok: float | None = Field(default=None, ge=0)
    input_audio_per_mtok: float | None = Field(default=None, ge=0)
    output_audio_per_mtok: float | None = Field(default=None, ge=0)
    output_image_per_mtok: float | None = Field(default=None, ge=0)
    per_audio_hour: float | None = Field(default=None, ge=0)
    per_million_characters: float | None = Field(default=None, ge=0)
    per_image: float | None = Field(default=None, ge=0)

    def rates(self) -> Rates:
        return Rates(**{name: getattr(self, name) for name in Rates.__slots__})

    @model_validator(mode="after")
    def _some_rate(self) -> ExtraRates:
        if all(getattr(self, name) is None for name in Rates.__slots__):
            raise ValueError("give at least one rate (input_per_mtok, per_image, per_audio_hour...)")
        return self


class ExtraLongContext(ExtraRates):
    """Rates for prompts of more than `above_input_tokens` input tokens."""

    above_input_tokens: int = Field(ge=1)


class ExtraPrice(ExtraRates):
    """A price in force from `from` (or from the start) until the next one."""

    from_: date | None = Field(default=None, alias="from")
    long_context: tuple[ExtraLongContext, ...] = ()
    #: Rates through a batch API or a service tier, where the provider publishes them.
    tiers: dict[TierName, ExtraRates] = Field(default_factory=dict)


class ExtraModel(_Data):
    """A model genai-prices does not list, priced from the cited source."""

    id: str = Field(min_length=1)
    #: Our provider id (SPEC §7) or the vendor's (`xai`, `deepseek`).
    provider: str = Field(min_length=1)
    mode: Mode = "chat"
    #: Other ids billed the same (dated snapshots).
    aliases: tuple[str, ...] = ()
    prices: tuple[ExtraPrice, ...] = Field(min_length=1)
    context_window: int | None = Field(default=None, ge=1)
    max_output_tokens: int | None = Field(default=None, ge=1)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _prices_in_order(self) -> ExtraModel:
        dates = [p.from_ for p in self.prices]
        if any(d is None for d in dates[1:]):
            raise ValueError(f"{self.id}: only the first price may omit `from`")
        dated = [d for d in dates if d is not None]
        if dated != sorted(dated) or len(set(dated)) != len(dated):
            raise ValueError(f"{self.id}: prices must be in increasing `from` order")
        return self

    def history(self) -> tuple[ListPrice, ...]:
        periods: list[ListPrice] = []
        for index, price in enumerate(self.prices):
            until = self.prices[index + 1].from_ if index + 1 < len(self.prices) else None
            standard = TieredRates(price.rates(), tuple(LongContextPrice(t.above_input_tokens, t.rates())
                                                        for t in sorted(price.long_context, key=lambda t: t.above_input_tokens)))
            tiers = tuple((name, TieredRates(rates.rates())) for name, rates in sorted(price.tiers.items()))
            periods.append(ListPrice(price.from_, until, standard, tiers))
        return tuple(periods)


class LibraryCheck(_Data):
    """The genai-prices release this data was reconciled with."""

    package: Literal["genai-prices"] = "genai-prices"
    version: str = Field(min_length=1)
    checked_on: date


class PricesExtraFile(_Data):
    """`oberhahn_policy/data/prices-extra.yaml`."""

    as_of: date
    library: LibraryCheck
    models: tuple[ExtraModel, ...] = ()


class Retirement(_Data):
    """The day a provider stops serving a model id, and what it recommends instead."""

    #: The model id as code names it (any spelling the catalog resolves).
    model: str = Field(min_length=1)
    #: The provider whose schedule this is (Azure and Bedrock retire models on their own schedules).
    provider: str = Field(min_length=1)
    retires: date
    successor: str | None = None
    source: str = Field(min_length=1)


class RetirementsFile(_Data):
    """`oberhahn_policy/data/retirements.yaml`."""

    as_of: date
    retirements: tuple[Retirement, ...] = ()


@dataclass(frozen=True, slots=True)
class DataProblem:
    """A row of our data that could not be used."""

    #: Package-relative path (`oberhahn_policy/data/retirements.yaml`).
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


Row = TypeVar("Row", bound=_Data)


def _row_lines(text: str, key: str) -> list[int]:
    """1-based line of each item of the top-level list `key`."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return []
    for name, value in root.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return "; ".join(parts) + " (see the schema in schemas/)"


def _rows(text: str, path: str, key: str, row_type: type[Row], problems: list[DataProblem],
          ) -> tuple[dict[str, Any], list[Row]] | None:
    """The file's top-level fields and its valid rows under `key` (None if it is no YAML mapping); a bad row becomes a problem."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
        lines = _row_lines(text, key)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(DataProblem(path, mark.line + 1 if mark is not None else 1, f"not valid YAML: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(DataProblem(path, 1, "expected a mapping with `as_of` and `" + key + "`"))
        return None
    rows: list[Row] = []
    for index, raw in enumerate(data.get(key) or ()):
        line = lines[index] if index < len(lines) else 1
        try:
            rows.append(row_type.model_validate(raw))
        except ValidationError as exc:
            problems.append(DataProblem(path, line, _message(exc)))
    return {k: v for k, v in data.items() if k != key}, rows


def load_retirements(text: str | None = None, path: str = "oberhahn_policy/data/retirements.yaml",
                     ) -> tuple[RetirementsFile | None, list[DataProblem]]:
    problems: list[DataProblem] = []
    read = _rows(packaged_text("retirements.yaml") if text is None else text, path, "retirements", Retirement, problems)
    if read is None:
        return None, problems
    top, rows = read
    try:
        return RetirementsFile.model_validate({**top, "retirements": rows}), problems
    except ValidationError as exc:
        problems.append(DataProblem(path, 1, _message(exc)))
        return None, problems


def load_prices_extra(text: str | None = None, path: str = "oberhahn_policy/data/prices-extra.yaml",
                      ) -> tuple[PricesExtraFile | None, list[DataProblem]]:
    problems: list[DataProblem] = []
    read = _rows(packaged_text("prices-extra.yaml") if text is None else text, path, "models", ExtraModel, problems)
    if read is None:
        return None, problems
    top, rows = read
    try:
        return PricesExtraFile.model_validate({**top, "models": rows}), problems
    except ValidationError as exc:
        problems.append(DataProblem(path, 1, _message(exc)))
        return None, problems


def retirements_json_schema() -> dict[str, Any]:
    """The published schema of `retirements.yaml` (schemas/retirements.schema.json)."""
    return published_schema(RetirementsFile, "retirements", mode="validation")


def prices_extra_json_schema() -> dict[str, Any]:
    """The published schema of `prices-extra.yaml` (schemas/prices-extra.schema.json)."""
    return published_schema(PricesExtraFile, "prices-extra", mode="validation")
