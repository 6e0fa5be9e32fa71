"""helpers.show.plots: every figure titled, axes labelled with units, a source line; the
cheaper-option grid checked by hand against the article's A100 and GPT-5 figures."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import data  # noqa: E402
from helpers.scenario import Scenario  # noqa: E402
from helpers.show import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def figure_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.figure.texts]


def assert_labelled(ax, x_unit: str, y_unit: str):
    assert ax.get_title(), "a title"
    assert x_unit in ax.get_xlabel() and y_unit in ax.get_ylabel()
    assert any(t.startswith(plots.SOURCE_PREFIX + "data/") for t in figure_texts(ax)), "a source line"


def test_cost_vs_volume_is_titled_labelled_and_sourced():
    from helpers.derive import derive

    ax = plots.cost_vs_volume(derive(Scenario(), tokens_per_month=plots.volume_grid()), 3e8)
    assert_labelled(ax, "tokens per month", "USD per month")


def test_cheaper_grid_by_hand():
    """GPT-5 at a 50/50 blend is (1.25 + 10) / 2 = $5.625 per 1M; one A100 deployment costs
    $1,440 a month and serves 1,500 tokens/s x 3600 x 720 = 3.888B tokens; hidden costs $1,800."""
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    grid = plots.cheaper_grid(Scenario(), "GPT-5", input_shares=[0.5, 0.9], tokens_per_month=[1e9, 1e10])
    at = grid.set_index(["input_share", "tokens_per_month"])
    assert at.loc[(0.5, 1e9), "api_usd_per_month"] == pytest.approx(5625.0)
    assert at.loc[(0.5, 1e9), "replicas"] == 1 and at.loc[(0.5, 1e9), "tco_usd_per_month"] == pytest.approx(3240.0)
    assert at.loc[(0.5, 1e10), "replicas"] == 3  # ceil(10B / 3.888B)
    assert at.loc[(0.5, 1e10), "tco_usd_per_month"] == pytest.approx(3 * 1440.0 + 1800.0)
    blended_90 = 0.9 * gpt5["usd_per_1m_input"] + 0.1 * gpt5["usd_per_1m_output"]
    assert at.loc[(0.9, 1e9), "api_usd_per_month"] == pytest.approx(1e3 * blended_90)
    assert at.loc[(0.5, 1e9), "cheaper"] == "self-host" and at.loc[(0.9, 1e9), "cheaper"] == "API"


def test_cheaper_heatmap_is_titled_labelled_and_sourced():
    grid = plots.cheaper_grid(Scenario())
    ax = plots.cheaper_heatmap(grid, "GPT-5", 3e8, 0.5)
    assert_labelled(ax, "tokens per month", "%")
    assert "GPT-5" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["10M", "31.6M", "100M"]


def test_the_theme_is_seaborns():
    plots.set_theme()
    assert plt.rcParams["axes.facecolor"] == "white" and plt.rcParams["axes.grid"]
