"""Cost arithmetic against figures computed by hand (SPEC §5)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from helpers import REPO, check_project, write_project

from oberhahn_policy.catalog import load_catalog
from oberhahn_policy.cost import (
    CostReport,
    billing_provider,
    diff,
    price_call,
    project,
    usd,
)
from oberhahn_policy.policy import load_policy
from oberhahn_policy.report import ReportContext
from oberhahn_policy.report.cost import cost_text

DAY = date(2026, 11, 28)

POLICY = """\
version: 1
teams:
  support: {monthly_budget_usd: 1000}
use_cases:
  triage:
    team: support
    paths: ["triage.py"]
    budget: {monthly_usd: 100, tasks_per_month: 300000, avg_input_tokens: 1200, avg_output_tokens: 150, calls_per_task: 2}
models:
  discounts: {openai: 0.15}
  prices:
    acme-*: {input_per_mtok: 1.0, output_per_mtok: 4.0}
"""


def call(model: str, limit: int | None) -> str:
    limit_text = f", max_completion_tokens={limit}" if limit is not None else ""
    return (f"from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run(text: str) -> None:\n"
            f"    client.chat.completions.create(model=\"{model}\", messages=[]{limit_text})\n")


def projection(tmp_path: Path, source: str, policy: str = POLICY, day: date = DAY):  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", {"triage.py": source}, policy)
    report = check_project(root)
    return project(report.call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), day)


@pytest.mark.parametrize(("model", "limit", "expected", "worst", "monthly"), [
    # gpt-6-luna list 0.10/0.50, 15% off -> 0.085/0.425: 1200*0.085e-6 + 150*0.425e-6; worst with 512 output tokens
    ("gpt-6-luna", 512, 0.000102 + 0.00006375, 0.000102 + 512 * 0.425e-6, (0.000102 + 0.00006375) * 2 * 300000),
    # the limit caps the expected output: 100 < 150 average
    ("gpt-6-luna", 100, 0.000102 + 100 * 0.425e-6, 0.000102 + 100 * 0.425e-6, (0.000102 + 0.0000425) * 2 * 300000),
    # a policy price is the negotiated price: no discount on top
    ("acme-7b", 256, 1200 * 1e-6 + 150 * 4e-6, 1200 * 1e-6 + 256 * 4e-6, (0.0012 + 0.0006) * 600000),
    # no limit: expected uses the average, the worst case is unbounded
    ("gpt-6-sol", None, 1200 * 1.7e-6 + 150 * 8.5e-6, None, (0.00204 + 0.001275) * 600000),
])
def test_cost_per_call_and_projection(tmp_path: Path, model: str, limit: int | None, expected: float,
                                      worst: float | None, monthly: float) -> None:
    costs = projection(tmp_path, call(model, limit))
    row = costs.use_case("triage")
    assert row is not None and row.complete
    (site,) = row.sites
    assert site.expected_usd == pytest.approx(expected)
    assert (site.worst_case_usd is None) == (worst is None) and site.unbounded == (worst is None)
    if worst is not None:
        assert site.worst_case_usd == pytest.approx(worst)
    assert row.cost_per_task_usd == pytest.approx(expected * 2)
    assert row.projected_monthly_usd == pytest.approx(monthly)
    assert row.headroom_usd == pytest.approx(100 - monthly)
    assert costs.teams[0].projected_monthly_usd == pytest.approx(monthly)


def test_scheduled_price_change_follows_today(tmp_path: Path) -> None:
    # gemini-4-argon: 2/10 through 2026-11-30, 4/20 from 2026-12-01
    source = call("gemini-4-argon", 512)
    before = projection(tmp_path / "a", source, day=date(2026, 11, 30)).use_case("triage")
    after = projection(tmp_path / "b", source, day=date(2026, 12, 1)).use_case("triage")
    assert before is not None and after is not None
    # the OpenAI SDK only carries Google's model here: Google bills, so the openai discount does not apply
    assert before.sites[0].expected_usd == pytest.approx(1200 * 2e-6 + 150 * 10e-6)
    assert after.sites[0].expected_usd == pytest.approx(1200 * 4e-6 + 150 * 20e-6)


@pytest.mark.parametrize(("avg_input", "price_in", "price_out"), [(100000, 0.10, 0.50), (100001, 0.50, 2.50)])
def test_long_context_tier(tmp_path: Path, avg_input: int, price_in: float, price_out: float) -> None:
    # claude-haiku-5-5: 0.10/0.50, prompts above 100K tokens 0.50/2.50 (reference row 15)
    source = ("import anthropic\n\nclient = anthropic.Anthropic()\n"
              "client.messages.create(model=\"claude-haiku-5-5\", max_tokens=200, messages=[])\n")
    policy = POLICY.replace("avg_input_tokens: 1200", f"avg_input_tokens: {avg_input}")
    row = projection(tmp_path, source, policy).use_case("triage")
    assert row is not None
    assert row.sites[0].expected_usd == pytest.approx((avg_input * price_in + 150 * price_out) / 1e6)


def test_unknown_model_is_never_zero(tmp_path: Path) -> None:
    costs = projection(tmp_path, call("gpt-6-lunar", 256))
    row = costs.use_case("triage")
    assert row is not None
    assert not row.complete and row.sites[0].expected_usd is None and row.cost_per_call_usd is None
    assert "not in the price catalog" in row.gaps[0]
    assert not costs.complete


def test_embedding_has_no_output(tmp_path: Path) -> None:
    source = ("from openai import OpenAI\n\nclient = OpenAI()\n"
              "client.embeddings.create(model=\"text-embedding-3-small\", input=\"hello\")\n")
    row = projection(tmp_path, source).use_case("triage")
    assert row is not None and row.complete
    assert row.sites[0].expected_usd == pytest.approx(1200 * 0.02e-6 * 0.85)
    assert row.sites[0].worst_case_usd == row.sites[0].expected_usd and not row.unbounded


def test_unattributed_calls_are_a_row_of_their_own(tmp_path: Path) -> None:
    policy = POLICY + "unattributed:\n  budget: {tasks_per_month: 1000, avg_input_tokens: 800, avg_output_tokens: 200}\n"
    root = write_project(tmp_path / "p", {"triage.py": call("gpt-6-luna", 256), "other.py": call("gpt-4o-mini", 300)}, policy)
    report = check_project(root)
    costs = project(report.call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    rest = costs.unattributed
    assert [s.site.path for s in rest.sites] == ["other.py"]
    # gpt-4o-mini 0.15/0.60 less 15%: 800*0.1275e-6 + 200*0.51e-6 = 0.000204; x1000
    assert rest.projected_monthly_usd == pytest.approx(0.204)
    assert costs.total_monthly_usd == pytest.approx(0.204 + (0.000102 + 0.00006375) * 600000)


def test_diff_names_the_call_that_changed(tmp_path: Path) -> None:
    base = projection(tmp_path / "a", call("gpt-6-luna", 256))
    head = projection(tmp_path / "b", call("gpt-6-sol", 256))
    policy = load_policy(tmp_path / "b" / "p" / "oberhahn-policy.yaml").policy
    (row, rest) = diff(base, head, policy)
    assert row.name == "triage" and rest.name is None
    before = (0.000102 + 0.00006375) * 600000
    after = (1200 * 1.7e-6 + 150 * 8.5e-6) * 600000
    assert row.before_usd == pytest.approx(before) and row.after_usd == pytest.approx(after)
    assert row.delta_usd == pytest.approx(after - before)
    assert row.delta_pct == pytest.approx((after - before) / before * 100)
    (change,) = row.changes
    assert (change.kind, change.model_before, change.model_after) == ("changed", "gpt-6-luna", "gpt-6-sol")


@pytest.mark.parametrize(("provider", "model", "billed_by"), [
    ("openai", "gpt-6-luna", "openai"), ("azure-openai", "gpt-6-luna", "azure-openai"),
    ("aws-bedrock", "claude-haiku-5-5", "aws-bedrock"), ("litellm", "claude-haiku-5-5", "anthropic"),
    ("openai", "gemini-4-argon", "google"),
])
def test_billing_provider(provider: str, model: str, billed_by: str) -> None:
    entry = load_catalog().lookup(model)
    assert entry is not None and billing_provider(provider, entry) == billed_by


@pytest.mark.parametrize(("value", "text"), [
    (0, "$0.00"), (1476.48, "$1,476.48"), (0.012, "$0.012"), (0.00016575, "$0.0001657"), (6.8e-7, "$0.00000068"),
    (-22.5, "-$22.50"), (None, "n/a"),
])
def test_usd(value: float | None, text: str) -> None:
    assert usd(value) == text


# --- the prices a call really pays: cached prefix, batch, service tiers, units -------------------------------

#: A static system prompt of 2,000 words: estimate_tokens = ceil((2,000 pieces + 12,000 chars / 4) / 2) = 2,500 tokens.
SYSTEM = "alpha " * 2000

CACHED_AND_BATCH = {
    "assist.py": f'''
        import anthropic

        SYSTEM = {SYSTEM!r}
        client = anthropic.Anthropic()


        def answer(question: str) -> str:
            reply = client.messages.create(
                model="claude-sonnet-5-5", max_tokens=1000,
                system=[{{"type": "text", "text": SYSTEM, "cache_control": {{"type": "ephemeral"}}}}],
                messages=[{{"role": "user", "content": question}}],
            )
            return reply.content[0].text
        ''',
    "nightly.py": '''
        from google import genai

        client = genai.Client()


        def submit(requests: list[dict]) -> None:
            client.batches.create(model="gemini-3.8-flash", src=requests)
        ''',
}
CACHED_AND_BATCH_POLICY = """\
version: 1
use_cases:
  assist:
    paths: ["assist.py"]
    budget: {tasks_per_month: 100000, avg_input_tokens: 4000, avg_output_tokens: 500}
  nightly:
    paths: ["nightly.py"]
    budget: {tasks_per_month: 100000, avg_input_tokens: 4000, avg_output_tokens: 500}
"""


def test_cached_static_prefix_and_batch_job_change_the_projection(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", CACHED_AND_BATCH, CACHED_AND_BATCH_POLICY)
    report = check_project(root)
    costs = project(report.call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    assist, nightly = costs.use_case("assist"), costs.use_case("nightly")
    assert assist is not None and nightly is not None and assist.complete and nightly.complete

    # assist: claude-sonnet-5-5 lists 2.00 in / 10.00 out / 0.10 cache read / 2.50 cache write (5 minutes).
    # The 2,500-token system prompt is marked for caching and above Anthropic's 1,024-token minimum.
    # 100,000 calls a month, one cache write per 5-minute lifetime: min(100,000, 8,640) = 8,640 writes, 91,360 reads,
    # so the prefix costs 0.0864 x 2.50 + 0.9136 x 0.10 = 0.30736 per million tokens.
    # input: 1,500 uncached x 2.00 + 2,500 x 0.30736 = 3,000 + 768.4 = 3,768.4 per million = $0.0037684
    # output: 500 x 10.00 = $0.005; expected $0.0087684 a call (list price would be 4,000 x 2 + 500 x 10 = $0.013)
    (site,) = assist.sites
    assert site.price_basis == "list, cached prefix (2,500 tokens)"
    assert site.expected_usd == pytest.approx(0.0087684)
    assert site.worst_case_usd == pytest.approx(0.0037684 + 1000 * 10e-6)  # max_tokens=1000 at 10.00
    assert assist.projected_monthly_usd == pytest.approx(876.84)  # x 100,000 tasks (list: $1,300.00)

    # nightly: gemini-3.8-flash through the Batch API: 0.375 in / 1.875 out on 2026-11-28 (list 0.75 / 3.75)
    # 4,000 x 0.375 + 500 x 1.875 = 1,500 + 937.5 = 2,437.5 per million = $0.0024375 a call (list: $0.004875)
    (job,) = nightly.sites
    assert job.price_basis == "batch" and job.unbounded  # batches.create takes no output limit
    assert job.expected_usd == pytest.approx(0.0024375)
    assert nightly.projected_monthly_usd == pytest.approx(243.75)
    assert costs.total_monthly_usd == pytest.approx(876.84 + 243.75)

    text = cost_text(CostReport(costs), ReportContext())
    assert "Prices other than list price:" in text
    assert "assist: assist.py:9 claude-sonnet-5-5: list, cached prefix (2,500 tokens)" in text
    assert "nightly: nightly.py:8 gemini-3.8-flash: batch" in text


def test_a_short_prefix_is_not_cached(tmp_path: Path) -> None:
    # 200 words: ceil((200 + 1,200 / 4) / 2) = 250 tokens, below Anthropic's 1,024-token minimum: list price
    files = {"assist.py": CACHED_AND_BATCH["assist.py"].replace(repr(SYSTEM), repr("alpha " * 200))}
    root = write_project(tmp_path / "p", files, CACHED_AND_BATCH_POLICY)
    costs = project(check_project(root).call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    assist = costs.use_case("assist")
    assert assist is not None and assist.sites[0].price_basis == "list"
    assert assist.sites[0].expected_usd == pytest.approx(4000 * 2e-6 + 500 * 10e-6)


@pytest.mark.parametrize(("tier", "basis", "expected"), [
    (None, "list", 1200 * 0.25e-6 + 150 * 2e-6),               # gpt-5-mini 0.25 / 2.00
    ("flex", "flex", 1200 * 0.125e-6 + 150 * 1e-6),            # flex halves it
    ("priority", "priority", 1200 * 0.45e-6 + 150 * 3.6e-6),   # priority is 1.8x
])
def test_service_tier(tmp_path: Path, tier: str | None, basis: str, expected: float) -> None:
    root = write_project(tmp_path / "p", {"triage.py": call("gpt-5-mini", 512)}, POLICY.replace("  discounts: {openai: 0.15}\n", ""))
    (site,) = check_project(root).call_sites
    policy = load_policy(root / "oberhahn-policy.yaml").policy
    cost = price_call(site, policy.use_cases["triage"].budget, policy, load_catalog(), DAY, service_tier=tier)
    assert cost.price_basis == basis and cost.expected_usd == pytest.approx(expected)


def test_priority_without_a_known_price_is_unpriced_not_list(tmp_path: Path) -> None:
    # gpt-3.5-turbo has a batch price in the library, but no flex or priority price
    root = write_project(tmp_path / "p", {"triage.py": call("gpt-3.5-turbo", 512)}, POLICY)
    (site,) = check_project(root).call_sites
    policy = load_policy(root / "oberhahn-policy.yaml").policy
    priority = price_call(site, policy.use_cases["triage"].budget, policy, load_catalog(), DAY, service_tier="priority")
    assert priority.expected_usd is None and "no priority price" in (priority.problem or "")
    flex = price_call(site, policy.use_cases["triage"].budget, policy, load_catalog(), DAY, service_tier="flex")
    assert flex.price_basis == "list, no flex price" and flex.expected_usd is not None  # list is an upper bound


ISSUE_MODELS = {
    "app.py": '''
        import anthropic
        from google import genai
        from groq import Groq
        from openai import OpenAI

        openai_client = OpenAI()
        deepseek = OpenAI(base_url="https://api.deepseek.com")
        claude = anthropic.Anthropic()
        gemini = genai.Client()
        groq = Groq()


        def run(text: str, audio: bytes) -> None:
            openai_client.chat.completions.create(model="gpt-5-mini", messages=[], max_completion_tokens=400)
            deepseek.chat.completions.create(model="deepseek-chat", messages=[], max_tokens=400)
            claude.messages.create(model="claude-sonnet-4-6", max_tokens=400, messages=[])
            gemini.models.generate_content(model="gemini-2.0-flash", contents=text, config={"max_output_tokens": 400})
            gemini.models.generate_content(model="gemini-2.5-pro", contents=text, config={"max_output_tokens": 400})
            groq.chat.completions.create(model="llama-3.3-70b-versatile", messages=[], max_tokens=400)
            openai_client.audio.transcriptions.create(model="whisper-1", file=audio)
            openai_client.images.generate(model="dall-e-3", prompt=text)
        ''',
}


def test_a_project_on_the_models_real_projects_ship_is_complete(tmp_path: Path) -> None:
    policy = ("version: 1\nuse_cases:\n  app:\n    paths: [\"app.py\"]\n    budget: {tasks_per_month: 1000, "
              "avg_input_tokens: 1000, avg_output_tokens: 200, avg_audio_seconds: 60}\n")
    root = write_project(tmp_path / "p", ISSUE_MODELS, policy)
    costs = project(check_project(root).call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    app = costs.use_case("app")
    assert app is not None and app.complete, app.gaps if app else None
    by_model = {s.site.model: s for s in app.sites}
    assert by_model["whisper-1"].expected_usd == pytest.approx(60 / 3600 * 0.36)  # $0.36 an hour of audio
    assert by_model["dall-e-3"].expected_usd == pytest.approx(0.04)               # one image, $0.04 each
    assert by_model["llama-3.3-70b-versatile"].expected_usd == pytest.approx(1000 * 0.59e-6 + 200 * 0.79e-6)
    # deepseek-chat alternates peak and off-peak prices by hour: projected at the dearer (0.27 / 1.10)
    assert by_model["deepseek-chat"].expected_usd == pytest.approx(1000 * 0.27e-6 + 200 * 1.1e-6)


def test_audio_priced_per_hour_needs_audio_seconds(tmp_path: Path) -> None:
    policy = "version: 1\nuse_cases:\n  app:\n    paths: [\"app.py\"]\n    budget: {tasks_per_month: 1000}\n"
    source = "from openai import OpenAI\n\nclient = OpenAI()\nclient.audio.transcriptions.create(model=\"whisper-1\", file=b\"\")\n"
    root = write_project(tmp_path / "p", {"app.py": source}, policy)
    costs = project(check_project(root).call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    app = costs.use_case("app")
    assert app is not None and not app.complete and "avg_audio_seconds" in app.gaps[0]


def test_projection_needs_no_network(tmp_path: Path) -> None:
    """Import the library, look models up and project with every socket refused, in a fresh interpreter."""
    root = write_project(tmp_path / "p", CACHED_AND_BATCH, CACHED_AND_BATCH_POLICY)
    script = textwrap.dedent(f'''
        import socket, sys

        def refuse(*args, **kwargs):
            raise OSError("network blocked by the test")

        class RefusedSocket(socket.socket):  # a class, so that modules subclassing socket.socket (ssl) still import
            def __init__(self, *args, **kwargs):
                refuse()

        socket.socket = RefusedSocket
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        sys.path[:0] = [{str(REPO / "tests")!r}, {str(REPO)!r}]
        from datetime import date
        from pathlib import Path
        from helpers import check_project
        from oberhahn_policy.catalog import load_catalog
        from oberhahn_policy.cost import project
        from oberhahn_policy.policy import load_policy
        root = Path({str(root)!r})
        costs = project(check_project(root).call_sites, load_policy(root / "oberhahn-policy.yaml").policy,
                        load_catalog(), date(2026, 11, 28))
        assert "genai_prices" in sys.modules
        print(round(costs.total_monthly_usd, 2))
        ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1120.59"  # 876.84 + 243.75
