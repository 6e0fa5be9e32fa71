"""The what-if panel: a control for every input that moves the answer, and the answer.

The panel only builds controls and draws; what it shows comes from
:func:`helpers.show.whatif.evaluate` (figures of :func:`helpers.derive.panel.panel_figures`),
so that it can be tested without a browser. :func:`build` returns a :class:`WhatIf`:
``.panel`` (the ipywidgets box to display), ``.controls`` (field name -> widget, generated from
the scenario's fields; set ``.value`` and the results update), ``.results`` (the latest
:func:`~helpers.show.whatif.evaluate` output) and ``.outputs`` (name -> output widget).

Fields the scenario leaves empty mean "the figure from data/" (the set-up's throughput, the
API's row of api_prices.csv, the hidden-cost point estimates): their controls show that
figure, and the scenario stays empty until the control is moved away from it.
"""
from __future__ import annotations

import dataclasses
import html
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import data, paths, scenario as scenario_mod
from helpers.derive import PRICE_TABLES, api_model_choices, hidden_inputs, throughput
from helpers.derive.panel import with_hybrid_at_volume
from helpers.scenario import Scenario
from helpers.show.whatif_chart import CostChart, series
# What the panel shows, re-exported: the panel renders these and the notebook prints them.
from helpers.show.whatif import (VOLUME_MAX_TOKENS_PER_DAY, VOLUME_MIN_TOKENS_PER_DAY, breakevens_frame,  # noqa: F401
                                 cost_grid, costs_frame, decision_text, evaluate, monthly_volume_range, notes,
                                 plot_costs, probability_text, summary_markdown, tokens_or_never, winner_text)
from helpers.text import usd_text

PANEL_TEXT = "What-if panel: interactive in JupyterLab or with `make app` (Voila)"
STATIC_NOTE = ("This is a static run (interactive = False): it shows the starting scenario only. "
               "The controls run in JupyterLab or with `make app`.")
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Fields whose empty value means "the figure from data/": the control shows that figure.
FILLED_FROM_DATA = ("tokens_per_s", "usd_per_1m_input", "usd_per_1m_output",
                    "devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")
# The panel's sections: scenario fields in the order shown ("api_model" is the first of
# api_models, "pricing" the on-demand / spot switch in front of spot_discount).
SECTIONS = (
    ("Workload", ("tokens_per_day", "input_share", "days_per_month")),
    ("API", ("price_source", "api_model", "usd_per_1m_input", "usd_per_1m_output", "cached_input_share",
             "batch_share")),
    ("Self-hosting", ("gpu", "gpu_count", "pricing", "spot_discount", "hours_per_month", "setup",
                      "throughput_source", "tokens_per_s")),
    ("Hidden costs", ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")),
    ("Hybrid", ("hybrid_api_share", "hybrid_api_model")),
    ("Decision framework", ("privacy_required", "needs_flagship_quality", "has_ml_expertise")),
    ("Contract (how sure)", ("horizon_months", "api_price_change_per_year")),
)


# --- Scenarios ------------------------------------------------------------------------------

def _plain(value):
    """A whole number as int (YAML ``720`` rather than ``720.0``), other floats rounded to 6
    significant digits (slider steps, not float noise); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    value = float(value)
    if value.is_integer():
        return int(value)
    return float(f"{value:.6g}")


def to_scenario(s: Scenario, description: str | None = None, data_dir: Path | None = None) -> dict:
    """The scenario as the mapping a ``params/*.yaml`` file holds: the fields that differ from
    the article's (a field left empty keeps the figure from data/), validated. The what-if's
    hybrid splits the current volume, so the hybrid example's volume follows it and a report
    shows the same split."""
    s = with_hybrid_at_volume(s)
    out = {k: _plain(v) for k, v in s.to_dict(changed_only=True).items()}
    if description:
        out = {scenario_mod.DESCRIPTION: description, **out}
    return scenario_mod.validate(out, data_dir, "what-if scenario")


def save_scenario(s: Scenario, name: str, directory: Path | None = None, overwrite: bool = False,
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
        description = (f"What-if '{name}': {tokens_or_never(s.tokens_per_day)} tokens/day, "
                       f"{s.api_model} against {s.gpu_count} x {s.gpu}")
    return scenario_mod.save(to_scenario(s, description, data_dir), target, data_dir)


# --- The panel ------------------------------------------------------------------------------

def _label(name: str) -> str:
    """A control's label from its field name: "devops_usd_per_hour" -> "Devops usd per hour"."""
    return name.replace("_", " ").replace(" 1m ", " 1M ").capitalize()


def control(name: str, value, data_dir: Path | None = None, style: dict | None = None, layout=None):
    """The widget for one scenario field, generated from its :class:`~helpers.scenario.Spec`:
    numbers and integers as bounded text boxes, shares as sliders, booleans as checkboxes, a
    name from a data table as a drop-down of that table's rows, a choice as toggle buttons.
    The field's help text is the tooltip."""
    import ipywidgets as w  # noqa: PLC0415 - only the panel needs it

    spec = scenario_mod.KEYS[name]
    common = {"description": _label(name), "tooltip": spec.help, "style": style or {}}
    if layout is not None:
        common["layout"] = layout
    if spec.kind in ("number", "integer"):
        low = 0.0 if spec.minimum is None else spec.minimum
        high = 1e12 if spec.maximum is None else spec.maximum
        widget = w.BoundedIntText if spec.kind == "integer" else w.BoundedFloatText
        return widget(value=value if value is not None else low, min=low, max=high, **common)
    if spec.kind == "share":
        high = 0.95 if spec.maximum_excluded else 1.0
        return w.FloatSlider(value=value, min=0, max=high, step=0.05, readout_format=".0%",
                             continuous_update=False, **common)
    if spec.kind == "bool":
        return w.Checkbox(value=value, description=spec.help, tooltip=spec.help)
    if spec.rows_of is not None:
        table, column = spec.rows_of
        return w.Dropdown(options=[str(v) for v in data.load(table, data_dir)[column]], value=value, **common)
    if spec.choices is not None:
        return w.ToggleButtons(options=list(spec.choices), value=value, **common)
    raise ValueError(f"no control for field {name!r} of kind {spec.kind!r}")


@dataclass
class WhatIf:
    """The built panel and its state; see :func:`build`."""

    panel: object
    controls: dict
    outputs: dict
    base: Scenario
    data_dir: Path | None = None
    results: dict | None = None
    error: str | None = None
    timings: dict = field(default_factory=dict)
    _filled: dict = field(default_factory=dict)
    _holding: bool = False
    chart: CostChart | None = None
    _save_dir: Path | None = None

    def _repr_mimebundle_(self, **kwargs):
        """Display as the panel; where widgets cannot render (a saved notebook, a static
        report) the plain-text form is one line saying where the panel runs."""
        bundle = dict(self.panel._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = PANEL_TEXT
        return bundle

    def scenario(self) -> Scenario:
        """The controls' current values as a :class:`Scenario`; a control still showing the
        figure it was filled with from data/ leaves its field empty."""
        c = self.controls
        values = {}
        for _, names in SECTIONS:
            for name in names:
                if name == "pricing":
                    continue
                if name == "api_model":
                    others = [m for m in self.base.api_models if m != c[name].value]
                    values["api_models"] = (c[name].value, *others)
                elif name in FILLED_FROM_DATA:
                    values[name] = self._unless_filled(name)
                elif name == "spot_discount":
                    values[name] = float(c[name].value) if c["pricing"].value == "spot" else 0.0
                else:
                    values[name] = c[name].value
        return Scenario.from_dict({**self.base.to_dict(), **{k: _plain(v) for k, v in values.items()}},
                                  self.data_dir, "what-if")

    def _unless_filled(self, name: str) -> float | None:
        value = float(self.controls[name].value)
        filled = self._filled.get(name)
        return None if filled is not None and math.isclose(value, filled) else value

    def _fill(self, name: str, value: float) -> None:
        """Put a figure from data/ into a control and remember it as that control's default."""
        self._filled[name] = float(value)
        self.controls[name].value = float(value)

    def _fill_prices(self) -> None:
        table = PRICE_TABLES[self.controls["price_source"].value]
        row = data.row(data.load(table, self.data_dir), "model", self.controls["api_model"].value)
        self._fill("usd_per_1m_input", row["usd_per_1m_input"])
        self._fill("usd_per_1m_output", row["usd_per_1m_output"])

    def _switch_price_source(self) -> None:
        """Offer the models of the chosen price table; a headline the article never priced
        falls back to the starting scenario's (or the table's first) model."""
        picker = self.controls["api_model"]
        options = api_model_choices(self.controls["price_source"].value, data_dir=self.data_dir)
        if picker.value not in options:
            picker.value = self.base.api_model if self.base.api_model in options else options[0]
        picker.options = options
        self._fill_prices()

    def _fill_throughput(self, keep_override: bool = False) -> None:
        """Refill tokens/s with the source's figure; with ``keep_override`` a figure typed by
        hand stays."""
        c = self.controls
        if keep_override and self._unless_filled("tokens_per_s") is not None:
            return
        probe = dataclasses.replace(self.base, setup=c["setup"].value, gpu=c["gpu"].value,
                                    input_share=float(c["input_share"].value),
                                    throughput_source=c["throughput_source"].value, tokens_per_s=None)
        self._fill("tokens_per_s", throughput(probe, self.data_dir).tokens_per_s)

    def _on_change(self, change) -> None:
        if self._holding:
            return
        self._holding = True
        try:
            owner = change["owner"]
            if owner is self.controls["api_model"] and owner.value not in owner.options:
                return  # a search still being typed in the picker
            if owner is self.controls["price_source"]:
                self._switch_price_source()
            elif owner is self.controls["api_model"]:
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
            results = evaluate(self.scenario(), self.data_dir)
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
        o["winner"].value = (f"<b>{html.escape(winner_text(results))}</b><br>"
                             f"{html.escape(probability_text(results))}")
        o["decision"].value = html.escape(decision_text(results))
        o["volume"].value = (f"{tokens_or_never(results['tokens_per_day'])} tokens/day = "
                             f"{tokens_or_never(results['tokens_per_month'])} tokens/month")
        costs = costs_frame(results).to_html(index=False, formatters={"usd_per_month": usd_text}, border=0)
        be = breakevens_frame(results).to_html(
            index=False, border=0, formatters={"breakeven_tokens_per_month": tokens_or_never,
                                               "breakeven_tokens_per_day": tokens_or_never})
        o["table"].value = costs + f"<p>Breakeven against {html.escape(results['api_model'])}:</p>" + be
        o["notes"].value = "<br>".join(html.escape(n) for n in notes(results))
        # Last: the chart changing on the page means the text above it has arrived too.
        self.chart.update(series(cost_grid(results), results["tokens_per_month"]))

    def save(self, name: str, overwrite: bool = False, directory: Path | None = None) -> Path:
        """Save the current scenario as ``<name>.yaml`` in ``directory``, else the panel's save
        folder, else params/ (see :func:`save_scenario`)."""
        return save_scenario(self.scenario(), name, directory or self._save_dir, overwrite,
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


def build(s: Scenario | None = None, data_dir: Path | None = None,
          save_dir: Path | None = None) -> WhatIf:
    """Build the what-if panel for ``s`` (the article's scenario by default), computed once;
    every control change recomputes. ``save_dir`` is where "save scenario" writes (params/ by
    default). One control per field of :data:`SECTIONS`, made by :func:`control`."""
    import ipywidgets as w  # noqa: PLC0415 - only the panel needs it

    base = s or Scenario()
    spot_low = data.hidden_cost("spot_discount", "low", data_dir)
    spot_high = data.hidden_cost("spot_discount", "high", data_dir)
    style = {"description_width": "190px"}
    wide = w.Layout(width="420px")
    shown = {name for _, names in SECTIONS for name in names} - {"api_model", "pricing"}
    c = {name: control(name, getattr(base, name), data_dir, style, wide) for name in shown}
    c["tokens_per_day"] = w.FloatLogSlider(
        value=base.tokens_per_day, base=10, min=math.log10(VOLUME_MIN_TOKENS_PER_DAY),
        max=math.log10(VOLUME_MAX_TOKENS_PER_DAY), step=0.01, description="Volume (tokens/day)",
        tooltip=scenario_mod.KEYS["tokens_per_day"].help,
        readout_format=".3s", continuous_update=False, style=style, layout=wide)
    c["tokens_per_day"].add_class("whatif-volume")
    # Searchable: today's table holds about 2,000 models ("groq llama" narrows it as you type).
    c["api_model"] = w.Combobox(options=api_model_choices(base.price_source, data_dir=data_dir),
                                value=base.api_model, ensure_option=True, placeholder="type to search",
                                description="API model (headline)", style=style, layout=wide)
    c["pricing"] = w.ToggleButtons(options=["on-demand", "spot"],
                                   value="spot" if base.spot_discount > 0 else "on-demand",
                                   description="Pricing", style=style)
    if base.spot_discount == 0:
        c["spot_discount"].value = (spot_low + spot_high) / 2
    c["scenario_name"] = w.Text(value="what-if", description="Scenario name", style=style, layout=wide)
    c["overwrite"] = w.Checkbox(value=False, description="overwrite an existing file")
    for name, widget in c.items():  # the page's handles for each control: "whatif-<field>"
        widget.add_class(f"whatif-{name.replace('_', '-')}")
    outputs = {
        "volume": w.HTML(),
        "winner": w.HTML(),
        "decision": w.HTML(),
        "table": w.HTML(),
        "notes": w.HTML(),
        "error": w.HTML(),
        "save_status": w.HTML(),
    }
    for name, widget in outputs.items():
        widget.add_class(f"whatif-{name.replace('_', '-')}")
    chart = CostChart(monthly_volume_range(base))
    outputs["plot"] = chart.figure
    save_button = w.Button(description="Save scenario", icon="save")
    save_button.add_class("whatif-save")

    state = WhatIf(panel=None, controls=c, outputs=outputs, base=base, data_dir=data_dir, chart=chart)
    state._save_dir = save_dir
    state._holding = True
    state._fill_prices()
    state._fill_throughput()
    for name, value in hidden_inputs(dataclasses.replace(base, devops_hours_per_month=None, devops_usd_per_hour=None,
                                                         infrastructure_usd_per_month=None), data_dir).items():
        state._fill(name, value)
    for name in FILLED_FROM_DATA:
        if getattr(base, name) is not None:
            c[name].value = getattr(base, name)
    c["spot_discount"].disabled = c["pricing"].value != "spot"
    state._holding = False
    for name, widget in c.items():
        if name not in ("scenario_name", "overwrite"):
            widget.observe(state._on_change, names="value")
    save_button.on_click(state._on_save)

    def section(title, names):
        children = [c[name] for name in names]
        if title == "Workload":
            children.insert(1, outputs["volume"])
        return w.VBox([w.HTML(f"<b>{title}</b>"), *children])

    left = w.VBox([
        *(section(title, names) for title, names in SECTIONS),
        w.VBox([w.HTML("<b>Save scenario (params/)</b>"), c["scenario_name"], c["overwrite"], save_button,
                outputs["save_status"]]),
    ], layout=w.Layout(width="450px"))
    right = w.VBox([outputs["winner"], outputs["decision"], outputs["error"], outputs["table"],
                    outputs["notes"], outputs["plot"]], layout=w.Layout(width="660px"))
    state.panel = w.HBox([left, right])
    state.update()
    return state


def panel_or_note(s: Scenario, interactive: bool = True, **kwargs):
    """The what-if panel for the notebook to display, or (static runs) a Markdown note."""
    if interactive:
        return build(s, **kwargs)
    from IPython.display import Markdown  # noqa: PLC0415

    return Markdown(STATIC_NOTE)

