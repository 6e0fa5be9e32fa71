"""The claims audit (helpers/claims.py, data/claims.csv).

EXPECTED below is written by hand from reading the article against its own numbers, not from the
code under test: a change to data/ or to a formula that flips a verdict fails here.
"""
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import article, data, paths
from helpers.article import claims

ARTICLE = paths.ROOT.parent / "shared" / "article.txt"

H, E, R, N = article.HOLDS, article.ERRATUM, article.ROUNDING, article.NOT_CHECKABLE

# claim_id -> verdict, in the article's order.
EXPECTED = {
    # subtitle: no computed breakeven is ~6.8M tokens/month (smallest: Sonnet 160M)
    "subtitle.breakeven": E,
    "api.workload.input_tokens": H,
    # the API tables print the bill at 1M tokens/day, not 10M (GPT-5: 300M x 5.625 = $1,687.50)
    "api.GPT-5.usd_per_month": E, "api.Claude Sonnet 4.5.usd_per_month": E,
    "api.Gemini 2.5 Pro.usd_per_month": E, "api.Grok 3.usd_per_month": E,
    "api.DeepSeek V3.2.usd_per_month": E, "api.Gemini 2.5 Flash.usd_per_month": E,
    "api.GPT-4.1 Nano.usd_per_month": E, "api.Mistral Small 3.1.usd_per_month": E,
    "api.Llama 3.3 70B (hosted).usd_per_month": E,
    "why.no_idle_cost": H,
    # GPT-5 after hidden costs loses from 576M/month = 19.2M/day, well under 50M/day
    "why.under_50m.GPT-5": E, "why.under_50m.DeepSeek V3.2": H,
    # cloud GPU table: price x 720 h; multi-GPU rows = n x the single A100
    "gpu.NVIDIA L4.usd_per_month": H, "gpu.NVIDIA A10G.usd_per_month": H,
    "gpu.NVIDIA A100 80GB.usd_per_month": H, "gpu.NVIDIA H100 80GB.usd_per_month": H,
    "gpu.2x A100 80GB.usd_per_month": H, "gpu.4x A100 80GB.usd_per_month": H,
    "gpu.8x A100 80GB.usd_per_month": H,
    "gpu.2x A100 80GB.vram_gb": H, "gpu.2x A100 80GB.usd_per_hour": H,
    "gpu.4x A100 80GB.vram_gb": H, "gpu.4x A100 80GB.usd_per_hour": H,
    "gpu.8x A100 80GB.vram_gb": H, "gpu.8x A100 80GB.usd_per_hour": H,
    "gpu.NVIDIA L4.fits_7b": H, "gpu.NVIDIA A10G.fits_13b": H, "gpu.NVIDIA A100 80GB.fits_70b": H,
    "gpu.2x A100 80GB.fits_70b": H, "gpu.4x A100 80GB.fits_405b": H, "gpu.8x A100 80GB.fits_405b": H,
    "consumer.2x RTX 4090.memory_gb": H, "consumer.2x RTX 4090.usd_price": H,
    "consumer.RTX 3090 24GB.fits_13b": H, "consumer.RTX 3090 24GB.fits_70b": H,
    # 13B FP16 = 26 GB > 24 GB; 70B 4-bit = 35 GB > 24 GB
    "consumer.RTX 4090 24GB.fits_13b": E, "consumer.RTX 4090 24GB.fits_70b": E,
    "consumer.2x RTX 4090.fits_70b": H, "consumer.Mac M4 Max 128GB.fits_70b": H,
    "consumer.Mac M4 Ultra 192GB.fits_70b": H,
    # 405B 4-bit = 202.5 GB > 192 GB
    "consumer.Mac M4 Ultra 192GB.fits_405b": E,
    # model-size table: 13B 4-bit is 6.5 GB, not ~8; 405B 4-bit 202.5 printed ~200
    "size.7b.vram_gb_fp16": H, "size.7b.vram_gb_4bit": H, "size.13b.vram_gb_fp16": H,
    "size.13b.vram_gb_4bit": E, "size.70b.vram_gb_fp16": H, "size.70b.vram_gb_4bit": H,
    "size.405b.vram_gb_fp16": H, "size.405b.vram_gb_4bit": R,
    "size.7b.on_NVIDIA A10G": H, "size.7b.on_RTX 4090 24GB": H, "size.7b.on_NVIDIA L4": H,
    "size.13b.on_NVIDIA A10G": E, "size.13b.on_NVIDIA A100 80GB": H,
    "size.70b.on_NVIDIA A100 80GB": H, "size.70b.on_2x A100 80GB": H,
    # 405B FP16 = 810 GB > 8 x 80 = 640 GB
    "size.405b.on_8x A100 80GB": E, "size.405b.on_4x A100 80GB": H,
    "size.quantization_cut.low": H, "size.quantization_cut.high": H, "size.sweet_spot_fits_a100": H,
    "setup.gpu_usd_per_month": H, "setup.capacity": H,
    "blended.GPT-5": H,
    "vol.GPT-5.1000000.api": H, "vol.GPT-5.1000000.ratio": H,
    "vol.GPT-5.10000000.api": H, "vol.GPT-5.10000000.ratio": H,
    "vol.GPT-5.50000000.api": H, "vol.GPT-5.50000000.ratio": H,
    "vol.GPT-5.100000000.api": H, "vol.GPT-5.100000000.ratio": H,
    "vol.GPT-5.256000000.api": H, "vol.GPT-5.256000000.ratio": H,
    "vol.GPT-5.500000000.api": H, "vol.GPT-5.500000000.ratio": H,
    "vol.GPT-5.1000000000.api": H, "vol.GPT-5.1000000000.ratio": H,
    "vol.GPT-5.3900000000.api": H, "vol.GPT-5.3900000000.ratio": H,
    "be.prose.GPT-5.tokens_per_month": H, "be.prose.GPT-5.tokens_per_day": H,
    "quality.GPT-5_over_llama": H,
    "blended.DeepSeek V3.2": H,
    "vol.DeepSeek V3.2.100000000.api": H, "vol.DeepSeek V3.2.100000000.ratio": H,
    "vol.DeepSeek V3.2.500000000.api": H, "vol.DeepSeek V3.2.500000000.ratio": H,
    "vol.DeepSeek V3.2.1000000000.api": H, "vol.DeepSeek V3.2.1000000000.ratio": H,
    # 2.1B x 0.685 = $1,438.50 printed $1,440; 2,671.5 / 1,440 = 1.855 printed 1.85
    "vol.DeepSeek V3.2.2100000000.api": R, "vol.DeepSeek V3.2.2100000000.ratio": H,
    "vol.DeepSeek V3.2.3900000000.api": H, "vol.DeepSeek V3.2.3900000000.ratio": R,
    "be.prose.DeepSeek V3.2.tokens_per_month": H, "be.prose.DeepSeek V3.2.tokens_per_day": H,
    "blended.Gemini 2.5 Flash": H,
    "be.prose.Gemini 2.5 Flash.tokens_per_month": H, "be.prose.Gemini 2.5 Flash.tokens_per_day": H,
    "flash.entire_capacity": H, "flash.max_utilization": H, "flash.almost_never": H,
    "be.GPT-5.tokens_per_month": H, "be.GPT-5.tokens_per_day": H,
    "be.Claude Sonnet 4.5.tokens_per_month": H, "be.Claude Sonnet 4.5.tokens_per_day": H,
    "be.DeepSeek V3.2.tokens_per_month": H, "be.DeepSeek V3.2.tokens_per_day": H,
    "be.Gemini 2.5 Flash.tokens_per_month": H, "be.Gemini 2.5 Flash.tokens_per_day": H,
    # raw GPU beats DeepSeek (its own table: 1.85x cheaper at 3.9B); only Nano is out of reach
    "summary.only_flagship": E, "summary.budget_often_impossible": E,
    "devops.low": H, "devops.high": H,
    "quality.4bit_degradation": H,
    "idle.four_billion": H,
    # 3,240 / 1,440 = 2.25x; its own ranges give 1.66x-3.43x
    "tco.multiplier.table": E, "tco.multiplier.low": E, "tco.multiplier.high": E,
    "tco.gpu": H, "tco.devops": H, "tco.infrastructure": H, "tco.total": H,
    "tco_be.GPT-5.tokens_per_month": H, "tco_be.GPT-5.tokens_per_day": H,
    "tco_be.DeepSeek V3.2.tokens_per_month": H, "tco_be.DeepSeek V3.2.exceeds_capacity": H,
    # 100M/day = 3B/month < 4.73B (DeepSeek after hidden costs, beyond one A100 anyway)
    "massive.100m.GPT-5": H, "massive.100m.DeepSeek V3.2": E,
    "massive.500m.savings": H,
    # Opus at 50M/day: 1.5B x $15 = $22,500 vs $3,240
    "under_50m.opus": E,
    "under_50m.unreachable.DeepSeek V3.2": H, "under_50m.unreachable.Gemini 2.5 Flash": H,
    "flagship.not_self_hostable": H,
    "hybrid.api_usd_per_month": H, "hybrid.selfhost_share": H,
    # all-GPT-5 $562.50 vs hybrid $56.25 + an L4 $504
    "hybrid.fraction_of_all_api": E, "hybrid.fraction_of_large_selfhost": H,
    "hybrid.simple_share_70": H, "hybrid.rtx4090_7b_13b": H, "hybrid.overkill_under_10m": H,
    "step1.api_under_10m": H,
    # at 10M/day DeepSeek is $205.50, Flash $112.50
    "step1.under_30.DeepSeek V3.2": E, "step1.under_30.Gemini 2.5 Flash": E,
    # really $1,687.50-$27,000; Sonnet loses from 12M/day after hidden costs
    "step2.flagship_cost.low": E, "step2.flagship_cost.high": E, "step2.selfhost_costs_more": E,
    "step2.budget.low": R, "step2.budget.high": H,
    "step3.selfhost_makes_sense": E,
    "bottom.flip_100m.GPT-5": E, "bottom.flip_100m.DeepSeek V3.2": H,
    "bottom.billions": H,
}
NOT_CHECKABLE = {
    "api.flagship.prices", "api.budget.prices", "why.scaling", "gpu.prices", "gpu.spot_discount",
    "consumer.prices", "consumer.electricity", "setup.throughput_range", "deepseek.startups",
    "deepseek.quality", "infrastructure.range", "quality.table", "idle.share",
    "latency.single_digit_ms", "step4.three_months",
    "api.workload.tokens_per_day", "hybrid.api_tokens_per_month",  # the article's scenario inputs
}

# The article's headings, as they stand on their own line.
HEADINGS = {
    "Self-Hosting LLMs vs API: The Real Cost Breakdown (2026)",
    "The Cost of API Access (February 2026)", "Flagship Models", "Budget Models",
    "Why APIs Are Compelling", "The Cost of Self-Hosting", "Cloud GPU Pricing (Per Hour, February 2026)",
    "Consumer GPU (One-Time Purchase)", "What Model Sizes Require What Hardware",
    "Breakeven Analysis: When Does Self-Hosting Win?", "Setup: Llama 3.3 70B on a Single A100 80GB",
    "Breakeven vs GPT-5 ($1.25 input, $10.00 output per 1M tokens)",
    "Breakeven vs DeepSeek V3.2 ($0.27 input, $1.10 output per 1M tokens)",
    "Breakeven vs Gemini 2.5 Flash ($0.15 input, $0.60 output per 1M tokens)",
    "The Breakeven Summary", "Hidden Costs of Self-Hosting", "1. DevOps Engineering Time",
    "2. Inference Server Software", "3. Scaling and Reliability", "4. Model Quality Gap",
    "5. Idle Cost", "6. No Automatic Updates", "Total Cost Adjustment", "When Self-Hosting Makes Sense",
    "Data Privacy and Compliance", "Massive Volume (100M+ Tokens/Day)", "Custom Fine-Tuned Models",
    "Latency-Sensitive On-Premise Deployments", "Research and Experimentation",
    "When API Makes More Sense", "Under 50M Tokens/Day", "Need Flagship-Quality Models",
    "Small Team Without GPU Expertise", "Variable or Unpredictable Traffic",
    "Want the Latest Models Immediately", "The Hybrid Approach: Best of Both Worlds", "Architecture",
    "Example: E-Commerce Product Pipeline", "When Hybrid Works", "When Hybrid Is Overkill",
    "Quick Decision Framework", "Step 1: What is your monthly token volume?",
    "Step 2: Do you have privacy/compliance requirements that prohibit third-party APIs?",
    "Step 3: Do you need GPT-5/Claude-level quality?",
    "Step 4: Do you have ML infrastructure expertise on your team?", "The Bottom Line",
}


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def audit():
    return claims.audit().set_index("claim_id")


@pytest.fixture(scope="module")
def article_lines():
    if not ARTICLE.exists():
        pytest.fail(f"{ARTICLE} is missing: the claim texts cannot be checked against the article")
    return ARTICLE.read_text(encoding="utf-8").splitlines()


def test_every_claim_has_an_expected_verdict(audit):
    assert set(audit.index) == set(EXPECTED) | NOT_CHECKABLE
    assert not set(EXPECTED) & NOT_CHECKABLE


@pytest.mark.parametrize("claim_id", list(EXPECTED))
def test_verdict_is_pinned(audit, claim_id):
    row = audit.loc[claim_id]
    assert row["verdict"] == EXPECTED[claim_id], row["explanation"]


@pytest.mark.parametrize("claim_id", sorted(NOT_CHECKABLE))
def test_not_checkable_says_why(audit, claim_id):
    row = audit.loc[claim_id]
    assert row["verdict"] == N
    assert row["explanation"].startswith("Not checkable:") and len(row["explanation"]) > 40


def test_claim_texts_are_quoted_verbatim(article_lines):
    text = _normalize("\n".join(article_lines))
    missing = [c.claim_id for c in claims.load_claims() if not c.claim_text.strip()
               or _normalize(c.claim_text) not in text]
    assert missing == []


def test_sections_are_headings_of_the_article(article_lines):
    lines = {line.strip() for line in article_lines}
    assert HEADINGS <= lines, HEADINGS - lines
    sections = {c.section for c in claims.load_claims()}
    assert sections <= HEADINGS, sections - HEADINGS


def test_claims_follow_the_article_order(article_lines):
    """Each claim's section comes no earlier in the article than the previous claim's."""
    position = {line.strip(): i for i, line in reversed(list(enumerate(article_lines)))}
    order = [position[c.section] for c in claims.load_claims()]
    assert order == sorted(order)


def test_table_figures_are_referenced_not_retyped():
    """Every printed figure of article_figures.csv is audited through its figure_id, and no
    claim that names a figure_id also types the value."""
    rows = claims.load_claims()
    referenced = {c.figure_id for c in rows if c.figure_id}
    assert set(article.figures().index) <= referenced
    assert [c.claim_id for c in rows if c.figure_id and c.article_value is not None] == []


def test_every_check_is_registered_and_used():
    used = {c.check for c in claims.load_claims()}
    assert used == set(claims.CHECKS)


def test_audit_columns_and_values(audit):
    assert list(audit.reset_index().columns[:7]) == [
        "claim_id", "section", "claim_text", "article_value", "recomputed_value", "verdict", "explanation"]
    checked = audit[audit["verdict"] != N]
    assert checked["recomputed_value"].map(math.isfinite).all()
    assert checked["article_value"].map(math.isfinite).all()
    assert audit["explanation"].str.len().gt(20).all()


def test_numbers_by_hand(audit):
    """A few recomputed values checked by hand from the article's own inputs."""
    assert audit.loc["api.GPT-5.usd_per_month", "recomputed_value"] == pytest.approx(10e6 * 30 / 1e6 * 5.625)
    assert audit.loc["step1.under_30.DeepSeek V3.2", "recomputed_value"] == pytest.approx(205.5)
    assert audit.loc["step2.flagship_cost.high", "recomputed_value"] == pytest.approx(27_000)
    assert audit.loc["under_50m.opus", "recomputed_value"] == pytest.approx(3240 / 15 * 1e6 / 30)
    assert audit.loc["tco.multiplier.table", "recomputed_value"] == pytest.approx(2.25)
    assert audit.loc["tco.multiplier.high", "recomputed_value"] == pytest.approx(4940 / 1440)
    assert audit.loc["consumer.RTX 4090 24GB.fits_70b", "recomputed_value"] == pytest.approx(35)
    assert audit.loc["size.405b.on_8x A100 80GB", "article_value"] == pytest.approx(640)
    assert audit.loc["hybrid.fraction_of_all_api", "recomputed_value"] == pytest.approx((56.25 + 504) / 562.5)
    # DeepSeek after hidden costs: one A100 cannot serve 4.73B, two cost 2,880 + 1,800
    assert audit.loc["massive.100m.DeepSeek V3.2", "recomputed_value"] == pytest.approx(4680 / 0.685 * 1e6 / 30)


def test_errata_explanations_show_the_arithmetic(audit):
    errata = audit[audit["verdict"] == E]
    assert errata["explanation"].str.contains(r"\d").all()
    assert "$1,687.50" in audit.loc["api.GPT-5.usd_per_month", "explanation"]
    assert "$22,500" in audit.loc["under_50m.opus", "explanation"]
    assert "6.8M" in audit.loc["subtitle.breakeven", "explanation"]


def test_errata_first_and_counts(audit):
    frame = claims.errata_first(claims.audit())
    verdicts = frame["verdict"].tolist()
    assert verdicts == sorted(verdicts, key=claims.VERDICT_ORDER.index)
    counts = claims.verdict_counts(frame).set_index("verdict")["claims"]
    assert counts.sum() == len(EXPECTED) + len(NOT_CHECKABLE)
    assert counts[E] == sum(v == E for v in EXPECTED.values())


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def test_a_data_change_flips_a_verdict(tmp_path):
    """If GPT-5 cost ten times less, the article's ~$168 at 10M tokens/day would be a mere
    truncation of $168.75 (rounding), no longer an erratum."""
    data_dir = _copy_data(tmp_path)
    prices = pd.read_csv(data_dir / "api_prices.csv", dtype=str, keep_default_na=False)
    for column in ("usd_per_1m_input", "usd_per_1m_output"):
        prices.loc[prices["model"] == "GPT-5", column] = str(float(prices.loc[prices["model"] == "GPT-5", column].iloc[0]) / 10)
    prices.to_csv(data_dir / "api_prices.csv", index=False)
    frame = claims.audit(data_dir).set_index("claim_id")
    assert frame.loc["api.GPT-5.usd_per_month", "verdict"] == R
    assert frame.loc["api.Claude Sonnet 4.5.usd_per_month", "verdict"] == E


def test_bad_claims_file_names_line_and_column(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "comparator"] = "roughly"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataValidationError, match=r"claims.csv, line 5, column comparator"):
        claims.load_claims(data_dir)


def test_unknown_check_is_named(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "check"] = "no_such_check"
    frame.to_csv(path, index=False)
    with pytest.raises(KeyError, match=r"line 2, column check: unknown check 'no_such_check'"):
        claims.audit(data_dir)


def test_missing_given_is_named(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = frame.index[frame["claim_id"] == "step1.under_30.DeepSeek V3.2"][0]
    frame.loc[index, "given"] = "api_model=DeepSeek V3.2"
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=rf"line {index + 2}, column given: check 'api_cost' needs tokens_per_day"):
        claims.audit(data_dir)


def test_markdown_quotes_each_claim(audit):
    frame = claims.audit().head(3)
    text = claims.as_markdown(frame)
    assert text.count("\n- ") == 2
    for row in frame.itertuples():
        assert f"\u201c{row.claim_text}\u201d" in text and row.explanation in text
