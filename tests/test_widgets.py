"""The what-if panel without a browser: set widget values, read the results.

Expected values are the article's printed figures (data/article_figures.csv) or follow from
the CSV rows by hand, never from the code under test.
"""
import math

import pandas as pd
import pytest
import yaml

from helpers.costs import breakeven, decision
from helpers import data, scenario
from helpers.scenario import Scenario
from helpers.show import widgets
from tests.conftest import within_print


@pytest.fixture()
def panel(tmp_path):
    return widgets.build(save_dir=tmp_path)


def test_article_defaults_give_the_printed_breakevens(panel, printed):
    results = panel.results
    assert panel.error is None
    assert within_print(results["breakeven_tokens_per_month"], printed.loc["be.GPT-5.tokens_per_month"])
    assert within_print(results["tco_breakeven_tokens_per_month"], printed.loc["tco_be.GPT-5.tokens_per_month"])
    assert within_print(results["selfhost_usd_per_month"], printed.loc["setup.gpu.usd_per_month"])
    assert within_print(results["tco_usd_per_month"], printed.loc["tco.total"])


def test_breakeven_follows_the_csv_rows(panel, prices, a100_usd_per_hour):
    gpt5 = prices.loc["GPT-5"]
    blended = (gpt5["usd_per_1m_input"] + gpt5["usd_per_1m_output"]) / 2  # the article's 50/50
    assert panel.results["breakeven_tokens_per_month"] == pytest.approx(a100_usd_per_hour * 720 / blended * 1e6)


def test_every_option_is_costed_at_the_current_volume(panel, prices):
    results = panel.results
    # 10M tokens/day * 30 days at GPT-5's blended 5.625 USD per 1M tokens.
    assert results["tokens_per_month"] == 300_000_000
    assert results["api_usd_per_month"] == pytest.approx(300 * 5.625)
    # Hybrid: 10% of 300M to GPT-5 on top of the self-hosted bill with hidden costs (3,240).
    assert results["hybrid_usd_per_month"] == pytest.approx(30 * 5.625 + 3240)
    frame = widgets.costs_frame(results)
    assert frame["usd_per_month"].tolist() == pytest.approx([1687.5, 1440, 3240, 3408.75])


def test_hybrid_matches_the_article_example(panel, printed):
    """10% of 100M tokens/month to GPT-5: ~$56/month for the API part."""
    panel.controls["tokens_per_day"].value = 100_000_000 / 30
    assert within_print(panel.results["hybrid"].api_usd_per_month, printed.loc["hybrid.api.usd_per_month"])


def test_moving_the_volume_across_the_breakeven_flips_the_winner(panel):
    volume = panel.controls["tokens_per_day"]
    # Hidden-cost breakeven vs GPT-5: 576M tokens/month = 19.2M tokens/day.
    volume.value = 15_000_000
    assert panel.results["winner"] == breakeven.API
    assert "API (GPT-5) wins" in panel.outputs["winner"].value
    volume.value = 25_000_000
    assert panel.results["winner"] == breakeven.SELF_HOST
    assert "Self-host wins" in panel.outputs["winner"].value
    # GPU-only breakeven: 256M tokens/month = 8.53M tokens/day.
    volume.value = 8_000_000
    assert panel.results["winner_gpu_only"] == breakeven.API
    volume.value = 9_000_000
    assert panel.results["winner_gpu_only"] == breakeven.SELF_HOST


def test_cost_ratio_at_an_article_volume(panel, printed):
    """1B tokens/month against one A100 (GPU only): "Self-host (3.9x cheaper)"."""
    panel.controls["tokens_per_day"].value = 1_000_000_000 / 30
    assert panel.results["winner_gpu_only"] == printed.loc["vol.GPT-5.1000000000.ratio", "label"]
    assert within_print(panel.results["cost_ratio_gpu_only"], printed.loc["vol.GPT-5.1000000000.ratio"])


def test_choosing_a_model_fills_its_prices_and_edits_move_the_answer(panel, printed, prices):
    panel.controls["api_model"].value = "DeepSeek V3.2"
    assert panel.controls["usd_per_1m_input"].value == prices.loc["DeepSeek V3.2", "usd_per_1m_input"]
    assert within_print(panel.results["breakeven_tokens_per_month"], printed.loc["be.DeepSeek V3.2.tokens_per_month"])
    assert panel.scenario().usd_per_1m_input is None  # the CSV's figure, not an edit
    panel.controls["usd_per_1m_output"].value = 10.0
    # Blended (0.27 + 10) / 2 = 5.135 USD per 1M.
    assert panel.results["blended_usd_per_1m"] == pytest.approx((0.27 + 10.0) / 2)


def test_gpu_count_spot_and_hours_move_the_selfhost_bill(panel, a100_usd_per_hour):
    c = panel.controls
    c["gpu_count"].value = 2
    c["pricing"].value = "spot"
    c["spot_discount"].value = 0.5
    c["hours_per_month"].value = 360
    assert panel.results["selfhost_usd_per_month"] == pytest.approx(a100_usd_per_hour * 360 * 2 * 0.5)
    c["pricing"].value = "on-demand"
    assert panel.results["selfhost_usd_per_month"] == pytest.approx(a100_usd_per_hour * 360 * 2)


def test_another_gpu_row_is_priced_from_its_row(panel):
    h100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA H100 80GB")
    panel.controls["gpu"].value = "NVIDIA H100 80GB"
    assert panel.results["selfhost_usd_per_month"] == pytest.approx(float(h100["usd_per_hour"]) * 720)


def test_hidden_costs_default_to_the_point_estimates_and_can_be_edited(panel, printed):
    c = panel.controls
    assert c["devops_hours_per_month"].value * c["devops_usd_per_hour"].value == printed.loc["tco.devops", "value"]
    assert c["infrastructure_usd_per_month"].value == printed.loc["tco.infrastructure", "value"]
    c["devops_hours_per_month"].value = 0
    c["infrastructure_usd_per_month"].value = 0
    assert panel.results["tco_usd_per_month"] == pytest.approx(panel.results["selfhost_usd_per_month"])


def test_throughput_sets_the_capacity_and_warns_over_it(panel, printed):
    assert within_print(panel.results["capacity_tokens_per_month"], printed.loc["setup.capacity.tokens_per_month"])
    panel.controls["tokens_per_s"].value = 100  # 100 * 3600 * 720 = 259.2M tokens/month
    assert panel.results["capacity_tokens_per_month"] == pytest.approx(259_200_000)
    assert panel.results["within_capacity"] is False and panel.results["gpu_units_needed"] == 2
    assert "needs 2 deployments" in panel.outputs["notes"].value


def test_decision_framework_answer_and_step(panel):
    c = panel.controls
    assert (panel.results["decision"].recommendation, panel.results["decision"].step) == (decision.API, 2)
    c["privacy_required"].value = True
    c["has_ml_expertise"].value = True
    assert (panel.results["decision"].recommendation, panel.results["decision"].step) == (decision.SELF_HOST, 4)
    assert "step 4" in panel.outputs["decision"].value
    c["tokens_per_day"].value = 200_000_000
    c["needs_flagship_quality"].value = True
    assert (panel.results["decision"].recommendation, panel.results["decision"].step) == (decision.HYBRID, 3)
    c["tokens_per_day"].value = 1_000_000
    assert panel.results["decision"].step == 1


def test_the_chart_is_redrawn_on_a_change(panel):
    """The chart is bqplot's (numbers, not a picture): moving the volume moves the current-volume
    line to tokens/day x days/month and leaves the bills' lines alone; another GPU moves them."""
    chart = panel.outputs["plot"]
    assert type(chart).__module__.startswith("bqplot") and "whatif-plot" in chart._dom_classes
    marks = panel.chart.marks
    api_before, gpu_before = marks["api"].y.copy(), marks["gpu"].y.copy()
    panel.controls["tokens_per_day"].value = 1e9
    assert list(marks["current"].x) == pytest.approx([1e9 * 30, 1e9 * 30])
    assert (marks["api"].y == api_before).all() and (marks["gpu"].y == gpu_before).all()
    panel.controls["gpu_count"].value = 2
    assert marks["gpu"].y.min() == pytest.approx(2 * gpu_before.min())


def test_the_chart_draws_the_static_figures_lines(panel):
    """The report's matplotlib figure and the panel's chart at the same scenario: the same
    lines (volumes, bills, labels, colours), breakeven markers and vertical lines."""
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    panel.controls["tokens_per_day"].value = 2e8
    panel.controls["gpu"].value = next(g for g in panel.controls["gpu"].options if g != panel.controls["gpu"].value)
    fig, ax = plt.subplots()
    try:
        widgets.plot_costs(panel.results, ax)
        lines = [a for a in ax.get_lines()]
    finally:
        plt.close(fig)
    marks = panel.chart.marks
    drawn = {}  # label -> (x, y, colour) of the chart's lines
    for mark in (marks["api"], marks["gpu"], marks["tco"], marks["capacity"], marks["current"]):
        ys = np.atleast_2d(mark.y)
        for label, y, colour in zip(mark.labels, ys, list(mark.colors) * len(ys)):
            drawn[label] = (np.asarray(mark.x), y, colour)
    static = {line.get_label(): line for line in lines if not line.get_label().startswith("_")}
    assert sorted(static) == sorted(drawn)
    for label, line in static.items():
        x, y, colour = drawn[label]
        if line.get_label().startswith(("Capacity", "Current")):  # axvline: x in data, y in axes units
            assert np.allclose(line.get_xdata(), x)
        else:
            assert np.allclose(line.get_xdata(), x) and np.allclose(line.get_ydata(), y), label
        assert matplotlib.colors.same_color(line.get_color(), colour), label
    markers = sorted((float(line.get_xdata()[0]), float(line.get_ydata()[0]), line.get_marker())
                     for line in lines if line.get_label().startswith("_") and line.get_marker() in ("o", "s"))
    charted = sorted([(x, y, "o") for x, y in zip(marks["breakeven"].x, marks["breakeven"].y)]
                     + [(x, y, "s") for x, y in zip(marks["tco_breakeven"].x, marks["tco_breakeven"].y)])
    assert markers and np.allclose([m[:2] for m in markers], [c[:2] for c in charted])
    assert [m[2] for m in markers] == [c[2] for c in charted]


def test_a_bad_input_shows_a_message_and_keeps_the_last_results(panel):
    good = panel.results
    panel.controls["setup"].options = ["no such setup"]  # a set-up data/ does not hold
    assert panel.error is not None and "no such setup" in panel.outputs["error"].value
    assert panel.results is good
    panel.controls["setup"].options = list(data.load("selfhost_setups")["setup"])
    assert panel.error is None and panel.outputs["error"].value == ""


def test_saved_scenario_is_accepted_by_the_scenario_validator(panel, tmp_path):
    c = panel.controls
    c["tokens_per_day"].value = 50_000_000
    c["privacy_required"].value = True
    c["pricing"].value = "spot"
    c["spot_discount"].value = 0.4
    c["devops_usd_per_hour"].value = 150
    path = panel.save("team-50m")
    assert path == tmp_path / "team-50m.yaml"
    loaded = scenario.load(path)  # raises ScenarioError on anything the report would reject
    assert loaded["tokens_per_day"] == 50_000_000
    assert loaded["privacy_required"] is True and loaded["spot_discount"] == 0.4
    assert loaded["devops_usd_per_hour"] == 150
    assert "devops_hours_per_month" not in loaded  # unchanged: the CSV's point estimate
    assert "api_models" not in loaded and "gpu" not in loaded  # the article's GPT-5 and A100
    # Reading it back gives the same what-if answer.
    again = widgets.evaluate(Scenario.load(path))
    assert again["tco_usd_per_month"] == pytest.approx(panel.results["tco_usd_per_month"])
    assert again["winner"] == panel.results["winner"]


def test_save_never_overwrites_without_the_option(panel, tmp_path):
    path = panel.save("mine")
    first = path.read_text()
    panel.controls["tokens_per_day"].value = 1e9
    with pytest.raises(FileExistsError, match="overwrite"):
        panel.save("mine")
    assert path.read_text() == first
    panel.controls["scenario_name"].value = "mine"
    panel._on_save(None)  # the button: refuses and says why
    assert "Not saved" in panel.outputs["save_status"].value and path.read_text() == first
    panel.controls["overwrite"].value = True
    panel._on_save(None)
    assert "Saved" in panel.outputs["save_status"].value
    assert yaml.safe_load(path.read_text())["tokens_per_day"] == 1_000_000_000


def test_save_keeps_edited_prices_and_refuses_bad_names(panel):
    with pytest.raises(ValueError, match="scenario name"):
        panel.save("../escape")
    panel.controls["usd_per_1m_input"].value = 9.99
    loaded = scenario.load(panel.save("edited"))
    assert loaded["usd_per_1m_input"] == 9.99 and "usd_per_1m_output" not in loaded  # unchanged: the CSV row
    assert widgets.evaluate(Scenario.load(panel._save_dir / "edited.yaml"))["blended_usd_per_1m"] == \
        pytest.approx((9.99 + 10.00) / 2)


def test_every_control_is_a_scenario_field_with_its_bounds(panel):
    fields = set(scenario.KEYS)
    for name, widget in panel.controls.items():
        if name in ("api_model", "pricing", "scenario_name", "overwrite", "tokens_per_day"):
            continue  # not a field, or (the volume) a log slider spanning plausible volumes
        assert name in fields, name
        spec = scenario.KEYS[name]
        if spec.kind in ("number", "integer") and spec.maximum is not None:
            assert widget.max == spec.maximum, name
        assert widget.tooltip == spec.help, name


def test_a_free_api_never_breaks_even():
    results = widgets.evaluate(Scenario(usd_per_1m_input=0.0, usd_per_1m_output=0.0))
    assert math.isinf(results["breakeven_tokens_per_month"])
    assert results["winner"] == breakeven.API
    assert widgets.breakevens_frame(results)["breakeven_tokens_per_month"].map(widgets.tokens_or_never).tolist() == ["never"] * 3


def test_a_volume_beyond_one_gpu_is_priced_with_two(panel, a100_usd_per_hour):
    """6B tokens a month (200M a day) is more than one A100's 3.888B at 1,500 tokens/s."""
    panel.controls["tokens_per_day"].value = 200_000_000
    assert panel.results["replicas"] == 2
    assert panel.results["selfhost_usd_per_month"] == pytest.approx(2 * a100_usd_per_hour * 720)
    assert panel.results["tco_usd_per_month"] == pytest.approx(2 * a100_usd_per_hour * 720 + 15 * 100 + 300)
    assert "needs 2 deployments" in panel.outputs["notes"].value


def test_throughput_from_the_capacity_model(panel):
    from helpers import capacity

    c = panel.controls
    c["throughput_source"].value = "model"
    # On the set-up's own GPU the panel uses what the static notebooks use.
    row = data.row(data.load("selfhost_setups"), "setup", "article_a100_llama70b")
    expected = capacity.serving_capacity(row["gpu"], row["model"], float(row["bits_per_weight"]))["total_tokens_per_s"]
    assert c["tokens_per_s"].value == pytest.approx(expected)
    assert panel.results["tokens_per_s"] == pytest.approx(expected)
    assert panel.scenario().tokens_per_s is None
    c["gpu"].value = "NVIDIA L4"  # 24 GB: a 70B model does not fit
    assert panel.results["capacity_tokens_per_month"] == 0
    assert "No capacity" in panel.outputs["notes"].value
    c["gpu"].value = "NVIDIA A100 80GB"
    c["tokens_per_s"].value = 2000  # typed by hand: a GPU change keeps it
    c["gpu"].value = "NVIDIA H100 80GB"
    assert panel.scenario().tokens_per_s == 2000
    c["throughput_source"].value = "article"  # switching the source refills it
    assert panel.scenario().tokens_per_s is None


def test_saving_a_model_throughput_scenario(panel):
    panel.controls["throughput_source"].value = "model"
    loaded = scenario.load(panel.save("model-throughput"))
    assert loaded["throughput_source"] == "model" and "tokens_per_s" not in loaded


def test_static_report_shows_the_starting_scenario_and_no_widget(tmp_path):
    """The report path: papermill with interactive=False, then the report's HTML export."""
    import nbformat
    import papermill

    from helpers import paths, report

    executed = tmp_path / "08-what-if.ipynb"
    papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "08-what-if.ipynb"), str(executed),
                               parameters={"interactive": False, "tables_dir": str(tmp_path / "tables")},
                               cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(executed, as_version=4)
    mimes = {m for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) for m in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" not in mimes
    target = tmp_path / "08-what-if.html"
    report.export_html(executed, target)
    page = target.read_text()
    assert "API (GPT-5) wins" in page and "static run" in page and "<img" in page
    assert "Traceback" not in page
    saved = pd.read_csv(tmp_path / "tables" / "what_if.csv")
    assert saved.loc[0, "breakeven_tokens_per_month"] == 256_000_000


def test_the_latency_search_is_remembered_until_its_inputs_or_data_change(tmp_path):
    """A what-if change derives one scenario several times: the capacity model's search for
    the busiest batch within latency targets runs once per scenario and data/ version. Another
    volume reuses it; another latency target or an edited data/ file does not."""
    import dataclasses
    import os
    import shutil

    from helpers import paths
    from helpers.derive import inputs

    data_dir = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data_dir)
    s = Scenario.from_dict({"throughput_source": "model", "ttft_s": 2.0, "tpot_s": 0.1})
    first = inputs.throughput(s, data_dir)
    assert inputs.throughput(dataclasses.replace(s, tokens_per_day=3e9), data_dir) is first
    assert first == inputs.computed_throughput(s, data_dir)
    assert first.tokens_per_s > 0
    looser = inputs.throughput(dataclasses.replace(s, ttft_s=5.0), data_dir)
    assert looser.tokens_per_s > first.tokens_per_s
    # Double the set-up's GPU memory bandwidth in data/: the figure is computed again, and higher.
    specs = data_dir / "gpu_specs.csv"
    table = pd.read_csv(specs)
    bandwidth = next(c for c in table.columns if "bandwidth" in c)
    table[bandwidth] = table[bandwidth] * 2
    table.to_csv(specs, index=False)
    os.utime(specs, ns=(specs.stat().st_atime_ns, specs.stat().st_mtime_ns + 1_000_000_000))
    assert inputs.throughput(s, data_dir).tokens_per_s > first.tokens_per_s
