"""What moved since the previous report (helpers/report/changes.py): each moved figure named by
what it is about, in words."""
import pandas as pd
import pytest

from helpers.report import changes


def test_moved_figures_name_what_each_row_is_about(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, volume, gpt5_bill, gpu in ((old, 300e6, 1687.5, "NVIDIA A100 80GB"),
                                           (new, 600e6, 3375.0, "NVIDIA H100 80GB")):
        folder.mkdir()
        pd.DataFrame({"api_model": ["GPT-5", "Claude Sonnet 4"], "tokens_per_month": [volume, volume],
                      "gpu": [gpu, gpu], "api_usd_per_month": [gpt5_bill, 2700.0],
                      "winner": ["API", "API"]}).to_csv(folder / "what_if.csv", index=False)
    moved = changes.moved(old, new)
    # the workload once, not once per API; each API's bill under its name; unchanged rows absent
    assert list(moved["figure"]) == ["Workload: tokens a month", "GPT-5: API bill a month"]
    assert list(moved["key"]) == ["", "GPT-5"]
    assert list(moved["change_share"]) == [pytest.approx(1.0), pytest.approx(1.0)]


def test_a_row_in_one_run_only_is_listed_under_its_name(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    pd.DataFrame({"api_model": ["GPT-5"], "breakeven_tokens_per_month": [256e6]}).to_csv(
        old / "breakeven_summary.csv", index=False)
    pd.DataFrame({"api_model": ["GPT-5", "DeepSeek V3.2"], "breakeven_tokens_per_month": [256e6, 2.1e9]}).to_csv(
        new / "breakeven_summary.csv", index=False)
    pd.DataFrame({"component": ["DevOps"], "usd_per_month": [1500]}).to_csv(old / "tco_components.csv", index=False)
    pd.DataFrame({"component": ["DevOps"], "usd_per_month": [1800]}).to_csv(new / "tco_components.csv", index=False)
    moved = changes.moved(old, new)
    assert list(moved["figure"]) == ["DeepSeek V3.2: breakeven, tokens a month",
                                     "Self-hosting cost, DevOps: USD a month"]
    assert pd.isna(moved["old"].iloc[0]) and moved["new"].iloc[0] == 2.1e9
    assert moved["change"].iloc[1] == 300
    texts = changes.describe(moved)
    assert [t["change_text"] for t in texts] == ["changed", "+$300 (+20%)"]
