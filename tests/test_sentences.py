"""helpers.article.sentences: the sentences the notebooks print, checked against figures worked out
by hand from the article and the CSV rows."""
import pandas as pd

from helpers.article import hybrid_decision, sentences, tables
from helpers.derive import derive
from helpers.scenario import Scenario


def test_reachable_names_the_apis_within_one_gpu():
    # Against one A100 (3.888B tokens a month): GPT-5 256M, Claude 160M, DeepSeek 2.1B and
    # Gemini Flash 3.84B are all within reach on the GPU bill; with hidden costs ($3,240) DeepSeek
    # needs 4.73B and Flash 8.64B, beyond one GPU.
    summary = tables.breakeven_summary(derive(Scenario()))
    assert sentences.reachable_sentence(summary) == (
        "On raw GPU cost, one deployment can reach breakeven against GPT-5, Claude Sonnet 4.5, "
        "DeepSeek V3.2, Gemini 2.5 Flash; with hidden costs, only against GPT-5, Claude Sonnet 4.5.")


def test_reachable_says_none():
    summary = pd.DataFrame({"api_model": ["X"], "within_single_gpu_capacity": [False],
                            "tco_within_single_gpu_capacity": [False]})
    assert "against none; with hidden costs, only against none." in sentences.reachable_sentence(summary)


def test_the_rule_of_thumb_against_the_articles_own_table():
    # $3,240 / $1,440 = 2.25x, outside 1.3x-2.0x; the low end (10 h x $75 + $200 = $950) gives
    # (1,440 + 950) / 1,440 = 1.66x, the high end (20 h x $150 + $500) (1,440 + 3,500) / 1,440 = 3.43x.
    text = sentences.rule_of_thumb_sentence(tables.tco_range(derive(Scenario())))
    assert "= **2.25x**, outside its rule of thumb of 1.3x-2x" in text
    assert "runs from 1.66x to 3.43x" in text and "(1 of 3 cases inside the rule)" in text
    assert text.endswith("The rule of thumb understates the hidden costs the article itself lists.")


def test_the_monthly_column_is_ten_times_too_small():
    printed = tables.api_costs_vs_article(tables.api_costs(Scenario())).dropna(subset=["article_value"])
    at_implied = tables.api_costs(Scenario(tokens_per_day=1_000_000), judge=True).dropna(subset=["article_value"])
    text = sentences.monthly_column_sentence(printed, at_implied, 10_000_000, 1_000_000)
    assert "the printed column is about 10x too small" in text
    assert f"{len(at_implied)} of {len(at_implied)} printed figures agree" in text


def test_the_hybrid_is_a_fraction_only_on_bought_hardware():
    # 10% of 100M to GPT-5 = $56.25 of $562.50 all-API. A bought RTX 4090 ($1,600 / 36 months +
    # $30 electricity = $74.44) makes $130.69: 23%, "a fraction" (at most half). A rented L4
    # (0.70 x 720 = $504) makes $560.25: 99.6%.
    hybrid = hybrid_decision.hybrid_table(derive(Scenario(hybrid_rented_gpus=("NVIDIA L4",), hybrid_bought_hardware=("RTX 4090 24GB",))))
    text = sentences.hybrid_fraction_sentence(hybrid)
    assert text.startswith('**"A fraction of routing everything through an API"** holds at this volume '
                           'for the cheapest self-hosted option (RTX 4090 24GB, hybrid, bought, electricity low: 23%')
    assert "a rented GPU costs 99.6%-99.6% of all-API" in text


def test_agreement_counts_holds_and_rounding():
    frame = pd.DataFrame({"a": ["holds", "erratum"], "b": ["rounding", "not_checkable"]})
    assert sentences.agreement(frame, ["a", "b"]) == (2, 4)


# --- Notebook 02 ----------------------------------------------------------------------------

def test_spot_prices_the_a100_at_the_articles_range():
    # $2.00 x 720 = $1,440 on demand; 60% off: $576, 40% off: $864.
    gpus = tables.gpu_cloud_with_spot(Scenario())
    text = sentences.spot_sentence(gpus, "NVIDIA A100 80GB", 720)
    assert text.endswith("the set-up's NVIDIA A100 80GB would cost $576-$864 a month instead of $1,440, at the "
                         "price of interruptions.")


def test_a_70b_model_at_4_bits_does_not_fit_one_24gb_card():
    # 70 x 4 / 8 = 35 GB of weights against 24 GB: at most 24 x 8 / 70 = 2.74 bits per weight.
    text = sentences.four_bit_card_sentence(tables.consumer_hardware(70), 70)
    assert "at 4 bits needs 35 GB for its weights alone; the card has 24 GB, so it holds at most 2.74 bits" in text
    assert "the claim is **wrong** for one card" in text


def test_vram_errata_name_the_size_and_both_figures():
    vram = pd.DataFrame({"params_billion": [7, 70], "vram_gb_4bit": [3.5, 35.0], "article_vram_gb_4bit": [4, 40],
                         "fp16_verdict": ["holds", "holds"], "4bit_verdict": ["rounding", "erratum"]})
    text = sentences.vram_errata_sentence(vram)
    assert text.endswith("70B at 4 bits: 35 GB, the article prints ~40 GB.") and "7B" not in text
    vram["4bit_verdict"] = "holds"
    assert sentences.vram_errata_sentence(vram) == "Every printed VRAM figure holds."


def test_the_setup_bill_and_capacity_beside_the_article():
    # 1,500 tokens/s x 3,600 x 720 = 3.888B tokens a month for $2.00 x 720 = $1,440.
    text = sentences.setup_capacity_sentence(derive(Scenario()))
    assert text.startswith("1x NVIDIA A100 80GB (0% spot discount): **$1,440** a month")
    assert "At 1,500 tokens/s it serves **3.89B tokens a month**" in text


# --- Notebook 05 ----------------------------------------------------------------------------

def test_the_hybrid_parts_against_all_api():
    # 10M of 100M tokens to GPT-5 at 5.625: $56.25; all 100M: $562.50. GPT-4.1 Nano for the
    # other 90M at (0.10 + 0.40) / 2 = 0.25: $22.50, so $78.75 = 14% of all-API.
    hybrid = hybrid_decision.hybrid_table(derive(Scenario()))
    text = sentences.hybrid_parts_sentence(hybrid)
    assert text.startswith("The API part: 10M tokens to GPT-5 cost **$56** a month")
    assert "Routing all 100M tokens to GPT-5 would cost $563." in text
    assert text.endswith("Sending the simple tasks to GPT-4.1 Nano instead costs 14% of all-API, with no hardware at all.")


def _decisions(cheaper):
    return pd.DataFrame({
        "team": ["a", "b", "mine"], "tokens_per_day": [2e8, 3e8, 1e7], "recommendation": ["Self-host", "Self-host", "API"],
        "step": [4, 4, 2], "reason": ["r", "r", "no privacy requirement"], "flagship_api_model": "GPT-5",
        "flagship_api_usd_per_month": [0, 0, 1687.5], "budget_api_model": "DeepSeek V3.2",
        "budget_api_usd_per_month": [0, 0, 205.5], "selfhost_tco_usd_per_month": [0, 0, 3240.0],
        "cheaper_at_open_model_quality": cheaper})


def test_the_own_team_sentence_counts_self_hosters_the_budget_api_beats():
    text = sentences.own_team_sentence(_decisions(["API", "Breakeven", "API"]))
    assert text.startswith("The parameters' team (10M tokens/day): **API** (step 2: no privacy requirement).")
    assert "GPT-5 costs $1,688, DeepSeek V3.2 $206, and self-hosting $3,240 a month with hidden costs" in text
    assert text.endswith("Of the 2 teams told to self-host, 1 would pay less for DeepSeek V3.2 at open-model quality: "
                         "those answers rest on privacy or scale, not on price.")
    assert sentences.own_team_sentence(_decisions(["Self-host", "Breakeven", "API"])).endswith(
        "0 would pay less for DeepSeek V3.2 at open-model quality.")


def test_the_step_thresholds_give_the_ranges_of_each_tier():
    low = pd.DataFrame({"tier": ["budget", "budget", "flagship"], "usd_per_month": [30.0, 60.0, 1687.5]})
    high = pd.DataFrame({"tier": ["budget", "flagship", "flagship"], "usd_per_month": [300.0, 16875.0, 27000.0]})
    text = sentences.step_thresholds_sentence(low, high, 1e7, 1e8)
    assert text.startswith("At the step-1 threshold (10M tokens/day) the budget APIs cost $30-$60 a month; in step 2's "
                           "band (10M-100M tokens/day) the flagship APIs cost $1,688-$27,000.")
