"""helpers.article.capacity_page: notebook 06's tables and sentences, against figures worked by
hand."""
import math

import pandas as pd
import pytest

from helpers.article import capacity_page
from helpers.scenario import Scenario


def test_relative_errors_show_as_percentages():
    frame = pd.DataFrame({"model": ["x"], "error": [-0.0207], "rms_error": [0.04]})
    shown = capacity_page.errors_as_shares(frame)
    assert list(shown.columns) == ["model", "error_share", "rms_error_share"]
    assert list(frame.columns) == ["model", "error", "rms_error"]  # the saved table keeps its names


def test_the_error_summary_per_kind():
    calibration = pd.DataFrame({"error": [0.1, -0.1]})
    published = pd.DataFrame({"error": [0.3, 0.0, -0.2]})
    summary = capacity_page.error_summary(calibration, published)
    check = summary.loc["check (not fitted)"]
    assert check["points"] == 3 and check["median_error"] == pytest.approx(0.0)
    assert check["rms_error"] == pytest.approx(math.sqrt((0.09 + 0.04) / 3))
    assert check["worst_abs_error"] == pytest.approx(0.3) and check["within_25pct"] == 2
    assert summary.loc["calibration (fitted)", "rms_error"] == pytest.approx(0.1)


def test_traffic_profiles_flat_row():
    # 200M tokens a day = 6B a month on A100s of 3.888B: 2 replicas, 6 / 7.776 busy, $2,880 for
    # 6,000 million tokens = $0.48 per 1M; GPT-5 bills 6,000 x 5.625 = $33,750.
    table = capacity_page.traffic_profiles(Scenario(tokens_per_day=2e8), ["flat"], scalings=("always_on",))
    row = table.iloc[0]
    assert row["peak_replicas"] == 2 and row["gpu_usd_per_month"] == pytest.approx(2880)
    assert row["utilisation_share"] == pytest.approx(6 / 7.776)
    assert row["usd_per_1m"] == pytest.approx(0.48)
    assert row["api_usd_per_month"] == pytest.approx(33750)


def test_the_article_point_sentence_says_what_fits():
    points = [{"weight_bits": 4, "gpu_count": 1, "max_batch_in_memory": 75, "tokens_per_s_at_max_batch": 865.0,
               "batch_needed": None},
              {"weight_bits": 16, "gpu_count": 1, "max_batch_in_memory": 0, "tokens_per_s_at_max_batch": 0.0,
               "batch_needed": None},
              {"weight_bits": 16, "gpu_count": 2, "max_batch_in_memory": 26, "tokens_per_s_at_max_batch": 538.0,
               "batch_needed": None}]
    text = capacity_page.article_point_sentence(points, 1500, 1500.0, "A100")
    assert "no batch reaches the article's 1,500 tokens/s" in text
    assert text.endswith("At 16 bits the model does not fit one A100; 2 of them hold 26 sequences and decode 538 tokens/s.")
    points[0]["batch_needed"] = 300
    assert "1,500 tokens/s needs a batch of 300." in capacity_page.article_point_sentence(points, 1500, 1500.0, "A100")


def test_stepped_lines_say_never_for_an_api_no_replica_can_beat():
    stepped = pd.DataFrame({
        "api_model": ["A", "B", "A", "B", "A", "B"],
        "blended_usd_per_1m": [5.625, 0.375] * 3,
        "throughput_source": ["article", "article", "model", "model", "model", "model"],
        "fixed_usd_per_month": [0, 0, 0, 0, 1800, 1800],
        "tokens_per_s": [1500, 1500, 1024, 1024, 1024, 1024],
        "replica_tokens_per_month": [3.888e9, 3.888e9, 2.65e9, 2.65e9, 2.65e9, 2.65e9],
        "selfhost_usd_per_1m_at_full_load": [0.37, 0.37, 0.54, 0.54, 0.54, 0.54],
        "stepped_breakeven_tokens_per_month": [256e6, math.inf, 256e6, math.inf, 576e6, math.inf]})
    text = capacity_page.stepped_lines(stepped, "A100")
    assert text.startswith("The model gives the set-up **1,024 tokens/s** (input + output) against the article's 1,500: "
                           "2.65B tokens a month instead of 3.89B, so a fully loaded A100 costs $0.54 per 1M tokens.")
    assert "- A ($5.625/1M): breakeven 256M tokens/month; with $1,800 of hidden costs a month, 576M." in text
    assert "- B ($0.375/1M): breakeven never (the API stays cheaper at any volume); with $1,800 of hidden costs a month, never." in text


def test_check_points_sentence_sets_mixture_of_experts_points_apart():
    """models.csv: Mixtral 8x7B has 8 experts, Llama 3.1 8B is dense. Medians by hand:
    MoE (0.5, 0.7) -> +60%, dense (0.1, -0.1, 0.0) -> +0%."""
    published = pd.DataFrame({
        "benchmark_id": ["a", "b", "c", "d", "e"],
        "model": ["Mixtral 8x7B", "Mixtral 8x7B", "Llama 3.1 8B", "Llama 3.1 8B", "Llama 3.1 8B"],
        "published_output_tokens_per_s": [100.0] * 5, "model_output_tokens_per_s": [150.0, 170.0, 110.0, 90.0, 100.0],
        "error": [0.5, 0.7, 0.1, -0.1, 0.0]})
    summary = capacity_page.error_summary(pd.DataFrame({"error": [0.0]}), published)
    text = capacity_page.check_points_sentence(summary, published)
    assert "Mixture-of-experts points (2) err by a median of +60%, dense ones (3) by +0%" in text
    dense_only = published[published["model"] == "Llama 3.1 8B"]
    assert "Mixture-of-experts" not in capacity_page.check_points_sentence(
        capacity_page.error_summary(pd.DataFrame({"error": [0.0]}), dense_only), dense_only)
