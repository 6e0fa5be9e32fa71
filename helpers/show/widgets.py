"""The what-if panel: controls for every input that moves the answer, and the answer.

Two layers, so that the panel can be tested without a browser:

- :func:`evaluate` is pure: an :class:`Inputs` in, a dict of results out. It only calls the
  workbook's functions (``api``, ``hybrid``, ``breakeven``, ``decision``, and
  ``tables.selfhost_scenario`` for the GPU bill, hidden costs and capacity, as the static
  notebooks do; ``capacity`` for the modelled throughput); no formula is copied here.
- :func:`build` returns a :class:`WhatIf`: ``.panel`` (the ipywidgets box to display),
  ``.controls`` (name -> widget; set ``.value`` and the results update), ``.results`` (the
  latest :func:`evaluate` output) and ``.outputs`` (name -> output widget).

Inputs that ``data/`` already holds default to ``None`` = "the article's figure from the CSV":
the GPU is the set-up's, throughput the set-up's conservative tokens/s, the API prices the
row of ``api_prices.csv``, the hidden costs the point estimates of ``hidden_costs.csv``.

The headline comparison is API against self-hosting *with* hidden costs (the article's "True
monthly cost"); the GPU-only comparison of the breakeven tables is shown beside it.
"""
from __future__ import annotations

import html
import io
import math
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from helpers.costs import api, breakeven, decision, hybrid
from helpers import data, paths, scenario
from helpers.show import format as format_, plots
from helpers.article import tables
from helpers.assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE

# The volume control's span in tokens per day (log scale): from a hobby project to far
# beyond one GPU's capacity, so that every breakeven of the article lies inside it.
VOLUME_MIN_TOKENS_PER_DAY = 1e5
VOLUME_MAX_TOKENS_PER_DAY = 1e10
ARTICLE = "article"
MODEL = "model"
PANEL_TEXT = "What-if panel: interactive in JupyterLab or with `make app` (Voila)"
STATIC_NOTE = ("This is a static run (interactive = False): it shows the starting scenario only. "
               "The controls run in JupyterLab or with `make app`.")
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Inputs:
    """Everything the what-if answer depends on (names as in the scenario files, plus the
    edited API prices, which a scenario cannot hold)."""

    tokens_per_day: float = 10_000_000
    input_share: float = INPUT_SHARE
    days_per_month: float = DAYS_PER_MONTH
    hours_per_month: float = HOURS_PER_MONTH
    setup: str = "article_a100_llama70b"
    gpu: str | None = None  # None = the set-up's GPU
    gpu_count: int = 1
    spot_discount: float = 0.0
    throughput_source: str = ARTICLE
    tokens_per_s: float | None = None  # None = the source's figure
    # The first model is the one compared; the others are drawn for reference.
    api_models: tuple[str, ...] = ("GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash")
    usd_per_1m_input: float | None = None  # None = the api_prices.csv row of api_models[0]
    usd_per_1m_output: float | None = None
    devops_hours_per_month: float | None = None  # None = hidden_costs.csv point estimate
    devops_usd_per_hour: float | None = None
    infrastructure_usd_per_month: float | None = None
    hybrid_api_share: float = 0.1
    hybrid_api_model: str = "GPT-5"
    privacy_required: bool = False
    needs_flagship_quality: bool = False
    has_ml_expertise: bool = False

    @property
    def api_model(self) -> str:
        return self.api_models[0]

    @classmethod
    def from_parameters(cls, params: dict, data_dir: Path | None = None,
                        source: str = "parameters") -> "Inputs":
        """Inputs from notebook parameters / a scenario: validated by
        :func:`helpers.scenario.validate` (errors name the parameter); keys the what-if has no
        use for (``hybrid_monthly_tokens``, ``description``) are ignored."""
        clean = scenario.validate({k: v for k, v in params.items() if k not in scenario.RUNNER_KEYS},
                                  data_dir, source)
        fields = {k: v for k, v in scenario.parameters(clean).items() if k in cls.__dataclass_fields__}
        if "api_models" in fields:
            fields["api_models"] = tuple(fields["api_models"])
        return cls(**fields)


def _prices(model: str, inputs: Inputs, table: pd.DataFrame) -> tuple[float, float]:
    """Input and output USD per 1M tokens of ``model``: the CSV row, or the edited prices
    when ``model`` is the compared one."""
    row = data.row(table, "model", model)
    usd_in, usd_out = float(row["usd_per_1m_input"]), float(row["usd_per_1m_output"])
    if model == inputs.api_model:
        usd_in = usd_in if inputs.usd_per_1m_input is None else float(inputs.usd_per_1m_input)
        usd_out = usd_out if inputs.usd_per_1m_output is None else float(inputs.usd_per_1m_output)
    return usd_in, usd_out


def capacity_module():
    """``helpers.capacity`` (the capacity model of issue 5) if this checkout has it, else
    ``None``: imported lazily, so the panel works on the article's throughput without it."""
    try:
        from helpers import capacity  # noqa: PLC0415
    except ImportError:
        return None
    return capacity if hasattr(capacity, "serving_capacity") else None


def source_tokens_per_s(inputs: Inputs, data_dir: Path | None = None) -> tuple[float, str]:
    """Throughput of one rented unit before any override, and where it comes from.

    ``article``: the set-up's conservative tokens/s (selfhost_setups.csv), quoted for the
    set-up's GPU. ``model``: the capacity model's input + output tokens/s of the set-up's model
    and bits on the chosen unit (``capacity.serving_capacity`` at the input share, as
    ``capacity.setup_tokens_per_s`` does for the set-up's own GPU); 0 when the model does not fit.
    """
    setup_row = data.row(data.load("selfhost_setups", data_dir), "setup", inputs.setup)
    gpu_name = inputs.gpu or setup_row["gpu"]
    if inputs.throughput_source == MODEL:
        capacity = capacity_module()
        if capacity is None:
            raise ValueError("throughput_source 'model' needs helpers/capacity.py, which this "
                             "checkout does not have")
        served = capacity.setup_capacity(inputs.setup, inputs.input_share, data_dir=data_dir, gpu=gpu_name)
        if served["batch"] == 0:
            return 0.0, f"the capacity model: {setup_row['model']} does not fit one {gpu_name}"
        return float(served["total_tokens_per_s"]), (
            f"the capacity model for {setup_row['model']} on {gpu_name}, batch {served['batch']}")
    gpu_model = data.row(data.load("gpu_cloud", data_dir), "gpu", gpu_name)["gpu_model"]
    note = f"the article's conservative figure for {setup_row['gpu']}"
    if gpu_model != setup_row["gpu"]:
        note += f", not measured on {gpu_name}: a rough guide"
    return float(setup_row["tokens_per_s_conservative"]), note


def evaluate(inputs: Inputs, data_dir: Path | None = None) -> dict:
    """Every figure the what-if shows, for one set of inputs.

    self-hosting side  = helpers.article.tables.selfhost_scenario (as in the static notebooks):
        gpu = usd_per_hour * hours * gpu_count * (1 - spot_discount); with hidden costs =
        gpu + devops_hours * rate + infrastructure; capacity = tokens/s * 3600 * hours * count
    api        = tokens_per_month / 1e6 * blended(api_models[0])        (api.py)
    hybrid     = share * tokens_per_month / 1e6 * blended(hybrid model) + with hidden costs
    breakeven  = fixed monthly cost / blended * 1e6                     (breakeven.py)
    decision   = the four-step framework at tokens_per_day              (decision.py)
    """
    prices = data.load("api_prices", data_dir)
    setup_row = data.row(data.load("selfhost_setups", data_dir), "setup", inputs.setup)
    gpu_name = inputs.gpu or setup_row["gpu"]

    monthly_tokens = api.tokens_per_month(inputs.tokens_per_day, inputs.days_per_month)
    blended_by_model = {}
    for model in inputs.api_models:
        usd_in, usd_out = _prices(model, inputs, prices)
        blended_by_model[model] = api.blended_usd_per_1m(usd_in, usd_out, inputs.input_share)
    blended = blended_by_model[inputs.api_model]
    hybrid_blended = api.blended_usd_per_1m(*_prices(inputs.hybrid_api_model, inputs, prices),
                                            inputs.input_share)

    if inputs.tokens_per_s is not None:
        tokens_per_s, throughput_note = float(inputs.tokens_per_s), "set by hand"
    else:
        tokens_per_s, throughput_note = source_tokens_per_s(inputs, data_dir)
    derived = tables.selfhost_scenario(
        gpu_name, inputs.gpu_count, inputs.spot_discount, inputs.hours_per_month, inputs.setup,
        tokens_per_s, inputs.devops_hours_per_month, inputs.devops_usd_per_hour,
        inputs.infrastructure_usd_per_month, data_dir)
    gpu_usd, tco_usd = derived["gpu_usd_per_month"], derived["tco_usd_per_month"]
    capacity_tokens = derived["capacity_tokens_per_month"]
    capacity_per_unit = capacity_tokens / inputs.gpu_count

    api_usd = api.api_usd_per_month(monthly_tokens, blended)
    hybrid_parts = hybrid.hybrid_usd_per_month(monthly_tokens, inputs.hybrid_api_share,
                                               hybrid_blended, tco_usd)
    winner, ratio = breakeven.winner(api_usd, tco_usd)
    winner_gpu_only, ratio_gpu_only = breakeven.winner(api_usd, gpu_usd)
    framework = decision.decide(inputs.tokens_per_day, inputs.privacy_required,
                                inputs.needs_flagship_quality, inputs.has_ml_expertise)
    return {
        "inputs": inputs,
        "api_model": inputs.api_model,
        "gpu": gpu_name,
        "tokens_per_day": float(inputs.tokens_per_day),
        "tokens_per_month": monthly_tokens,
        "blended_usd_per_1m": blended,
        "blended_by_model": blended_by_model,
        "api_usd_per_month": api_usd,
        "selfhost_usd_per_month": gpu_usd,
        "hidden_usd_per_month": derived["hidden_usd_per_month"],
        "tco_usd_per_month": tco_usd,
        "hybrid": hybrid_parts,
        "hybrid_usd_per_month": hybrid_parts["total_usd_per_month"],
        "breakeven_tokens_per_month": breakeven.breakeven_tokens_per_month(gpu_usd, blended),
        "tco_breakeven_tokens_per_month": breakeven.breakeven_tokens_per_month(tco_usd, blended),
        "winner": winner,
        "cost_ratio": ratio,
        "winner_gpu_only": winner_gpu_only,
        "cost_ratio_gpu_only": ratio_gpu_only,
        "tokens_per_s": tokens_per_s,
        "throughput_note": throughput_note,
        "capacity_tokens_per_month": capacity_tokens,
        "within_capacity": monthly_tokens <= capacity_tokens,
        "gpu_units_needed": math.ceil(monthly_tokens / capacity_per_unit) if capacity_per_unit > 0 else math.inf,
        "decision": framework,
    }


# --- What the results look like (shared by the panel and the static notebook) --------------

_usd = format_.usd_text


def _tokens(value: float) -> str:
    """A token count as the article writes it (256M, 3.89B); "never" for an infinite breakeven."""
    return "never" if value is None or pd.isna(value) or math.isinf(value) else format_.tokens_text(value)


def costs_frame(results: dict) -> pd.DataFrame:
    """Monthly cost of each option (USD) at the current volume."""
    inputs = results["inputs"]
    rows = [
        (f"API: {results['api_model']}", results["api_usd_per_month"]),
        (f"Self-host: {inputs.gpu_count} x {results['gpu']}, GPU only", results["selfhost_usd_per_month"]),
        ("Self-host with hidden costs (DevOps, infrastructure)", results["tco_usd_per_month"]),
        (f"Hybrid: {inputs.hybrid_api_share:.0%} to {inputs.hybrid_api_model}, rest self-hosted "
         "(with hidden costs)", results["hybrid_usd_per_month"]),
    ]
    return pd.DataFrame(rows, columns=["option", "usd_per_month"])


def breakevens_frame(results: dict) -> pd.DataFrame:
    """Breakeven volume against the compared API, GPU only and with hidden costs, in whole
    tokens (<NA>: a free API never breaks even)."""
    days = results["inputs"].days_per_month
    rows = [("GPU only", results["breakeven_tokens_per_month"]),
            ("with hidden costs", results["tco_breakeven_tokens_per_month"])]
    return pd.DataFrame({
        "self_host_cost": [name for name, _ in rows],
        "breakeven_tokens_per_month": pd.array([_int_or_none(v) for _, v in rows], dtype="Int64"),
        "breakeven_tokens_per_day": pd.array([_int_or_none(v / days) for _, v in rows], dtype="Int64"),
    })


def winner_text(results: dict) -> str:
    """One line: which option is cheaper, with hidden costs, and by how much."""
    api_usd, tco_usd = results["api_usd_per_month"], results["tco_usd_per_month"]
    if results["winner"] == breakeven.BREAKEVEN:
        return f"Breakeven: API {_usd(api_usd)} and self-hosting {_usd(tco_usd)} a month are level"
    cheaper, dearer = sorted((api_usd, tco_usd))
    name = f"API ({results['api_model']})" if results["winner"] == breakeven.API else "Self-host"
    return (f"{name} wins: {results['cost_ratio']:,.2f}x cheaper, {_usd(dearer - cheaper)} a month less "
            f"({_usd(cheaper)} against {_usd(dearer)}, self-hosting with hidden costs)")


def notes(results: dict) -> list[str]:
    """Caveats: GPU-only winner, capacity, throughput source."""
    found = [f"GPU only (no hidden costs): {results['winner_gpu_only']}"
             + ("" if results["winner_gpu_only"] == breakeven.BREAKEVEN
                else f", {results['cost_ratio_gpu_only']:,.2f}x cheaper")]
    found.append(f"Throughput {results['tokens_per_s']:,.0f} tokens/s per unit ({results['throughput_note']}): "
                 f"capacity {_tokens(results['capacity_tokens_per_month'])} tokens/month "
                 f"on {results['inputs'].gpu_count} unit(s)")
    if math.isinf(results["gpu_units_needed"]):
        found.append("No capacity: this unit cannot serve the set-up's model at all")
    elif not results["within_capacity"]:
        found.append(f"Over capacity: {_tokens(results['tokens_per_month'])} tokens/month needs "
                     f"{results['gpu_units_needed']} unit(s); the self-hosting cost above is for "
                     f"{results['inputs'].gpu_count}")
    return found


def decision_text(results: dict) -> str:
    d = results["decision"]
    return f"Decision framework, step {d.step}: {d.recommendation} ({d.reason})"


def summary_markdown(results: dict) -> str:
    """The results as Markdown, for the static notebook output."""
    lines = [f"**Volume:** {_tokens(results['tokens_per_day'])} tokens/day = "
             f"{_tokens(results['tokens_per_month'])} tokens/month",
             "", f"**{winner_text(results)}**", "", decision_text(results), ""]
    lines += [f"- {n}" for n in notes(results)]
    return "\n".join(lines)


def plot_costs(results: dict, ax, volume_range: tuple[float, float] | None = None):
    """The cost-against-volume plot (helpers.show.plots.cost_vs_volume) of these results, with the
    current volume marked. Returns the Axes."""
    days = results["inputs"].days_per_month
    if volume_range is None:
        volume_range = (VOLUME_MIN_TOKENS_PER_DAY * days, VOLUME_MAX_TOKENS_PER_DAY * days)
    return plots.cost_vs_volume(results["blended_by_model"], results["selfhost_usd_per_month"],
                                results["tco_usd_per_month"], results["capacity_tokens_per_month"],
                                volume_range=volume_range,
                                current_tokens_per_month=results["tokens_per_month"], ax=ax)


# --- Scenarios ------------------------------------------------------------------------------

def to_scenario(inputs: Inputs, description: str | None = None, data_dir: Path | None = None) -> dict:
    """The inputs as a scenario dict (keys of helpers.scenario.KEYS), validated.

    Values equal to the CSV's figure are written as null ("the article's figure from data/").
    Edited API prices have no scenario key: a ValueError says so rather than saving a scenario
    that would not reproduce the what-if.
    """
    prices = data.load("api_prices", data_dir)
    row = data.row(prices, "model", inputs.api_model)
    for given, column in ((inputs.usd_per_1m_input, "usd_per_1m_input"),
                          (inputs.usd_per_1m_output, "usd_per_1m_output")):
        if given is not None and not math.isclose(given, float(row[column])):
            raise ValueError(f"{column} of {inputs.api_model} was edited ({given:g} instead of "
                             f"{float(row[column]):g}); a scenario has no key for API prices: "
                             "reset the price, or add a row to data/api_prices.csv")
    hidden = data.load("hidden_costs", data_dir).set_index("parameter")["point"]
    setup_row = data.row(data.load("selfhost_setups", data_dir), "setup", inputs.setup)

    def unless_point(value, parameter):
        return None if value is None or math.isclose(value, float(hidden[parameter])) else _plain(value)

    out = {
        "tokens_per_day": int(round(inputs.tokens_per_day)),
        "input_share": _plain(inputs.input_share),
        "days_per_month": _plain(inputs.days_per_month),
        "hours_per_month": _plain(inputs.hours_per_month),
        "gpu": inputs.gpu or str(setup_row["gpu"]),
        "gpu_count": int(inputs.gpu_count),
        "spot_discount": _plain(inputs.spot_discount),
        "setup": inputs.setup,
        "throughput_source": inputs.throughput_source,
        "tokens_per_s": None if inputs.tokens_per_s is None else _plain(inputs.tokens_per_s),
        "api_models": list(inputs.api_models),
        "devops_hours_per_month": unless_point(inputs.devops_hours_per_month, "devops_hours_per_month"),
        "devops_usd_per_hour": unless_point(inputs.devops_usd_per_hour, "devops_usd_per_hour"),
        "infrastructure_usd_per_month": unless_point(inputs.infrastructure_usd_per_month,
                                                     "infrastructure_usd_per_month"),
        # The what-if's hybrid splits the current volume; the hybrid notebook's example volume
        # follows it so that a report shows the same split.
        "hybrid_monthly_tokens": int(round(api.tokens_per_month(inputs.tokens_per_day, inputs.days_per_month))),
        "hybrid_api_share": _plain(inputs.hybrid_api_share),
        "hybrid_api_model": inputs.hybrid_api_model,
        "privacy_required": bool(inputs.privacy_required),
        "needs_flagship_quality": bool(inputs.needs_flagship_quality),
        "has_ml_expertise": bool(inputs.has_ml_expertise),
    }
    if description:
        out = {scenario.DESCRIPTION: description, **out}
    return scenario.validate(out, data_dir, "what-if scenario")


def _plain(value: float) -> int | float:
    """A whole number as int (YAML ``720`` rather than ``720.0``), other values rounded to 6
    significant digits (slider steps, not float noise)."""
    value = float(value)
    if value.is_integer():
        return int(value)
    return float(f"{value:.6g}")


def save_scenario(inputs: Inputs, name: str, directory: Path | None = None, overwrite: bool = False,
                  description: str | None = None, data_dir: Path | None = None) -> Path:
    """Write ``<directory>/<name>.yaml`` (params/ by default) with helpers.scenario.save.

    An existing file is kept unless ``overwrite`` is true (FileExistsError naming it).
    """
    if not SCENARIO_NAME.match(name or ""):
        raise ValueError(f"scenario name {name!r}: use letters, digits, '-', '_' or '.', "
                         "starting with a letter or digit")
    target = (directory or paths.PARAMS_DIR) / f"{name.removesuffix('.yaml')}.yaml"
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; tick 'overwrite' to replace it")
    if description is None:
        description = (f"What-if '{name}': {_tokens(inputs.tokens_per_day)} tokens/day, "
                       f"{inputs.api_model} against {inputs.gpu_count} x {inputs.gpu or inputs.setup}")
    return scenario.save(to_scenario(inputs, description, data_dir), target, data_dir)


# --- The panel ------------------------------------------------------------------------------

@dataclass
class WhatIf:
    """The built panel and its state; see :func:`build`."""

    panel: object
    controls: dict
    outputs: dict
    base: Inputs
    data_dir: Path | None = None
    results: dict | None = None
    error: str | None = None
    timings: dict = field(default_factory=dict)
    _auto: dict = field(default_factory=dict)
    _holding: bool = False
    _figure: object = None
    _save_dir: Path | None = None

    def _repr_mimebundle_(self, **kwargs):
        """Display as the panel; where widgets cannot render (a saved notebook, a static
        report) the plain-text form is one line saying where the panel runs."""
        bundle = dict(self.panel._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = PANEL_TEXT
        return bundle

    def inputs(self) -> Inputs:
        """The controls' current values as :class:`Inputs`; a value equal to the CSV figure the
        control was filled with stays ``None`` (the article's figure)."""
        c = self.controls
        others = [m for m in self.base.api_models if m != c["api_model"].value]
        return replace(
            self.base,
            tokens_per_day=float(c["tokens_per_day"].value),
            input_share=float(c["input_share"].value),
            days_per_month=int(c["days_per_month"].value),
            hours_per_month=float(c["hours_per_month"].value),
            setup=c["setup"].value,
            gpu=c["gpu"].value,
            gpu_count=int(c["gpu_count"].value),
            spot_discount=float(c["spot_discount"].value) if c["pricing"].value == "spot" else 0.0,
            throughput_source=c["throughput_source"].value,
            tokens_per_s=self._unless_auto("tokens_per_s"),
            api_models=(c["api_model"].value, *others),
            usd_per_1m_input=self._unless_auto("usd_per_1m_input"),
            usd_per_1m_output=self._unless_auto("usd_per_1m_output"),
            devops_hours_per_month=self._unless_auto("devops_hours_per_month"),
            devops_usd_per_hour=self._unless_auto("devops_usd_per_hour"),
            infrastructure_usd_per_month=self._unless_auto("infrastructure_usd_per_month"),
            hybrid_api_share=float(c["hybrid_api_share"].value),
            hybrid_api_model=c["hybrid_api_model"].value,
            privacy_required=bool(c["privacy_required"].value),
            needs_flagship_quality=bool(c["needs_flagship_quality"].value),
            has_ml_expertise=bool(c["has_ml_expertise"].value),
        )

    def _unless_auto(self, name: str) -> float | None:
        value = float(self.controls[name].value)
        auto = self._auto.get(name)
        return None if auto is not None and math.isclose(value, auto) else value

    def _fill(self, name: str, value: float) -> None:
        """Put a CSV figure into a control and remember it as that control's default."""
        self._auto[name] = float(value)
        self.controls[name].value = float(value)

    def _fill_prices(self) -> None:
        row = data.row(data.load("api_prices", self.data_dir), "model", self.controls["api_model"].value)
        self._fill("usd_per_1m_input", row["usd_per_1m_input"])
        self._fill("usd_per_1m_output", row["usd_per_1m_output"])

    def _fill_throughput(self, keep_override: bool = False) -> None:
        """Refill tokens/s with the source's figure; with ``keep_override`` a figure typed by
        hand stays."""
        c = self.controls
        if keep_override and self._unless_auto("tokens_per_s") is not None:
            return
        probe = replace(self.base, setup=c["setup"].value, gpu=c["gpu"].value,
                        input_share=float(c["input_share"].value),
                        throughput_source=c["throughput_source"].value, tokens_per_s=None)
        self._fill("tokens_per_s", source_tokens_per_s(probe, self.data_dir)[0])

    def _on_change(self, change) -> None:
        if self._holding:
            return
        self._holding = True
        try:
            owner = change["owner"]
            if owner is self.controls["api_model"]:
                self._fill_prices()
            elif owner is self.controls["throughput_source"]:
                self._fill_throughput()
            elif owner in (self.controls["setup"], self.controls["gpu"], self.controls["input_share"]):
                self._fill_throughput(keep_override=True)
            self.controls["spot_discount"].disabled = self.controls["pricing"].value != "spot"
        except Exception as err:  # noqa: BLE001 - shown on the panel, never a traceback
            self._show_error(err)
            return
        finally:
            self._holding = False
        self.update()

    def update(self) -> None:
        """Recompute and redraw; a bad combination of inputs shows its message on the panel
        and keeps the last good results."""
        try:
            start = time.perf_counter()
            results = evaluate(self.inputs(), self.data_dir)
            calculated = time.perf_counter()
            self._render(results)
            drawn = time.perf_counter()
        except Exception as err:  # noqa: BLE001
            self._show_error(err)
            return
        self.results, self.error = results, None
        self.outputs["error"].value = ""
        self.timings = {"calc_s": calculated - start, "redraw_s": drawn - calculated}

    def _show_error(self, err: Exception) -> None:
        self.error = f"{type(err).__name__}: {err}"
        self.outputs["error"].value = f"<b>Cannot compute:</b> {html.escape(self.error)}"

    def _render(self, results: dict) -> None:
        o = self.outputs
        o["winner"].value = f"<b>{html.escape(winner_text(results))}</b>"
        o["decision"].value = html.escape(decision_text(results))
        o["volume"].value = (f"{_tokens(results['tokens_per_day'])} tokens/day = "
                             f"{_tokens(results['tokens_per_month'])} tokens/month")
        costs = costs_frame(results).to_html(index=False, formatters={"usd_per_month": _usd}, border=0)
        be = breakevens_frame(results).to_html(
            index=False, border=0, formatters={"breakeven_tokens_per_month": _tokens,
                                               "breakeven_tokens_per_day": _tokens})
        o["table"].value = costs + f"<p>Breakeven against {html.escape(results['api_model'])}:</p>" + be
        o["notes"].value = "<br>".join(html.escape(n) for n in notes(results))
        o["plot"].value = self._draw(results)

    def _draw(self, results: dict) -> bytes:
        """PNG of the plot. The figure is made once; a redraw removes the previous lines and
        legend but keeps the axes, whose log-scale ticks are the slow part to rebuild."""
        if self._figure is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
            from matplotlib.figure import Figure  # noqa: PLC0415 - no pyplot: nothing auto-shown
            self._figure = Figure(figsize=(8, 5), dpi=80)
            FigureCanvasAgg(self._figure)
            self._figure.add_subplot()
            self._figure.subplots_adjust(left=0.1, right=0.97, top=0.93, bottom=0.1)
        ax = self._figure.axes[0]
        for artist in [*ax.lines, *ax.collections, *ax.texts]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        plot_costs(results, ax)
        ax.relim()
        ax.autoscale_view()
        return png_bytes(self._figure)

    def save(self, name: str, overwrite: bool = False, directory: Path | None = None) -> Path:
        """Save the current inputs as ``<name>.yaml`` in ``directory``, else the panel's save
        folder, else params/ (see :func:`save_scenario`)."""
        return save_scenario(self.inputs(), name, directory or self._save_dir, overwrite,
                             data_dir=self.data_dir)

    def _on_save(self, _button) -> None:
        status = self.outputs["save_status"]
        try:
            path = self.save(self.controls["scenario_name"].value.strip(),
                             bool(self.controls["overwrite"].value))
        except (ValueError, FileExistsError, OSError) as err:
            status.value = f"<span style='color:#b00'>Not saved: {html.escape(str(err))}</span>"
            return
        shown = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        status.value = f"Saved {html.escape(str(shown))} (run it with the report command)"


def build(inputs: Inputs | None = None, data_dir: Path | None = None,
          save_dir: Path | None = None) -> WhatIf:
    """Build the what-if panel for ``inputs`` (the article's scenario by default), computed
    once; every control change recomputes. ``save_dir`` is where "save scenario" writes
    (params/ by default)."""
    import ipywidgets as w  # noqa: PLC0415 - only the panel needs it

    base = inputs or Inputs()
    prices = data.load("api_prices", data_dir)
    gpus = data.load("gpu_cloud", data_dir)
    setups = data.load("selfhost_setups", data_dir)
    hidden = data.load("hidden_costs", data_dir).set_index("parameter")
    setup_row = data.row(setups, "setup", base.setup)
    spot_low, spot_high = float(hidden.loc["spot_discount", "low"]), float(hidden.loc["spot_discount", "high"])
    style = {"description_width": "190px"}
    wide = w.Layout(width="420px")

    def number(label, value, minimum=0.0, maximum=1e9, step=1.0):
        return w.BoundedFloatText(value=value, min=minimum, max=maximum, step=step, description=label,
                                  style=style, layout=wide)

    def share(label, value):
        return w.FloatSlider(value=value, min=0, max=1, step=0.05, description=label, style=style,
                             layout=wide, readout_format=".0%", continuous_update=False)

    c = {
        "tokens_per_day": w.FloatLogSlider(
            value=base.tokens_per_day, base=10, min=math.log10(VOLUME_MIN_TOKENS_PER_DAY),
            max=math.log10(VOLUME_MAX_TOKENS_PER_DAY), step=0.01, description="Volume (tokens/day)",
            readout_format=".3s", continuous_update=False, style=style, layout=wide),
        "input_share": share("Input share of tokens", base.input_share),
        "days_per_month": w.BoundedIntText(value=int(base.days_per_month), min=1, max=31,
                                           description="Days per month", style=style, layout=wide),
        "api_model": w.Dropdown(options=list(prices["model"]), value=base.api_model,
                                description="API model", style=style, layout=wide),
        "usd_per_1m_input": number("Input USD per 1M", 0.0, step=0.01),
        "usd_per_1m_output": number("Output USD per 1M", 0.0, step=0.01),
        "gpu": w.Dropdown(options=list(gpus["gpu"]), value=base.gpu or setup_row["gpu"],
                          description="GPU (rented unit)", style=style, layout=wide),
        "gpu_count": w.BoundedIntText(value=base.gpu_count, min=1, max=1000, description="How many units",
                                      style=style, layout=wide),
        "pricing": w.ToggleButtons(options=["on-demand", "spot"],
                                   value="spot" if base.spot_discount > 0 else "on-demand",
                                   description="Pricing", style=style),
        "spot_discount": w.FloatSlider(
            value=base.spot_discount if base.spot_discount > 0 else (spot_low + spot_high) / 2,
            min=0, max=0.95, step=0.05, description="Spot discount", readout_format=".0%",
            continuous_update=False, style=style, layout=wide),
        "hours_per_month": w.IntSlider(value=int(base.hours_per_month), min=0, max=scenario.HOURS_IN_LONGEST_MONTH,
                                       description="GPU hours per month", continuous_update=False,
                                       style=style, layout=wide),
        "setup": w.Dropdown(options=list(setups["setup"]), value=base.setup,
                            description="Set-up (model, throughput)", style=style, layout=wide),
        "throughput_source": w.ToggleButtons(
            options=[ARTICLE] + ([MODEL] if capacity_module() else []),
            value=base.throughput_source, description="Throughput from", style=style),
        "tokens_per_s": number("Tokens/s per unit", 1.0, minimum=0.0, maximum=1e7, step=10),
        "devops_hours_per_month": number("DevOps hours per month", 0.0),
        "devops_usd_per_hour": number("DevOps USD per hour", 0.0),
        "infrastructure_usd_per_month": number("Infrastructure USD/month", 0.0, step=10),
        "hybrid_api_share": share("Hybrid: share to an API", base.hybrid_api_share),
        "hybrid_api_model": w.Dropdown(options=list(prices["model"]), value=base.hybrid_api_model,
                                       description="Hybrid: API model", style=style, layout=wide),
        "privacy_required": w.Checkbox(value=base.privacy_required, description="Privacy forbids third-party APIs"),
        "needs_flagship_quality": w.Checkbox(value=base.needs_flagship_quality,
                                             description="Needs GPT-5/Claude-level quality"),
        "has_ml_expertise": w.Checkbox(value=base.has_ml_expertise, description="ML infrastructure expertise"),
        "scenario_name": w.Text(value="what-if", description="Scenario name", style=style, layout=wide),
        "overwrite": w.Checkbox(value=False, description="overwrite an existing file"),
    }
    c["tokens_per_day"].add_class("whatif-volume")
    outputs = {
        "volume": w.HTML(),
        "winner": w.HTML(),
        "decision": w.HTML(),
        "table": w.HTML(),
        "notes": w.HTML(),
        "error": w.HTML(),
        "plot": w.Image(format="png", layout=w.Layout(width="640px")),
        "save_status": w.HTML(),
    }
    for name, widget in outputs.items():
        widget.add_class(f"whatif-{name.replace('_', '-')}")
    save_button = w.Button(description="Save scenario", icon="save")
    save_button.add_class("whatif-save")

    state = WhatIf(panel=None, controls=c, outputs=outputs, base=base, data_dir=data_dir)
    state._save_dir = save_dir
    state._holding = True
    state._fill_prices()
    if base.usd_per_1m_input is not None:
        c["usd_per_1m_input"].value = base.usd_per_1m_input
    if base.usd_per_1m_output is not None:
        c["usd_per_1m_output"].value = base.usd_per_1m_output
    state._fill_throughput()
    if base.tokens_per_s is not None:
        c["tokens_per_s"].value = base.tokens_per_s
    for name in ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month"):
        state._fill(name, float(hidden.loc[name, "point"]))
        if getattr(base, name) is not None:
            c[name].value = getattr(base, name)
    c["spot_discount"].disabled = c["pricing"].value != "spot"
    state._holding = False
    for name, widget in c.items():
        if name not in ("scenario_name", "overwrite"):
            widget.observe(state._on_change, names="value")
    save_button.on_click(state._on_save)

    def section(title, *children):
        return w.VBox([w.HTML(f"<b>{title}</b>"), *children])

    left = w.VBox([
        section("Workload", c["tokens_per_day"], outputs["volume"], c["input_share"], c["days_per_month"]),
        section("API", c["api_model"], c["usd_per_1m_input"], c["usd_per_1m_output"]),
        section("Self-hosting", c["gpu"], c["gpu_count"], c["pricing"], c["spot_discount"],
                c["hours_per_month"], c["setup"], c["throughput_source"], c["tokens_per_s"]),
        section("Hidden costs", c["devops_hours_per_month"], c["devops_usd_per_hour"],
                c["infrastructure_usd_per_month"]),
        section("Hybrid", c["hybrid_api_share"], c["hybrid_api_model"]),
        section("Decision framework", c["privacy_required"], c["needs_flagship_quality"], c["has_ml_expertise"]),
        section("Save scenario (params/)", c["scenario_name"], c["overwrite"], save_button, outputs["save_status"]),
    ], layout=w.Layout(width="450px"))
    right = w.VBox([outputs["winner"], outputs["decision"], outputs["error"], outputs["table"],
                    outputs["notes"], outputs["plot"]], layout=w.Layout(width="660px"))
    state.panel = w.HBox([left, right])
    state.update()
    return state


def panel_or_note(inputs: Inputs, interactive: bool = True, **kwargs):
    """The what-if panel for the notebook to display, or (static runs) a Markdown note."""
    if interactive:
        return build(inputs, **kwargs)
    from IPython.display import Markdown  # noqa: PLC0415

    return Markdown(STATIC_NOTE)


def png_bytes(figure) -> bytes:
    """``figure`` as PNG, with fast compression (the redraw budget is 200 ms)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def results_row(results: dict) -> dict:
    """The results as one flat row of plain values (for a CSV of the default scenario)."""
    inputs = asdict(results["inputs"])
    inputs["api_models"] = ";".join(inputs["api_models"])
    return {
        **{k: v for k, v in inputs.items() if v is not None},
        "tokens_per_month": int(round(results["tokens_per_month"])),
        "blended_usd_per_1m": results["blended_usd_per_1m"],
        "api_usd_per_month": results["api_usd_per_month"],
        "selfhost_usd_per_month": results["selfhost_usd_per_month"],
        "tco_usd_per_month": results["tco_usd_per_month"],
        "hybrid_usd_per_month": results["hybrid_usd_per_month"],
        "breakeven_tokens_per_month": _int_or_none(results["breakeven_tokens_per_month"]),
        "tco_breakeven_tokens_per_month": _int_or_none(results["tco_breakeven_tokens_per_month"]),
        "winner": results["winner"],
        "cost_ratio": results["cost_ratio"],
        "winner_gpu_only": results["winner_gpu_only"],
        "cost_ratio_gpu_only": results["cost_ratio_gpu_only"],
        "capacity_tokens_per_month": int(round(results["capacity_tokens_per_month"])),
        "decision": results["decision"].recommendation,
        "decision_step": results["decision"].step,
    }


def _int_or_none(value: float) -> int | None:
    return None if math.isinf(value) else int(round(value))
