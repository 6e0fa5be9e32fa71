"""The what-if panel's cost chart, drawn in the browser by bqplot (d3 on SVG): a change sends
the lines' numbers to the page, not a picture.

It shows what the report's static figure (:func:`helpers.show.plots.cost_vs_volume`, which
stays matplotlib) shows, from the same result over the same volume grid
(:func:`helpers.show.whatif.cost_grid`): one line per API, the self-hosting bill GPU only
(solid) and with hidden costs (dashed), both stepping up per deployment ("step-after", as
matplotlib's "steps-post"), each flat breakeven of one deployment (o: GPU only, s: with hidden
costs) in its API's colour, one deployment's capacity (grey, dotted) and the current volume
(black, dash-dotted), on log axes with the same labels and legend. The frame (scales, axes,
title) is built once; :meth:`CostChart.update` only replaces the marks' data.
"""
from __future__ import annotations

import numpy as np

from helpers.show import plots
from helpers.text import tokens_text, usd_text

# The frame: monthly bills from $1 to $100M (fixed, so that a change moves only the lines).
USD_RANGE = (1.0, 1e8)
WIDTH_PX, HEIGHT_PX = 640, 440
TITLE = ("API cost grows with volume; self-hosting steps up per deployment "
         "(o: breakeven, s: with hidden costs)")
X_LABEL = "Monthly volume (tokens per month; G = billion)"
Y_LABEL = "Monthly cost (USD per month)"
# Marker areas in square pixels: matplotlib's markersize 7 (points) at 96 dpi.
MARKER_AREA_PX2 = 85


def series(r, current_tokens_per_month: float) -> dict:
    """What the chart draws for ``r`` (a result derived over a volume grid), as plain numbers:
    ``volumes``; ``api`` (one (label, colour, bills) per API); ``gpu`` and ``tco`` ((label,
    bills)); ``breakevens`` ((volume, bill, colour, "o" or "s") inside the grid); ``capacity``
    ((label, volume) or None outside the grid); ``current`` ((label, volume)). Labels and
    colours are those of :func:`helpers.show.plots.cost_lines`."""
    volumes = np.asarray(r.tokens_per_month, dtype=float)
    low, high = volumes.min(), volumes.max()
    replica_usd, replica_tco_usd = float(r.replica_usd_per_month), float(r.replica_tco_usd_per_month)
    api, breakevens = [], []
    for (model, blended), color in zip(r.blended_usd_per_1m.items(), plots.API_COLORS * 3):
        api.append((f"{model} API ({usd_text(float(blended))}/1M tokens)", color,
                    np.asarray(r.api_usd_per_month[model], dtype=float)))
        for fixed, be, marker in ((replica_usd, float(r.breakeven_tokens_per_month[model]), "o"),
                                  (replica_tco_usd, float(r.tco_breakeven_tokens_per_month[model]), "s")):
            if low <= be <= high:
                breakevens.append((be, fixed, color, marker))
    capacity = float(r.replica_tokens_per_month)
    return {
        "volumes": volumes,
        "api": api,
        "gpu": (f"Self-host, GPU only ({usd_text(replica_usd)}/month per deployment)",
                np.asarray(r.gpu_usd_per_month, dtype=float)),
        "tco": (f"Self-host with hidden costs ({usd_text(replica_tco_usd)}/month for one deployment)",
                np.asarray(r.tco_usd_per_month, dtype=float)),
        "breakevens": breakevens,
        "capacity": ((f"Capacity of one deployment ({tokens_text(capacity)} tokens/month)", capacity)
                     if low <= capacity <= high else None),
        "current": (f"Current volume ({tokens_text(current_tokens_per_month)} tokens/month)",
                    float(current_tokens_per_month)),
    }


class CostChart:
    """The bqplot figure (``.figure``, CSS class ``whatif-plot``) and its marks (``.marks``:
    name -> mark), redrawn by :meth:`update`."""

    def __init__(self, volume_range: tuple[float, float]):
        import bqplot as bq  # noqa: PLC0415 - only the panel needs it

        x = bq.LogScale()
        y = bq.LogScale(min=USD_RANGE[0], max=USD_RANGE[1])
        scales = {"x": x, "y": y}
        axes = [bq.Axis(scale=x, label=X_LABEL, tick_format="~s", grid_lines="solid"),
                bq.Axis(scale=y, label=Y_LABEL, side="left", tick_format="$,.0f",
                        tick_values=10.0 ** np.arange(0, 9), grid_lines="solid", label_offset="70px")]

        def line(**kwargs):
            return bq.Lines(x=[], y=[], scales=scales, display_legend=True, **kwargs)

        self.marks = {
            "api": line(stroke_width=1.5),
            "gpu": line(colors=["black"], stroke_width=2, interpolation="step-after"),
            "tco": line(colors=["black"], stroke_width=2, interpolation="step-after", line_style="dashed"),
            "capacity": line(colors=["grey"], stroke_width=2, line_style="dotted"),
            "current": line(colors=["black"], stroke_width=1.2, line_style="dash_dotted"),
            "breakeven": bq.Scatter(x=[], y=[], scales=scales, marker="circle", default_size=MARKER_AREA_PX2),
            "tco_breakeven": bq.Scatter(x=[], y=[], scales=scales, marker="square", default_size=MARKER_AREA_PX2),
        }
        self.figure = bq.Figure(marks=list(self.marks.values()), axes=axes, title=TITLE, legend_location="top-left",
                                fig_margin={"top": 40, "bottom": 50, "left": 90, "right": 20},
                                legend_style={"fill": "white", "fill-opacity": 0.85, "stroke": "#ccc"},
                                legend_text={"font-size": "11px"}, title_style={"font-size": "12px"},
                                layout={"width": f"{WIDTH_PX}px", "height": f"{HEIGHT_PX}px"})
        self.figure.add_class("whatif-plot")
        self.volume_range = None
        self.frame(volume_range)

    def frame(self, volume_range: tuple[float, float]) -> None:
        """Span the x axis over ``volume_range`` (monthly volumes), ticks at whole decades."""
        low, high = (float(v) for v in volume_range)
        if self.volume_range == (low, high):
            return
        x_axis = self.figure.axes[0]
        with x_axis.scale.hold_sync():
            x_axis.scale.min, x_axis.scale.max = low, high
        x_axis.tick_values = 10.0 ** np.arange(np.ceil(np.log10(low)), np.floor(np.log10(high)) + 1)
        self.volume_range = (low, high)

    def update(self, drawn: dict) -> None:
        """Give each mark :func:`series`' numbers; a mark whose numbers did not change is left
        alone (a volume change moves the current-volume line only), and a mark that changed
        gets its new values in one message."""
        volumes = drawn["volumes"]
        self.frame((volumes[0], volumes[-1]))
        traits = {name: self._points([b for b in drawn["breakevens"] if b[3] == marker])
                  for name, marker in (("breakeven", "o"), ("tco_breakeven", "s"))}
        traits["api"] = {"x": volumes, "y": np.vstack([bills for _, _, bills in drawn["api"]]),
                         "colors": [color for _, color, _ in drawn["api"]],
                         "labels": [label for label, _, _ in drawn["api"]]}
        for name in ("gpu", "tco"):
            label, bills = drawn[name]
            traits[name] = {"x": volumes, "y": bills, "labels": [label]}
        for name in ("capacity", "current"):
            traits[name] = self._vertical(drawn[name])
        # The current volume last: its line moving on the page means every other mark has too.
        for name in ("breakeven", "tco_breakeven", "api", "gpu", "tco", "capacity", "current"):
            mark, new = self.marks[name], traits[name]
            changed = {k: v for k, v in new.items() if not _same(getattr(mark, k), v)}
            if changed:
                with mark.hold_sync():
                    for key, value in changed.items():
                        setattr(mark, key, value)

    @staticmethod
    def _points(chosen: list[tuple]) -> dict:
        """A scatter mark's traits for breakevens (volume, bill, colour, marker)."""
        return {"x": np.array([b[0] for b in chosen], dtype=float), "y": np.array([b[1] for b in chosen], dtype=float),
                "colors": [b[2] for b in chosen] or ["black"]}

    @staticmethod
    def _vertical(labelled: tuple[str, float] | None) -> dict:
        """A line mark's traits for a vertical line across the frame at ``labelled``'s volume;
        no line when None."""
        if labelled is None:
            return {"x": np.array([]), "y": np.array([]), "labels": [], "display_legend": False}
        label, volume = labelled
        return {"x": np.array([volume, volume]), "y": np.array(USD_RANGE), "labels": [label], "display_legend": True}


def _same(old, new) -> bool:
    """Whether a mark's trait already holds ``new`` (arrays compared by shape and values)."""
    if isinstance(new, np.ndarray) or isinstance(old, np.ndarray):
        old, new = np.asarray(old), np.asarray(new)
        return old.shape == new.shape and bool(np.array_equal(old, new))
    return old == new
