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
