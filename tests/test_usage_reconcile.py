"""Re-pricing observed calls and reconciling them with the policy, against figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
import pytest

from oberhahn_policy.catalog import load_catalog
from oberhahn_policy.policy import load_policy_text
from oberhahn_policy.usage import (
    CatalogPricer,
    CodeLocation,
    ReadProblem,
    UsageRecord,
    approval,
    observe,
    read_usage,
    reconcile,
)
from oberhahn_policy.usage.pricing import CACHE_WRITE_NOTE

FIXTURES = Path(__file__).parent / "fixtures" / "usage"

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  max_unattributed_pct: 2
teams:
  support: {monthly_budget_usd: 6000}
  search: {}
use_cases:
  kb-answer:
    team: search
    paths: ["helpdesk/search/**"]
    models: {approved: ["gpt-6-luna", "text-embedding-3-small"]}
    limits: {max_cost_per_task_usd: 0.0006}
    budget: {max_drift_pct: 20}
  ticket-triage:
    team: support
    models: {approved: ["gpt-6-luna", "claude-haiku-5-5*"]}
    budget: {max_drift_pct: 50}
  drafts:
    team: support
models:
  default: deny
  denied: ["*-preview"]
  prices:
    acme-large: {input_per_mtok: 1.0, output_per_mtok: 4.0, cached_input_per_mtok: 0.5}
    acme-small: {input_per_mtok: 2.0, output_per_mtok: 8.0}
  discounts: {anthropic: 0.1}
"""

LOADED = load_policy_text(POLICY, "oberhahn-policy.yaml")
CATALOG = load_catalog()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def rec(model: str | None = "gpt-6-luna", input_tokens: int | None = 1000, output_tokens: int | None = 100,
        cached: int = 0, written: int = 0, provider: str | None = "openai", when: str = "2026-11-20T10:00:00",
        use_case: str | None = None, team: str | None = None, task: str | None = "t1", tier: str | None = None,
        reported: float | None = None, code: CodeLocation | None = None) -> UsageRecord:
    attribution = tuple(sorted((k, v) for k, v in (("team", team), ("use_case", use_case)) if v is not None))
    return UsageRecord(source="otlp", file="f.jsonl", line=1, timestamp=at(when), task_id=task, provider=provider,
                       model=model, operation="chat", input_tokens=input_tokens, cached_input_tokens=cached,
                       cache_write_tokens=written, output_tokens=output_tokens, reasoning_tokens=None,
                       reported_cost_usd=reported, attribution=attribution, tags=(), service_tier=tier, code=code,
                       record_id=None)


# --- pricing: each row's figures worked out from the catalog (USD per million tokens) -----------------

PRICES = [
    # gpt-6-luna 0.10 in / 0.50 out: 1200 x 0.10 / 1e6 = 0.00012; 150 x 0.50 / 1e6 = 0.000075
    pytest.param(rec(input_tokens=1200, output_tokens=150), (0.00012, 0.0, 0.0, 0.000075), "catalog:gpt-6-luna",
                 "list", (), id="list-price"),
    # 1024 of 1200 cached at 0.01: 176 x 0.10 = 0.0000176; 1024 x 0.01 = 0.00001024
    pytest.param(rec(input_tokens=1200, output_tokens=150, cached=1024), (0.0000176, 0.00001024, 0.0, 0.000075),
                 "catalog:gpt-6-luna", "list", (), id="cached-input"),
    # haiku 0.10 in / 0.50 out / 0.01 cache read / 0.125 cache write, less the policy's 10% anthropic discount:
    # 1000 uncached x 0.09, 3000 read x 0.009, 1000 written x 0.1125, 400 out x 0.45
    pytest.param(rec("claude-haiku-5-5", 5000, 400, cached=3000, written=1000, provider="anthropic"),
                 (0.00009, 0.000027, 0.0001125, 0.00018), "catalog:claude-haiku-5-5", "list", (),
                 id="cache-write-and-discount"),
    # above 100K input the long-context tier: 0.50/2.50 less 10%: 200000 x 0.45 = 0.09; 1000 x 2.25 = 0.00225
    pytest.param(rec("claude-haiku-5-5", 200_000, 1000, provider="anthropic"), (0.09, 0.0, 0.0, 0.00225),
                 "catalog:claude-haiku-5-5", "list, long-context (>100,000 input tokens)", (), id="long-context"),
    # gemini-4-argon: 2/10 through 2026-11-30, 4/20 from 2026-12-01, each call at its own day's price
    pytest.param(rec("gemini-4-argon", provider="google", when="2026-11-30T23:59:00"), (0.002, 0.0, 0.0, 0.001),
                 "catalog:gemini-4-argon", "list", (), id="price-before-change"),
    pytest.param(rec("gemini-4-argon", provider="google", when="2026-12-01T00:01:00"), (0.004, 0.0, 0.0, 0.002),
                 "catalog:gemini-4-argon", "list", (), id="price-after-change"),
    # OpenAI's flex tier at half price: 2000 x 1.00 x 0.5 = 0.001; 1000 cached x 0.05 x 0.5; 500 x 5.00 x 0.5
    pytest.param(rec("gpt-6.1-terra", 3000, 500, cached=1000, provider="openai", tier="flex"),
                 (0.001, 0.000025, 0.0, 0.00125), "catalog:gpt-6.1-terra", "flex", (), id="flex-tier"),
    # Azure sells no flex tier: list price, and the record says so
    pytest.param(rec("gpt-6.1-terra", 3000, 500, cached=1000, provider="azure-openai", tier="flex"),
                 (0.002, 0.00005, 0.0, 0.0025), "catalog:gpt-6.1-terra", "list",
                 ("service tier 'flex' priced at the standard rate: the catalog has no price for it",),
                 id="flex-tier-azure-has-none"),
    # OpenAI's priority tier at twice list: 1000 in x 0.20 = 0.0002; 100 out x 1.00 = 0.0001
    pytest.param(rec(tier="priority"), (0.0002, 0.0, 0.0, 0.0001), "catalog:gpt-6-luna", "priority", (),
                 id="priority-tier"),
    # a negotiated policy price with its own cached price: 600 x 1.0, 400 x 0.5, 100 x 4.0
    pytest.param(rec("acme-large", cached=400, provider="other"), (0.0006, 0.0002, 0.0, 0.0004), "policy:acme-large",
                 "policy", (), id="policy-price"),
    pytest.param(rec("acme-small", cached=100, provider="other"), (0.0018, 0.0002, 0.0, 0.0008), "policy:acme-small",
                 "policy", ("no cached-input price for acme-small: cached input priced at the input rate "
                            "(an upper bound)",), id="policy-price-without-cached"),
    # Bedrock bills the Anthropic model it hosts (regional endpoints 10% above list), so the anthropic discount
    # does not apply: 200 x 0.11, 500 read x 0.011, 200 written x 0.1375, 80 out x 0.55
    pytest.param(rec("anthropic.claude-haiku-5-5", 900, 80, cached=500, written=200, provider="aws-bedrock"),
                 (0.000022, 0.0000055, 0.0000275, 0.000044), "catalog:regional.anthropic.claude-haiku-5-5", "list", (),
                 id="bedrock-no-vendor-discount"),
    # embeddings report no output tokens
    pytest.param(rec("text-embedding-3-small", 500, None), (0.00001, 0.0, 0.0, 0.0), "catalog:text-embedding-3-small",
                 "list", (), id="embedding"),
]


@pytest.mark.parametrize(("record", "parts", "source", "tier", "notes"), PRICES)
def test_prices(record: UsageRecord, parts: tuple[float, float, float, float], source: str, tier: str,
                notes: tuple[str, ...]) -> None:
    price = CatalogPricer(LOADED.policy, CATALOG).price(record)
    assert price is not None
    assert (price.input_usd, price.cached_input_usd, price.cache_write_usd, price.output_usd) == pytest.approx(parts)
    assert price.total_usd == pytest.approx(sum(parts))
    assert (price.source, price.tier, price.notes, price.priced_on) == (source, tier, notes, record.timestamp.date())


@pytest.mark.parametrize("record", [
    pytest.param(rec("no-such-model"), id="unknown-model"),
    pytest.param(rec(None), id="no-model"),
    pytest.param(rec(input_tokens=None, output_tokens=None), id="no-token-counts"),
])
def test_unpriceable(record: UsageRecord) -> None:
    assert CatalogPricer(LOADED.policy, CATALOG).price(record) is None


# --- approval: the same decision OBH201/OBH203 take for code -------------------------------------------

@pytest.mark.parametrize(("model", "use_case", "expected"), [
    ("gpt-6-luna", "kb-answer", (True, None)),
    ("claude-haiku-5-5-20261001", "ticket-triage", (True, None)),
    ("gpt-6-sol", "kb-answer", (False, "not in models.approved (gpt-6-luna, text-embedding-3-small)")),
    ("gpt-6-luna-preview", "kb-answer", (False, "matches models.denied pattern '*-preview'")),
    ("gpt-6-luna", "drafts", (False, "the use case approves no models and models.default is deny")),
    ("gpt-6-luna", None, (None, None)),
])
def test_approval(model: str, use_case: str | None, expected: tuple[bool | None, str | None]) -> None:
    declared = LOADED.policy.use_cases.get(use_case) if use_case else None
    assert approval(model, declared, LOADED.policy) == expected


# --- reconciliation ------------------------------------------------------------------------------------

TRIAGE_SITE = CodeLocation("/srv/app/helpdesk/triage.py", 12)
REFUND_SITE = CodeLocation("helpdesk/refunds.py", 7)


def traffic() -> list[UsageRecord | ReadProblem]:
    kb = dict(use_case="kb-answer", team="search", input_tokens=3000, output_tokens=300)
    return [
        rec(**kb, task="A", when="2026-11-20T09:00:00", reported=0.0004),
        rec(**kb, task="A", when="2026-11-20T09:00:05"),
        rec(**kb, task="B", when="2026-11-21T09:00:00"),
        rec(use_case="ticket-triage", input_tokens=1200, output_tokens=150, task="D"),  # team from the use case
        rec("claude-opus-5-5", 1000, 100, provider="anthropic", use_case="ticket-triage", team="support", task="E",
            code=TRIAGE_SITE),
        rec(input_tokens=2000, output_tokens=200, task="F"),  # no use case
        rec("gemini-4-argon", provider="google", use_case="refund-bot", team="support", task="G",
            when="2026-11-30T12:00:00", code=REFUND_SITE),
        ReadProblem("f.jsonl", 9, "not valid JSON"),
    ]


def test_drift_figure_worked_by_hand() -> None:
    """kb-answer: task A made two calls, task B one, each gpt-6-luna with 3,000 input and 300 output tokens.

    One call: 3000 x $0.10/M + 300 x $0.50/M = $0.0003 + $0.00015 = $0.00045.
    Spend: 3 calls x $0.00045 = $0.00135 over 2 tasks = $0.000675 per task.
    Drift against a projected $0.0005 per task: (0.000675 - 0.0005) / 0.0005 x 100 = 35%.
    """
    report = reconcile(traffic(), LOADED.policy, CatalogPricer(LOADED.policy, CATALOG), {"kb-answer": 0.0005})
    kb = report.use_case("kb-answer")
    assert kb is not None
    assert (kb.calls, kb.tasks, kb.input_tokens, kb.output_tokens) == (3, 2, 9000, 900)
    assert kb.spend_usd == pytest.approx(0.00135)
    assert kb.cost_per_task_usd == pytest.approx(0.000675)
    assert kb.drift_pct == pytest.approx(35.0)
    assert (kb.projected_cost_per_task_usd, kb.max_cost_per_task_usd, kb.max_drift_pct) == (0.0005, 0.0006, 20)
    # the one call that reported a cost: re-priced $0.00045 - reported $0.0004 = +$0.00005
    assert (kb.reported_usd, kb.reported_calls) == (0.0004, 1)
    assert kb.repricing_delta_usd == pytest.approx(0.00005)
    assert [(d.day, d.calls, d.tasks) for d in kb.days] == [(date(2026, 11, 20), 2, 1), (date(2026, 11, 21), 1, 1)]
    assert [d.cost_per_task_usd for d in kb.days] == pytest.approx([0.0009, 0.00045])


def test_report_rows_teams_and_shares() -> None:
    report = reconcile(traffic(), LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    # ticket-triage: 1200 x 0.10 + 150 x 0.50 = $0.000195; opus 4/20 less 10%: 1000 x 3.6 + 100 x 18 = $0.0054
    # unattributed: 2000 x 0.10 + 200 x 0.50 = $0.0003; refund-bot: 1000 x 2 + 100 x 10 = $0.003
    total = 0.00135 + 0.000195 + 0.0054 + 0.0003 + 0.003
    assert report.total_spend_usd == pytest.approx(total)
    assert [u.name for u in report.use_cases] == ["drafts", "kb-answer", "ticket-triage"]
    drafts, kb, triage = report.use_cases
    assert (drafts.calls, drafts.cost_per_task_usd, drafts.share_pct) == (0, None, 0.0)
    assert triage.spend_usd == pytest.approx(0.005595) and triage.team == "support"
    assert [(m.model, m.calls, m.approved) for m in triage.models] == [("claude-opus-5-5", 1, False),
                                                                         ("gpt-6-luna", 1, True)]
    assert triage.models[0].call_site == TRIAGE_SITE and triage.call_site == TRIAGE_SITE
    assert report.unattributed.status == "unattributed" and report.unattributed.share_pct == pytest.approx(0.0003 / total * 100)
    (refund,) = report.undeclared
    assert (refund.name, refund.status, refund.team, refund.spend_usd) == ("refund-bot", "undeclared", "support",
                                                                          pytest.approx(0.003))
    assert [(t.name, t.calls, t.tasks, t.use_cases) for t in report.teams] == [
        ("search", 3, 2, ("kb-answer",)), ("support", 3, 3, ("refund-bot", "ticket-triage")), (None, 1, 1, ())]
    assert report.teams[1].monthly_budget_usd == 6000
    assert sum(t.share_pct or 0 for t in report.teams) == pytest.approx(100)
    assert (report.records_read, report.total_calls, report.unpriced_calls) == (7, 7, 0)
    assert [p.line for p in report.problems] == [9]
    assert (report.first_seen, report.last_seen) == (at("2026-11-20T09:00:00"), at("2026-11-30T12:00:00"))


def test_unpriced_calls_make_a_row_a_lower_bound() -> None:
    records = [rec(use_case="kb-answer", task="A"), rec("mystery-model", use_case="kb-answer", task="B")]
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    kb = report.use_case("kb-answer")
    assert kb is not None and not kb.complete and kb.unpriced_calls == 1
    # the known spend ($0.00015) over both tasks: a lower bound, and said so
    assert kb.cost_per_task_usd == pytest.approx(0.000075)
    assert report.unpriced_models == ("mystery-model",)
    assert kb.model("mystery-model") is not None and kb.model("mystery-model").price_source is None  # type: ignore[union-attr]


@pytest.mark.parametrize(("since", "until", "calls"), [
    (None, None, 4),
    (date(2026, 11, 20), date(2026, 11, 20), 2),  # inclusive whole days
    (date(2026, 11, 20), None, 3),
    (None, date(2026, 11, 19), 1),
    (datetime(2026, 11, 20, 12, 0), datetime(2026, 11, 21, 0, 0), 2),  # zone-less datetimes are UTC, inclusive
])
def test_window(since: date | None, until: date | None, calls: int) -> None:
    records = [rec(when="2026-11-19T23:59:59"), rec(when="2026-11-20T00:00:00"), rec(when="2026-11-20T23:59:59"),
               rec(when="2026-11-21T00:00:00")]
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG), since=since, until=until)
    assert report.total_calls == calls and report.records_outside_window == 4 - calls


def test_call_site_paths_map_to_use_cases() -> None:
    """A record without a use case whose call site falls under `use_cases.NAME.paths` belongs to that use case."""
    records = [rec(code=CodeLocation("/srv/app/helpdesk/search/answer.py", 3)), rec(code=CodeLocation("other.py"))]
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    kb = report.use_case("kb-answer")
    assert kb is not None and kb.calls == 1 and kb.team == "search"
    assert report.unattributed.calls == 1


# --- observations for the rules ------------------------------------------------------------------------

def test_observations(tmp_path: Path) -> None:
    (tmp_path / "helpdesk").mkdir()
    (tmp_path / "helpdesk" / "triage.py").write_text("")
    (tmp_path / "helpdesk" / "refunds.py").write_text("")
    report = reconcile(traffic(), LOADED.policy, CatalogPricer(LOADED.policy, CATALOG), {"kb-answer": 0.0005})
    found = {o.code: o for o in observe(report, LOADED, root=tmp_path)}
    assert sorted(found) == ["OBH601", "OBH602", "OBH603", "OBH604", "OBH605"]

    drift = found["OBH601"]
    assert (drift.name, drift.path, drift.use_case, drift.at_call_site) == ("cost-per-task-drift",
                                                                            "oberhahn-policy.yaml", "kb-answer", False)
    assert (drift.line, drift.column) == LOADED.position(("use_cases", "kb-answer", "budget", "max_drift_pct"))[1:]
    assert drift.message.startswith("use case 'kb-answer' costs $0.000675 per task in observed usage, 35.0% above "
                                    "its projected $0.0005 (budget.max_drift_pct: 20): $0.00135 over 2 tasks and "
                                    "3 calls from 2026-11-20 to 2026-11-21")
    assert dict(drift.figures)["drift_pct"] == pytest.approx(35.0)

    limit = found["OBH602"]
    # (0.000675 - 0.0006) / 0.0006 x 100 = 12.5% over
    assert "above limits.max_cost_per_task_usd $0.0006, 12.5% over" in limit.message
    assert limit.line == LOADED.position(("use_cases", "kb-answer", "limits", "max_cost_per_task_usd"))[1]

    share = found["OBH603"]
    # $0.0003 of $0.010245 = 2.9%, above 2
    assert share.message.startswith("$0.0003 of $0.01025 observed spend (2.9%) names no use case, above "
                                    "attribution.max_unattributed_pct 2: 1 call on 2026-11-20")
    assert share.line == LOADED.position(("attribution", "max_unattributed_pct"))[1]

    undeclared = found["OBH604"]
    assert (undeclared.path, undeclared.line, undeclared.at_call_site) == ("helpdesk/refunds.py", 7, True)
    assert "use case 'refund-bot' (team 'support') appears in usage records, 1 call and $0.003 on 2026-11-30" \
        in undeclared.message

    unapproved = found["OBH605"]
    # the runtime path /srv/app/helpdesk/triage.py is helpdesk/triage.py in the repository
    assert (unapproved.path, unapproved.line, unapproved.model) == ("helpdesk/triage.py", 12, "claude-opus-5-5")
    assert unapproved.message == ("model 'claude-opus-5-5' served 1 call ($0.0054) of use case 'ticket-triage', "
                                  "which does not approve it: not in models.approved (gpt-6-luna, claude-haiku-5-5*)")


def test_a_call_site_outside_the_project_is_named_at_the_policy(tmp_path: Path) -> None:
    """A runtime path with no file under the project root is no place to annotate: the finding goes to the policy."""
    report = reconcile(traffic(), LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    found = {o.code: o for o in observe(report, LOADED, root=tmp_path)}
    undeclared, unapproved = found["OBH604"], found["OBH605"]
    assert (undeclared.path, undeclared.line, undeclared.at_call_site) == (
        ("oberhahn-policy.yaml", *LOADED.position(("use_cases",))[1:2], False))
    assert undeclared.message.endswith("(the records name the call site helpdesk/refunds.py:7, which is not in the "
                                       "project)")
    assert unapproved.line == LOADED.position(("use_cases", "ticket-triage", "models", "approved"))[1]
    assert "call site /srv/app/helpdesk/triage.py:12, which is not in the project" in unapproved.message
    # without a project to look in, the records' own paths are kept
    assert {o.code: o.path for o in observe(report, LOADED)}["OBH605"] == "/srv/app/helpdesk/triage.py"


def test_no_observations_within_limits() -> None:
    records = [rec(use_case="kb-answer", team="search", task=str(i)) for i in range(3)]
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG), {"kb-answer": 0.00015})
    assert observe(report, LOADED) == ()


def test_lower_bound_is_said_in_the_message() -> None:
    records = [rec(use_case="kb-answer", input_tokens=3000, output_tokens=3000, task="A"),
               rec("mystery-model", use_case="kb-answer", task="A")]
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    (over,) = [o for o in observe(report, LOADED) if o.code == "OBH602"]
    assert "(1 call could not be priced, so the observed figure is a lower bound)" in over.message


@pytest.mark.parametrize(("records", "said"), [
    # the unpriced call is unattributed: the share can only be higher
    ([rec(use_case="kb-answer", task="A"), rec(task="B", input_tokens=3000), rec("mystery-model", task="C")],
     "(at least: 1 of the calls could not be priced)"),
    # the unpriced call is attributed: the share may be lower than it looks
    ([rec(use_case="kb-answer", task="A"), rec(task="B", input_tokens=3000), rec("mystery-model", use_case="kb-answer")],
     "(the share may be lower: 1 attributed call could not be priced)"),
])
def test_unpriced_calls_bound_the_unattributed_share(records: list[UsageRecord], said: str) -> None:
    report = reconcile(records, LOADED.policy, CatalogPricer(LOADED.policy, CATALOG))
    (share,) = [o for o in observe(report, LOADED) if o.code == "OBH603"]
    assert said in share.message


def test_fixtures_end_to_end() -> None:
    """Every fixture read and reconciled in one pass; what could not be read is reported beside the figures."""
    policy = LOADED.policy
    items = read_usage(sorted(p for p in FIXTURES.iterdir() if p.suffix != ".md"), policy)
    report = reconcile(items, policy, CatalogPricer(policy, CATALOG))
    assert len(report.files) == 14 and sum(f.records for f in report.files) == report.records_read == 35
    assert len(report.problems) == sum(f.problems for f in report.files) == 12
    names = {u.name for u in report.undeclared}
    assert names == {"refund-bot", "ticket-summary"}
    assert report.unpriced_models == ("azure/helpdesk-gpt",)  # an Azure deployment name is not a model id
    assert report.total_spend_usd > 0 and report.reported_usd is not None


def test_record_fields_are_frozen() -> None:
    record = rec()
    with pytest.raises(AttributeError):
        record.model = "x"  # type: ignore[misc]
    assert replace(record, model="x").model == "x"
