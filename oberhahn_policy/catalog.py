"""The model price catalog: genai-prices' bundled snapshot, plus our own data where the library has none.

Prices, price history, long-context tiers, cache prices and batch/service tiers come from the
genai-prices wheel (oberhahn_policy/pricing/library.py says what that library does and does not
do at run time: it never downloads here). Retirement dates with successors, and the prices of the
few models the library lacks, are ours (oberhahn_policy/pricing/owndata.py), each row with a source.

Lookup goes through `modelids.spellings` (most specific spelling first) and the provider that
serves the call: Azure's and Bedrock's own prices and schedules before the model's vendor's, Bedrock
ids to Bedrock, and, when the code does not say who serves the call, the library's own routing,
then first-party vendors, then inference hosts, aggregators (OpenRouter) last. A model nobody
prices is None, never a zero price.

The catalog loads lazily: `load_catalog()` reads only our two small data files; the library is
imported on the first lookup, once per process, and indexed then (see `LibrarySnapshot`).
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Iterable, Literal

from .modelids import spellings
from .pricing.library import (
    AGGREGATORS,
    PACKAGE,
    LibraryMatch,
    LibrarySnapshot,
    exact_names,
    installed_version,
    library_provider,
    mode_of,
    our_provider,
    pattern_names,
    price_history,
)
from .pricing.owndata import (
    DataProblem,
    ExtraModel,
    PricesExtraFile,
    Retirement,
    RetirementsFile,
    load_prices_extra,
    load_retirements,
)
from .pricing.rates import (
    ListPrice,
    LongContextPrice,
    Rates,
    TieredRates,
    price_in_force,
)
from .providers import load_providers, provider_ids

__all__ = ["CatalogEntry", "PriceCatalog", "ListPrice", "LongContextPrice", "Rates", "TieredRates", "load_catalog",
           "CatalogModel"]

Mode = Literal["chat", "embedding", "image", "audio"]

EXTRA_DATA = "oberhahn_policy/data/prices-extra.yaml"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One model as one provider sells it, with its prices over time."""

    id: str
    #: Who sells it: our provider id (SPEC §7) or the vendor's own (`xai`, `deepseek`, `openrouter`).
    provider: str
    mode: Mode
    #: Prices in date order, each with its validity dates.
    prices: tuple[ListPrice, ...]
    #: Where the prices come from: the library and its model, or our data file and the cited source.
    source: str
    #: `genai-prices 0.2.5` or our data file's path: the row's origin, for the `models` listing.
    origin: str
    #: Other ids the same price applies to (dated snapshots, alternative spellings).
    aliases: tuple[str, ...] = ()
    context_window: int | None = None
    max_output_tokens: int | None = None
    #: The day the provider stops serving the id (from our retirements data).
    retires: date | None = None
    successor: str | None = None
    retirement_source: str | None = None
    #: The library flags the model as deprecated but still served.
    deprecated: bool = False

    def price_on(self, day: date) -> ListPrice:
        """The list price in force on `day` (the earliest known one for days before it)."""
        return price_in_force(self.prices, day)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


#: The name the rest of the code knew entries by.
CatalogModel = CatalogEntry


class PriceCatalog:
    """The merged catalog; what cost projection, rules and the `models` listing look models up in."""

    def __init__(self, extras: PricesExtraFile | None, retirements: RetirementsFile | None,
                 problems: Iterable[DataProblem] = ()) -> None:
        dates = [d.as_of for d in (extras, retirements) if d is not None]
        #: The newest date our data was reconciled on (with the library release in `library`).
        self.as_of: date = max(dates) if dates else date.min
        self.problems: tuple[DataProblem, ...] = tuple(problems)
        self._extras = extras.models if extras is not None else ()
        self._checked = extras.library.version if extras is not None else None
        self._retirements = retirements.retirements if retirements is not None else ()
        self._spelled: dict[tuple[str, str], Retirement] = {}
        for row in self._retirements:
            self._spelled.setdefault((row.provider, row.model.lower()), row)
        self._lock = threading.Lock()
        self._snapshot: LibrarySnapshot | None = None
        self._entries: dict[tuple[str, str, str], CatalogEntry] = {}
        self._extra_entries: dict[str, CatalogEntry] = {}
        self._lookups: dict[tuple[str, str | None], CatalogEntry | None] = {}
        self._names: list[str] | None = None
        self._models: tuple[CatalogEntry, ...] | None = None

    # --- the library, loaded on first use --------------------------------------------------

    @property
    def snapshot(self) -> LibrarySnapshot:
        with self._lock:
            if self._snapshot is None:
                self._snapshot = LibrarySnapshot()
            return self._snapshot

    @property
    def library(self) -> str:
        """The price source as a label: `genai-prices 0.2.5` (and the release our data was checked with, if other)."""
        version = installed_version() or "not installed"
        note = f", our data checked with {self._checked}" if self._checked and self._checked != version else ""
        return f"{PACKAGE} {version}{note}"

    def _library_entry(self, found: LibraryMatch) -> CatalogEntry:
        model = found.model
        key = (found.seller, found.owner, model.id)
        entry = self._entries.get(key)
        if entry is None:
            snapshot = self.snapshot
            origin = f"{PACKAGE} {snapshot.version}"
            own = found.seller == found.owner
            source = f"{origin} ({found.owner}/{model.id})"
            if not own:
                source = (f"{origin} ({found.owner}/{model.id}, sold by {found.seller} at {found.owner}'s list price: "
                          "the library's fallback)")
            entry = CatalogEntry(id=model.id, provider=our_provider(found.seller), mode=mode_of(model),
                                 prices=price_history(model, with_tiers=own), source=source, origin=origin,
                                 aliases=tuple(n for n in exact_names(model) if n != model.id.lower()),
                                 context_window=model.context_window, deprecated=bool(model.deprecated))
            self._entries[key] = entry
        return entry

    def _extra_entry(self, model: ExtraModel) -> CatalogEntry:
        entry = self._extra_entries.get(model.id)
        if entry is None:
            entry = CatalogEntry(id=model.id, provider=model.provider, mode=model.mode, prices=model.history(),
                                 source=model.source, origin=EXTRA_DATA, aliases=model.aliases,
                                 context_window=model.context_window, max_output_tokens=model.max_output_tokens)
            self._extra_entries[model.id] = entry
        return entry

    def _extra_match(self, form: str, provider: str | None) -> CatalogEntry | None:
        for model in self._extras:
            if (provider is None or model.provider == provider) and form in (n.lower() for n in (model.id, *model.aliases)):
                return self._extra_entry(model)
        return None

    # --- lookup ------------------------------------------------------------------------------

    def _find(self, model: str, provider: str | None) -> CatalogEntry | None:
        info = load_providers().provider(provider) if provider is not None else None
        # local models: no per-token price exists, and a hosted price would be a guess (price them in `models.prices`)
        if info is not None and info.local:
            return None
        forms = tuple(dict.fromkeys(f.lower() for f in spellings(model)))
        snapshot = self.snapshot
        # a router's model string names the vendor: the model's own vendor is looked for
        named = provider if info is not None and not info.routes else None
        if named is not None:
            seller = library_provider(named)
            for form in forms:
                found = snapshot.match_in(seller, form)
                if found is not None:
                    return self._library_entry(found)
                extra = self._extra_match(form, named)
                if extra is not None:
                    return extra
        # the code does not say who serves the call, or its provider does not list the model: route by name,
        # resellers with their margins last, so that `openai/gpt-4o` is OpenAI's price, not OpenRouter's
        for group in (False, True):
            for form in forms:
                for candidate, exact_only in snapshot.routed(form):
                    if (candidate in AGGREGATORS) != group:
                        continue
                    found = snapshot.match_in(candidate, form, exact_only)
                    if found is not None:
                        return self._library_entry(found)
        for form in forms:
            extra = self._extra_match(form, None)
            if extra is not None:
                return extra
        return None

    def _retired(self, entry: CatalogEntry, forms: Iterable[str]) -> CatalogEntry:
        """The entry with the retirement row of the spelling looked up, else of the entry's own id.

        A row for another spelling (a dated snapshot, `-chat-latest`) applies to that spelling only, since the
        library may bill several ids as one model.
        """
        row = next((r for f in (*forms, entry.id) if (r := self._spelled.get((entry.provider, f.lower()))) is not None), None)
        if row is None:
            return entry
        return replace(entry, retires=row.retires, successor=row.successor, retirement_source=row.source)

    def lookup(self, model: str, provider: str | None = None) -> CatalogEntry | None:
        """The entry for `model` in any of its spellings as `provider` sells it (see the module docstring); None if unknown."""
        key = (model, provider)
        if key in self._lookups:
            return self._lookups[key]
        entry = self._find(model, provider)
        if entry is not None:
            entry = self._retired(entry, spellings(model))
        self._lookups[key] = entry
        return entry

    # --- the whole catalog -------------------------------------------------------------------

    @property
    def models(self) -> tuple[CatalogEntry, ...]:
        """Every model of the library's snapshot, as its own provider lists it, and of our extra data."""
        if self._models is None:
            snapshot = self.snapshot
            entries = [self._library_entry(LibraryMatch(m, p.id, p.id)) for p in snapshot.providers for m in p.models]
            entries += [self._extra_entry(m) for m in self._extras]
            self._models = tuple(sorted((self._retired(e, ()) for e in entries), key=lambda e: (e.provider, e.id)))
        return self._models

    @property
    def providers(self) -> frozenset[str]:
        """Every provider id a price can come from: ours (SPEC §7), the library's, our data's."""
        return (provider_ids() | {our_provider(p.id) for p in self.snapshot.providers}
                | {m.provider for m in self._extras})

    def knows_pattern(self, pattern: str) -> bool:
        """Whether a policy glob (`claude-haiku-5-5*`) matches any id, alias or model pattern the catalog knows."""
        if self._names is None:
            names: set[str] = set()
            for provider in self.snapshot.providers:
                for model in provider.models:
                    names.add(model.id.lower())
                    names.update(pattern_names(model.match))
            for extra in self._extras:
                names.update(n.lower() for n in (extra.id, *extra.aliases))
            self._names = sorted(names)
        return bool(fnmatch.filter(self._names, pattern.lower())) or self.lookup(pattern) is not None


@lru_cache(maxsize=1)
def load_catalog() -> PriceCatalog:
    """The bundled catalog (our data read once per process; the library indexed on first lookup)."""
    extras, extra_problems = load_prices_extra()
    retirements, retirement_problems = load_retirements()
    return PriceCatalog(extras, retirements, (*extra_problems, *retirement_problems))
