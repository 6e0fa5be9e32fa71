"""How fast the what-if page answers a control change in a real browser, beside a floor
measured in the same run, so that the verdict travels between machines.

    python -m helpers.tools.bench_browser [--changes N]

One Voila serves two pages from a temporary folder: the what-if notebook (as ``make app``
does) and a bare echo page, a notebook with one slider whose kernel callback rewrites one
HTML widget (the least a change can cost: browser -> kernel -> browser, no calculation, no
chart). Debian's Chromium opens both, and for each kind of control (:data:`KINDS`: the volume
slider, the GPU drop-down, the throughput source, the API model picker, the yearly API price
change that moves the Monte Carlo's "how sure"; ``--kinds`` picks some) the run alternates: press an arrow key on the echo
slider and time until the page shows the echoed value, then change the what-if control and
time until the page shows the answer (the chart's lines, which change last; for the price
change, which moves no line, the "how sure" sentence). Prints, for each kind, the median, the
95th percentile and the worst of both, and judges the ratios what-if / echo at the median and
at the 95th percentile against :data:`TARGET_RATIO`.

A benchmark, not a test: the figures depend on the machine and what else it runs.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.tools.bench_widgets import Spread, judge
from helpers.tools.browser import CHROMIUM, CHROMIUM_ARGS, NOTEBOOK, START_TIMEOUT_S, voila

# Target ratios what-if / echo, median and 95th percentile, per kind of control: the volume
# slider within 1.5x of the echo round trip, every other control within 2x. Measured with the
# bqplot chart on the 2-core development machine, load 3 to 5 (30 changes each): volume 1.95x
# the echo at the median and 1.88x at the p95 (100 / 128 ms against 51 / 68 ms), GPU 1.9x / 2.4x,
# throughput source 2.5x / 2.8x, API model 3.1x / 2.3x, uncertainty 1.6x / 1.3x: the kernel's
# share is about 10 ms a change; the rest is the browser applying the text, tables and chart.
TARGET_RATIO = {"volume": {"median": 1.5, "p95": 1.5}}
OTHER_TARGET_RATIO = {"median": 2.0, "p95": 2.0}
KINDS = ("volume", "GPU", "throughput source", "API model", "uncertainty")
UPDATE_TIMEOUT_MS = 30_000
# The chart's lines (SVG paths, the current-volume line updated last) change when the panel
# has recomputed and redrawn; the winner's lines when the "how sure" figure moved.
CHART_LINES = ("() => Array.from(document.querySelectorAll('.whatif-plot path.line'))"
               ".map(p => p.getAttribute('d')).join('|')")
WINNER_TEXT = "() => document.querySelector('.whatif-winner').textContent"
ECHO_VALUE = "() => { const e = document.querySelector('.echo-value'); return e ? e.textContent : null; }"
ECHO_NOTEBOOK = "echo.ipynb"
ECHO_SOURCE = '''\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=500, min=0, max=1000, description="echo")
slider.add_class("echo-slider")
echo = widgets.HTML("<span class='echo-value'>500</span>")
slider.observe(lambda change: setattr(echo, "value", f"<span class='echo-value'>{change['new']}</span>"),
               names="value")
display(widgets.VBox([slider, echo]))
'''


def write_site(folder: Path) -> Path:
    """The folder Voila serves: the what-if notebook and the echo notebook."""
    import nbformat  # noqa: PLC0415

    site = folder / "site"
    site.mkdir()
    shutil.copy(NOTEBOOK, site / NOTEBOOK.name)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(ECHO_SOURCE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, site / ECHO_NOTEBOOK)
    return site


def _timed(page, act, probe: str) -> float:
    """Seconds from ``act()`` until ``probe`` (a JS function) changes. The page is brought to
    the front first: a page behind another gets one animation frame a second, and the chart
    draws in animation frames."""
    page.bring_to_front()
    before = page.evaluate(probe)
    start = time.perf_counter()
    act()
    page.wait_for_function(f"(before) => ({probe})() !== before", arg=before, polling="raf",
                           timeout=UPDATE_TIMEOUT_MS)
    return time.perf_counter() - start


def _arrow(handle, i: int):
    """Press an arrow key on ``handle``: ten to the right, then ten back, and so on."""
    key = "ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft"

    def act():
        handle.focus()
        handle.press(key)
    return act


def _typed(field, values: tuple[str, str], i: int):
    """Type one of two values into a text field and press Enter, alternating."""
    def act():
        field.fill(values[i % 2])
        field.press("Enter")
    return act


def kinds(page) -> dict:
    """Each kind of control: (action for change i, probe). The GPU and the API model alternate
    between the page's starting value and another of the choices."""
    gpu = page.locator(".whatif-gpu select")
    gpus = gpu.evaluate("s => Array.from(s.options).map(o => o.value)")
    start_gpu = gpu.input_value()
    other_gpu = next(g for g in gpus if g != start_gpu and "H100" in g) if any("H100" in g and g != start_gpu
                                                                              for g in gpus) else gpus[0]
    picker = page.locator(".whatif-api-model input")
    start_model = picker.input_value()
    other_model = "Claude Sonnet 4.5" if start_model != "Claude Sonnet 4.5" else "GPT-5"
    source = page.locator(".whatif-throughput-source")
    return {
        "volume": (lambda i: _arrow(page.locator(".whatif-volume .noUi-handle"), i), CHART_LINES),
        "GPU": (lambda i: lambda: gpu.select_option((other_gpu, start_gpu)[i % 2]), CHART_LINES),
        "throughput source": (lambda i: lambda: source.get_by_role("button", name=("model", "article")[i % 2],
                                                                     exact=True).click(), CHART_LINES),
        "API model": (lambda i: _typed(picker, (other_model, start_model), i), CHART_LINES),
        "uncertainty": (lambda i: _typed(page.locator(".whatif-api-price-change-per-year input"), ("-0.3", "0"), i),
                        WINNER_TEXT),
    }


def measure(changes: int, folder: Path, only: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
    """Per kind of control (those named in ``only``, else all), seconds from each change to the
    page's answer on the what-if page and from each key press to the echo on the echo page,
    alternating."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    times = {}
    with voila(folder / "voila.log", write_site(folder)) as url, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1300, "height": 1000})
        try:
            whatif, echo = context.new_page(), context.new_page()
            whatif.goto(f"{url}voila/render/{NOTEBOOK.name}", timeout=START_TIMEOUT_S * 1000)
            echo.goto(f"{url}voila/render/{ECHO_NOTEBOOK}", timeout=START_TIMEOUT_S * 1000)
            whatif.wait_for_selector(".whatif-plot path.line", timeout=START_TIMEOUT_S * 1000)
            echo.wait_for_selector(".echo-value", timeout=START_TIMEOUT_S * 1000)
            knob = echo.locator(".echo-slider .noUi-handle")
            for kind, (action, probe) in kinds(whatif).items():
                if only and kind not in only:
                    continue
                times[kind] = {"whatif_s": [], "echo_s": []}
                for i in range(changes):
                    times[kind]["echo_s"].append(_timed(echo, _arrow(knob, i), ECHO_VALUE))
                    try:
                        times[kind]["whatif_s"].append(_timed(whatif, action(i), probe))
                    except Exception as err:
                        raise RuntimeError(f"{kind}, change {i + 1}: the page did not answer ({err})") from None
        finally:
            context.close()
    return times


def report(times: dict[str, dict[str, list[float]]]) -> tuple[list[str], bool]:
    """The lines to print and whether every kind's ratios met their targets."""
    changes = len(next(iter(times.values()))["whatif_s"])
    lines, ok = [f"Chromium against one Voila, {changes} changes of each kind on each page, alternating:"], True
    for kind, kind_times in times.items():
        whatif, echo = Spread.of(kind_times["whatif_s"]), Spread.of(kind_times["echo_s"])
        target = TARGET_RATIO.get(kind, OTHER_TARGET_RATIO)
        verdict, ratios = judge(whatif, echo, target)
        ok = ok and verdict == "ok"
        lines += [f"{kind}:", whatif.line("what-if page", digits=0), echo.line("echo page", digits=0),
                  f"  what-if / echo: median {ratios['median']:.2f}x (target < {target['median']:g}x), "
                  f"p95 {ratios['p95']:.2f}x (target < {target['p95']:g}x): {verdict}"]
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench_browser", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=30, help="changes of each kind to time on each page")
    parser.add_argument("--kinds", default="", help="comma-separated kinds of control to time (default: all): "
                                                    + ", ".join(KINDS))
    args = parser.parse_args(argv)
    only = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = sorted(set(only) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds {unknown}; choose from {', '.join(KINDS)}")
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run .ci/install-browser (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        lines, ok = report(measure(args.changes, Path(folder), only))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
