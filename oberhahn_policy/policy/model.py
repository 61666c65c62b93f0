"""The policy file as pydantic models; the field names are the contract of SPEC §5.

schemas/policy.schema.json is generated from `Policy` (`oberhahn-policy schema`), and a test
fails when the checked-in copy drifts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal, Union

import pathspec
import re2
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from ..callsite import LAYERS, Layer
from .usage_settings import UsageSettings

SeverityName = Literal["error", "warning", "info"]


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored.

    Numbers must be finite (`.inf` and `.nan` are YAML floats): an infinite budget or volume would
    make every projection infinite, and JSON has no infinity.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


#: Upper bounds of amounts and volumes: far above any real policy, low enough that every product the
#: cost projection forms (tasks x calls x tokens x price) stays a finite float.
_MAX_USD = 1e12
_MAX_TASKS = 1e15
_MAX_TOKENS = 1_000_000_000
_MAX_PRICE_PER_MTOK = 1e6
_MAX_FACTOR = 1e6


def gitignore_pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not a usable gitignore-style pattern, or None (for policy, pyproject and `--exclude`)."""
    if "\x00" in pattern:
        return "a pattern cannot contain a NUL character"
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except ValueError as exc:  # pathspec's GitIgnorePatternError
        detail = str(exc).removeprefix("Invalid git pattern: ")
        return f"not a valid gitignore-style pattern ({detail}); a trailing or lone backslash escapes nothing: remove it"
    return None


def _gitignore_pattern(pattern: str) -> str:
    problem = gitignore_pattern_problem(pattern)
    if problem is not None:
        raise ValueError(problem)
    return pattern


#: A gitignore-style pattern, validated when the policy is loaded (not when the first file is matched).
GitignorePattern = Annotated[str, AfterValidator(_gitignore_pattern)]


@lru_cache(maxsize=256)
def _linear_regex(pattern: str) -> re2._Regexp[str]:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error to stderr
    return re2.compile(pattern, options)


def linear_pattern_problem(pattern: str) -> str | None:
    """Why `pattern` can't be matched in linear time by RE2, or None."""
    try:
        _linear_regex(pattern)
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return (f"not a valid regular expression ({detail}); patterns are matched by RE2 in linear time, "
                "so backreferences and lookarounds are not available")
    return None


class FilesConfig(_Strict):
    """Which files are read; patterns use gitignore semantics."""

    include: tuple[GitignorePattern, ...] = ("**/*.py",)
    exclude: tuple[GitignorePattern, ...] = ()
    respect_gitignore: bool = True


class AllowedValues(_Strict):
    """The values an attribution key may take: a registry (`teams`, `use_cases`), a list, or a regex.

    The regex is matched by RE2, in time linear in the value: the value comes from the code under
    review, and a backtracking engine lets `^(a+)+$` against 33 characters stall a run for minutes.
    """

    from_: Literal["teams", "use_cases"] | None = Field(default=None, alias="from")
    values: tuple[str, ...] | None = None
    pattern: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            problem = linear_pattern_problem(value)
            if problem is not None:
                raise ValueError(problem)
        return value

    def matches(self, value: str) -> bool:
        """Whether `value` matches `pattern` in full (True when there is no pattern); linear time."""
        return self.pattern is None or _linear_regex(self.pattern).fullmatch(value) is not None


class AttributionConfig(_Strict):
    """Which attribution keys every call must carry, and where they may come from."""

    required: tuple[str, ...] = ("team", "use_case")
    optional: tuple[str, ...] = ()
    #: Header prefixes that carry attribution (`X-Oberhahn-Use-Case` -> `use_case`).
    header_prefix: Union[str, tuple[str, ...]] = "X-Oberhahn-"
    #: A non-literal value counts as present.
    allow_dynamic: bool = True
    values: dict[str, AllowedValues] = Field(default_factory=dict)
    #: Layers whose keys count; the default is all of them (SPEC §4).
    carriers: tuple[Layer, ...] = LAYERS
    #: Decorators and context managers (qualified names) whose keyword arguments carry attribution.
    scopes: tuple[str, ...] = ()
    #: Observed spend without a use case may be at most this share of all observed spend (OBH603).
    max_unattributed_pct: float | None = Field(default=None, ge=0, le=100)

    @property
    def header_prefixes(self) -> tuple[str, ...]:
        if isinstance(self.header_prefix, str):
            return (self.header_prefix,)
        return self.header_prefix


class Team(_Strict):
    """A team that owns use cases and their spend."""

    owner: str | None = None
    description: str | None = None
    monthly_budget_usd: float | None = Field(default=None, ge=0, le=_MAX_USD)


class ModelApproval(_Strict):
    """Models approved for a use case, as glob patterns over model ids."""

    approved: tuple[str, ...] = ()
    #: The models the use case's configuration-driven calls may run, where the code reads the model from a setting
    #: the tool can't see: approval, retirement and cost are judged on these instead of reporting the model unresolved.
    assume: tuple[str, ...] = ()


class UseCaseLimits(_Strict):
    """Per-call ceilings for a use case."""

    max_output_tokens: int | None = Field(default=None, ge=1, le=_MAX_TOKENS)
    max_cost_per_call_usd: float | None = Field(default=None, ge=0, le=_MAX_USD)
    max_cost_per_task_usd: float | None = Field(default=None, ge=0, le=_MAX_USD)


class UseCaseBudget(_Strict):
    """Volume and budget of a use case, from which its monthly spend is projected."""

    monthly_usd: float | None = Field(default=None, ge=0, le=_MAX_USD)
    tasks_per_month: float | None = Field(default=None, ge=0, le=_MAX_TASKS)
    avg_input_tokens: float | None = Field(default=None, ge=0, le=_MAX_TOKENS)
    avg_output_tokens: float | None = Field(default=None, ge=0, le=_MAX_TOKENS)
    max_increase_pct: float | None = Field(default=None, ge=0, le=_MAX_FACTOR)
    #: Observed cost per task may exceed the projected one by at most this percentage (OBH601).
    max_drift_pct: float | None = Field(default=None, ge=0, le=_MAX_FACTOR)
    #: How many times each call site of the use case runs per task (default 1).
    calls_per_task: float = Field(default=1, gt=0, le=_MAX_FACTOR)
    #: Seconds of audio per call, for speech-to-text models priced per minute of audio (Whisper).
    avg_audio_seconds: float | None = Field(default=None, ge=0, le=_MAX_TOKENS)
    #: Characters of input per call, for text-to-speech models priced per character.
    avg_input_characters: float | None = Field(default=None, ge=0, le=_MAX_TOKENS)
    #: Images generated per call, for image models priced per image (the APIs' default `n` is 1).
    images_per_call: float = Field(default=1, ge=0, le=_MAX_FACTOR)


class QualityBar(_Strict):
    """The evaluation score a use case's models must show, and where the results that show it live."""

    #: `pass_rate` (promptfoo), an Inspect metric (`accuracy`, or `scorer/metric`), or a promptfoo named score.
    metric: str = Field(min_length=1)
    #: The lowest acceptable score, as a fraction.
    min: float = Field(ge=0, le=1)
    #: Result files, as gitignore-style patterns relative to the project root (`evals/triage/**`).
    evidence: tuple[GitignorePattern, ...] = Field(min_length=1)
    #: Results older than this many days no longer count.
    max_age_days: int | None = Field(default=None, ge=1, le=36_500)


class UseCase(_Strict):
    """A unit of business value that LLM calls serve, with its approved models and budget."""

    description: str | None = None
    team: str | None = None
    #: Default use case for calls in files matching these patterns (gitignore semantics).
    paths: tuple[GitignorePattern, ...] = ()
    models: ModelApproval = ModelApproval()
    limits: UseCaseLimits = UseCaseLimits()
    budget: UseCaseBudget = UseCaseBudget()
    #: The evaluation evidence its models need (OBH206, OBH207).
    quality: QualityBar | None = None
    #: `offline` work can wait for a batch tier (OBH306).
    latency: Literal["interactive", "offline"] | None = None


class ModelPrice(_Strict):
    """A negotiated or missing price, USD per million tokens."""

    input_per_mtok: float = Field(ge=0, le=_MAX_PRICE_PER_MTOK)
    output_per_mtok: float = Field(default=0, ge=0, le=_MAX_PRICE_PER_MTOK)
    cached_input_per_mtok: float | None = Field(default=None, ge=0, le=_MAX_PRICE_PER_MTOK)


class ModelsConfig(_Strict):
    """Organisation-wide model governance."""

    #: Whether models are allowed for use cases that have no approved list.
    default: Literal["allow", "deny"] = "allow"
    #: Findings about a model or an output limit known only as a default (a parameter's default, an environment
    #: variable's default, the right side of `x or DEFAULT`) are reported one severity lower, since the program may
    #: use another value; `true` reports them at full severity.
    trust_defaults: bool = False
    denied: tuple[str, ...] = ()
    retirement_notice_days: int = Field(default=60, ge=0, le=36_500)
    prices: dict[str, ModelPrice] = Field(default_factory=dict)
    #: Fraction off list price per provider (`openai: 0.15`).
    discounts: dict[str, float] = Field(default_factory=dict)

    @field_validator("discounts")
    @classmethod
    def _fractions(cls, value: dict[str, float]) -> dict[str, float]:
        for provider, fraction in value.items():
            if not 0 <= fraction < 1:
                raise ValueError(f"discount for {provider!r} must be a fraction in [0, 1), got {fraction}")
        return value


class GatewaysConfig(_Strict):
    """Approved ways for a client to reach a provider."""

    base_urls: tuple[str, ...] = ()
    factories: tuple[str, ...] = ()


class TracingConfig(_Strict):
    """Tracing every call must run inside."""

    decorators: tuple[str, ...] = ()
    context_managers: tuple[str, ...] = ()
    instrumentors: tuple[str, ...] = ()


class InstrumentationConfig(_Strict):
    gateways: GatewaysConfig = GatewaysConfig()
    tracing: TracingConfig = TracingConfig()
    max_static_prompt_tokens: int | None = Field(default=None, ge=1, le=_MAX_TOKENS)


class Wrapper(_Strict):
    """An organisation's own function that makes an LLM call (`acme.llm.complete`)."""

    function: str
    provider: str = "other"
    operation: str = "chat"
    #: Argument names of the wrapper that carry the model and the output limit.
    model: str | None = None
    max_output_tokens: str | None = None
    #: The models the wrapper's calls may run when the model argument can't be read (a setting, a database value).
    models: tuple[str, ...] = ()
    #: Attribution key -> argument name.
    attribution: dict[str, str] = Field(default_factory=dict)


class SuppressionsConfig(_Strict):
    require_reason: bool = False


class RuleConfig(_Strict):
    """A rule's switch and severity."""

    enabled: bool = True
    severity: SeverityName | None = None
    #: Severity of the rule's findings it can't verify (a limit or a key that may be hidden in `**kwargs` or an
    #: opaque call); default: one level below the rule's severity. `error` makes unknowns fail the gate.
    unknown: SeverityName | None = None


class UnattributedConfig(_Strict):
    """Volume assumed for call sites no declared use case claims, so their spend is a number, not a blank."""

    budget: UseCaseBudget = UseCaseBudget()


class Policy(_Strict):
    """An oberhahn-policy file (`oberhahn-policy.yaml`)."""

    version: Literal[1] = 1
    extends: tuple[str, ...] = ()
    files: FilesConfig = FilesConfig()
    attribution: AttributionConfig = AttributionConfig()
    teams: dict[str, Team] = Field(default_factory=dict)
    use_cases: dict[str, UseCase] = Field(default_factory=dict)
    models: ModelsConfig = ModelsConfig()
    instrumentation: InstrumentationConfig = InstrumentationConfig()
    wrappers: tuple[Wrapper, ...] = ()
    suppressions: SuppressionsConfig = SuppressionsConfig()
    rules: dict[str, RuleConfig] = Field(default_factory=dict)
    unattributed: UnattributedConfig = UnattributedConfig()
    usage: UsageSettings = UsageSettings()
