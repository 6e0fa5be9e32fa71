"""Every figure the workbook draws (every plotting function of helpers/show): a title, both axes
labelled with a unit, a source line naming the data, tick labels in the workbook's words
(10M, $1,000, 2,000, 50%) rather than matplotlib's 10^x mathtext; and in a notebook kernel a
figure is drawn once for its picture, not again by pyplot's REPL hook."""
import inspect
import re
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import capacity, paths  # noqa: E402
from helpers.article import drift  # noqa: E402
from helpers.capacity import traffic  # noqa: E402
from helpers.derive import derive  # noqa: E402
from helpers.scenario import Scenario  # noqa: E402
from helpers.show import capacity_plots, drift_plots, plots, uncertainty_plots  # noqa: E402
from helpers.uncertainty import montecarlo  # noqa: E402

MODULES = (plots, capacity_plots, drift_plots, uncertainty_plots)
# Functions of those modules that draw no figure of their own: the theme, axis and source
# helpers, the heatmap's table, and the two halves of cost_vs_volume (the what-if panel
# draws the frame once and redraws the lines).
NOT_FIGURES = {"set_theme", "draw_once_inline", "source_line", "tokens_axis", "usd_axis", "number_axis",
               "volume_grid", "cheaper_grid", "cost_axes", "cost_lines"}
UNIT = re.compile(r"\(.+\)")


@pytest.fixture(autouse=True)
def close_figures():
    plots.set_theme()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def mc():
    s = Scenario()
    volumes = np.unique(np.concatenate([montecarlo.curve_tokens_per_month(s), montecarlo.report_tokens_per_month(s)]))
    return montecarlo.run(s, volumes, draws=400, seed=1)


def _capacity_latency():
    spec, count = capacity.resolve_gpu("NVIDIA H100 80GB")
    curve, point = capacity.throughput_latency_curve(spec, "Llama 3.3 70B", 1000, 250, 8, count, 2.0, 0.05)
    return capacity_plots.throughput_latency(curve, point, "70B at 8 bits on an H100", 2.0, 0.05)


def _hourly_replicas():
    office = traffic.load_profile("business_hours")
    plans = {scaling: traffic.traffic_plan(2e9, office, 1500, 2.0, scaling=scaling)
             for scaling in ("always_on", "scheduled")}
    return capacity_plots.hourly_replicas(plans, "Office hours, 2B tokens a month")


FIGURES = {
    "cost_vs_volume": lambda mc: plots.cost_vs_volume(derive(Scenario(), tokens_per_month=plots.volume_grid()), 3e8),
    "cheaper_heatmap": lambda mc: plots.cheaper_heatmap(plots.cheaper_grid(Scenario()), "GPT-5", 3e8, 0.5),
    "throughput_vs_batch": lambda mc: capacity_plots.throughput_vs_batch(
        [capacity.throughput_curve("NVIDIA A100 80GB", "Llama 3.3 70B", 4, 1500)], 1500.0, "article"),
    "model_vs_measured": lambda mc: capacity_plots.model_vs_measured(
        capacity.calibration_table(), "measured_tokens_per_s", "model_tokens_per_s", "model", "Calibration"),
    "throughput_latency": lambda mc: _capacity_latency(),
    "hourly_replicas": lambda mc: _hourly_replicas(),
    "price_drift_chart": lambda mc: drift_plots.price_drift_chart(drift.price_drift(Scenario()), "2026-11-27"),
    "probability_curves": lambda mc: uncertainty_plots.probability_curves(mc),
    "fan_chart": lambda mc: uncertainty_plots.fan_chart(mc),
    "tornado_chart": lambda mc: uncertainty_plots.tornado_chart(montecarlo.tornado(Scenario())),
    "cumulative_cost": lambda mc: uncertainty_plots.cumulative_cost(mc),
}


def test_every_plotting_function_is_checked_here():
    functions = {name for module in MODULES for name, f in inspect.getmembers(module, inspect.isfunction)
                 if f.__module__ == module.__name__ and not name.startswith("_")}
    assert functions - NOT_FIGURES == set(FIGURES), "a new plotting function needs a case in FIGURES"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_titled_labelled_sourced_and_in_words(name, mc):
    drawn = FIGURES[name](mc)
    axes = list(drawn) if isinstance(drawn, (tuple, list, np.ndarray)) else [drawn]
    figure = axes[0].figure
    suptitle = figure._suptitle.get_text() if figure._suptitle else ""
    assert suptitle or all(ax.get_title() for ax in axes), "a title"
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.get_label_text()
            if axis is ax.yaxis and ax is not axes[0] and not label:
                continue  # panels sharing their y axis label it once
            assert label, f"{axis.axis_name} axis labelled"
            # Categories (models, inputs) have no unit; a numeric axis names its unit.
            if not isinstance(axis.get_major_formatter(), mticker.FixedFormatter):
                assert UNIT.search(label), f"{axis.axis_name} label with a unit: {label!r}"
    sources = [t.get_text() for t in figure.texts if t.get_text().startswith(plots.SOURCE_PREFIX)]
    assert sources and "data/" in sources[0], "a source line naming the data"
    figure.canvas.draw()
    labels = [t.get_text() for ax in axes for axis in (ax.xaxis, ax.yaxis)
              for t in axis.get_ticklabels(which="both") if t.get_text()]
    assert labels, "labelled ticks"
    assert not [t for t in labels if "$" in t and ("\\" in t or "^" in t)], f"mathtext tick labels: {labels}"


def test_log_axes_read_in_words():
    _, ax = plt.subplots()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1e6, 1e10)
    ax.set_ylim(300, 700)  # less than a decade: matplotlib labels minor ticks
    plots.tokens_axis(ax.xaxis)
    plots.usd_axis(ax.yaxis)
    ax.figure.canvas.draw()
    x = [t.get_text() for t in ax.xaxis.get_ticklabels() if 1e6 <= t.get_position()[0] <= 1e10]
    y = [t.get_text() for t in ax.yaxis.get_ticklabels(which="both")
         if t.get_text() and 300 <= t.get_position()[1] <= 700]
    assert x == ["1M", "10M", "100M", "1B", "10B"]
    assert y and all(re.fullmatch(r"\$\d{3}", t) for t in y), y


def test_a_notebook_figure_is_drawn_once_for_its_picture(tmp_path):
    """In a kernel with the inline backend: one draw to lay the figure out for its tight
    bounding box and one to make the PNG; pyplot's hook used to add a third."""
    from nbclient import NotebookClient

    cells = [
        "from helpers.show.format import display_options\ndisplay_options()",
        textwrap.dedent("""\
            import matplotlib.figure
            draws = []
            original = matplotlib.figure.Figure.draw
            def counted(self, renderer):
                draws.append(self)
                return original(self, renderer)
            matplotlib.figure.Figure.draw = counted"""),
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\nax.set_title('t');",
        "print(len(draws))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}}).execute()
    pictures = [o for o in nb.cells[2].outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 1, "the figure still shows at the end of its cell"
    assert nb.cells[3].outputs[0]["text"].strip() == "2"
