"""The what-if page in a real browser: Voila serves notebooks/08-what-if.ipynb on localhost
(as `make app` does), Playwright drives Chromium, drags the volume slider across the breakeven
and back, and checks that the winner shown on the page flips, that the chart (bqplot's SVG)
redraws with the figures the panel's text shows, and that the page shows no error.

The Chromium is Debian's (/usr/bin/chromium, which `.ci/install-browser` installs), else
Playwright's own, downloaded into the user's cache (`playwright install chromium`, no root)
when missing (tests/conftest.py). Only when neither can be had are the browser tests skipped,
saying why; under CI (CI=1 or CI=true) that is a failure instead.
"""
from __future__ import annotations

import math
import sys

import conftest
import pytest
from playwright.sync_api import sync_playwright

from helpers import paths
from helpers.show import widgets
from helpers.tools.browser import NOTEBOOK, CHROMIUM_ARGS, START_TIMEOUT_S, ServerError, jupyter_lab, voila

UPDATE_TIMEOUT_MS = 30_000
CHART_LINES = ("() => Array.from(document.querySelectorAll('.whatif-plot path.line'))"
               ".map(p => p.getAttribute('d')).join('|')")


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    """Voila on a free port, killed (with its kernels) at the end."""
    try:
        with voila(tmp_path_factory.mktemp("voila") / "voila.log") as url:
            yield url
    except ServerError as err:
        pytest.fail(str(err))


@pytest.fixture()
def page(chromium, voila_url, tmp_path):
    """A fresh Chromium (new empty profile) on the what-if page, with its errors collected."""
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(chromium), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1300, "height": 1000})
        try:
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda err: page.errors.append(f"uncaught: {err}"))
            # The sandbox has no internet: CDN stylesheets (Font Awesome) fail to load; that is
            # the machine, not the page. Anything else logged as an error, or any failed request
            # to the Voila server itself, is a failure.
            page.on("console", lambda msg: page.errors.append(f"console: {msg.text}")
                    if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
            page.on("requestfailed", lambda req: page.errors.append(f"request failed: {req.url}")
                    if req.url.startswith(voila_url) else None)
            page.goto(voila_url, timeout=START_TIMEOUT_S * 1000)
            page.wait_for_selector(".whatif-winner:has-text('wins')", timeout=START_TIMEOUT_S * 1000)
            page.wait_for_selector(".whatif-plot path.line", timeout=START_TIMEOUT_S * 1000)  # fully rendered
            yield page
        finally:
            context.close()


def drag_volume_to(page, tokens_per_day: float) -> None:
    """Drag the log-scale volume slider's handle with the mouse to ``tokens_per_day``."""
    track = page.locator(".whatif-volume .noUi-target").bounding_box()
    handle = page.locator(".whatif-volume .noUi-handle").bounding_box()
    low, high = math.log10(widgets.VOLUME_MIN_TOKENS_PER_DAY), math.log10(widgets.VOLUME_MAX_TOKENS_PER_DAY)
    share = (math.log10(tokens_per_day) - low) / (high - low)
    y = handle["y"] + handle["height"] / 2
    page.mouse.move(handle["x"] + handle["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + share * track["width"], y, steps=12)
    page.mouse.up()


def chart_legend(page) -> list[str]:
    """The chart's legend entries as the page shows them."""
    return [t.strip() for t in page.locator(".whatif-plot .g_legend text").all_text_contents() if t.strip()]


def assert_chart_matches_text(page) -> None:
    """The chart's legend names the volume and the bills the panel's text shows: the current
    volume of the volume line, and (within one deployment's capacity) the self-hosting bills
    of the costs table."""
    monthly = page.inner_text(".widget-html.whatif-volume").split("=")[1].split("tokens/month")[0].strip()
    legend = chart_legend(page)
    assert f"Current volume ({monthly} tokens/month)" in legend, (monthly, legend)
    table = page.inner_text(".whatif-table")
    gpu = next(e for e in legend if e.startswith("Self-host, GPU only"))
    tco = next(e for e in legend if e.startswith("Self-host with hidden costs"))
    gpu_usd, tco_usd = gpu.split("(")[1].split("/month")[0], tco.split("(")[1].split("/month")[0]
    if "Over one deployment's capacity" not in page.inner_text(".whatif-notes"):
        assert gpu_usd in table and tco_usd in table, (gpu_usd, tco_usd, table)


def assert_no_error(page) -> None:
    text = page.inner_text("body")
    assert "Traceback" not in text and "Error displaying widget" not in text, text[:2000]
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.inner_text(".whatif-error").strip() == ""
    assert page.errors == []


def test_dragging_the_volume_across_the_breakeven_flips_the_winner(page, tmp_path):
    try:
        _drag_across_the_breakeven(page)
    except BaseException:
        shot = tmp_path / "what-if-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the page at the failure: {shot}\nerrors: {page.errors}", file=sys.stderr)
        raise


def _drag_across_the_breakeven(page) -> None:
    # The article's 10M tokens/day: GPT-5 is cheaper than self-hosting with hidden costs.
    winner = page.locator(".whatif-winner")
    assert "API (GPT-5) wins" in winner.inner_text()
    assert page.inner_text(".whatif-volume .widget-readout").strip() == "10.0M"
    assert_no_error(page)

    assert_chart_matches_text(page)
    before = page.evaluate(CHART_LINES)

    # Far past the hidden-cost breakeven (19.2M tokens/day vs GPT-5): self-hosting wins.
    drag_volume_to(page, 300_000_000)
    page.wait_for_selector(".whatif-winner:has-text('Self-host wins')", timeout=UPDATE_TIMEOUT_MS)
    page.wait_for_function(f"(before) => ({CHART_LINES})() !== before", arg=before, timeout=UPDATE_TIMEOUT_MS)
    assert_chart_matches_text(page)
    readout = page.inner_text(".whatif-volume .widget-readout").strip()
    assert readout.endswith("M") and 150 < float(readout[:-1]) < 600, readout
    assert "step 4" in page.inner_text(".whatif-decision")  # over 100M/day, no flagship need: step 4
    assert_no_error(page)

    # Back below both breakevens: the API wins again, and step 1 decides.
    drag_volume_to(page, 1_000_000)
    page.wait_for_selector(".whatif-winner:has-text('API (GPT-5) wins')", timeout=UPDATE_TIMEOUT_MS)
    assert "step 1" in page.inner_text(".whatif-decision")
    assert_no_error(page)


def test_jupyterlab_renders_the_panel_with_the_same_chart(chromium, tmp_path):
    """JupyterLab (a copy of the notebook: it saves what it runs) runs every cell; the panel
    shows the bqplot chart with the legend Voila shows, and a volume change redraws it."""
    import shutil

    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    try:
        with jupyter_lab(tmp_path / "lab.log", folder) as url:
            _run_in_jupyterlab(chromium, url, tmp_path)
    except ServerError as err:
        pytest.fail(str(err))


def _run_all_cells(page, tries: int = 3) -> None:
    """Run > Run All Cells, until a cell's prompt shows it ran or is running (a click soon
    after the page opened is sometimes lost)."""
    started = ("() => Array.from(document.querySelectorAll('.jp-InputPrompt'))"
               ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))")
    for attempt in range(tries):
        page.locator(".jp-Notebook").click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_function(started, timeout=15_000)
            return
        except Exception:
            if attempt == tries - 1:
                raise


def _run_in_jupyterlab(chromium, url: str, tmp_path) -> None:
    """Open the notebook in JupyterLab, run every cell, check the chart and one redraw."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            page.goto(f"{url}lab/tree/{NOTEBOOK.name}", timeout=START_TIMEOUT_S * 1000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=START_TIMEOUT_S * 1000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=START_TIMEOUT_S * 1000)  # the kernel is up
            _run_all_cells(page)
            try:
                page.wait_for_selector(".whatif-plot path.line", timeout=START_TIMEOUT_S * 1000)
            except BaseException:
                page.screenshot(path=str(tmp_path / "jupyterlab-failure.png"), full_page=True)
                print(f"screenshot: {tmp_path / 'jupyterlab-failure.png'}", file=sys.stderr)
                raise
            page.locator(".whatif-plot").scroll_into_view_if_needed()
            legend = chart_legend(page)
            assert "Current volume (300M tokens/month)" in legend, legend
            assert any(e.startswith("GPT-5 API") for e in legend) and any(e.startswith("Self-host") for e in legend)
            before = page.evaluate(CHART_LINES)
            handle = page.locator(".whatif-volume .noUi-handle")
            handle.focus()
            handle.press("ArrowRight")
            page.wait_for_function(f"(before) => ({CHART_LINES})() !== before", arg=before,
                                   timeout=UPDATE_TIMEOUT_MS)
        finally:
            browser.close()


# ------------------------------------------------------------------------------------------
# A report's pages, opened from files with the network cut off


@pytest.fixture(scope="module")
def fresh_report(chromium, tmp_path_factory):
    """A fresh report of the project's notebooks on the article's scenario."""
    from helpers import report

    out = tmp_path_factory.mktemp("report") / "reports"
    code, folder = report.run_report(paths.PARAMS_DIR / "article.yaml", "2026-03-01", out,
                                     log=lambda line: None)
    assert code == report.EXIT_OK, (folder / "run.json").read_text()
    return folder


def _open_offline(browser, url: str, width: int = 1300):
    """A page opened with every request that is not a file or inline data blocked (and
    recorded)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.attempted = []
    page.errors = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            page.attempted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda err: page.errors.append(f"uncaught: {err}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def test_report_pages_are_self_contained_readable_and_show_no_nan(chromium, fresh_report):
    pages = sorted(fresh_report.glob("*.html"))
    assert len(pages) >= 9  # the index and a page per notebook
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            for path in pages:
                page = _open_offline(browser, path.as_uri())
                text = page.inner_text("body")
                assert page.attempted == [], f"{path.name} reached for the network: {page.attempted}"
                assert page.errors == [], f"{path.name}: {page.errors}"
                assert "NaN" not in text, f"{path.name} shows NaN"
                assert "Traceback" not in text, f"{path.name} shows a traceback"
                page.close()

            index = _open_offline(browser, (fresh_report / "index.html").as_uri(), width=400)
            chart = index.locator("img.chart")
            assert chart.count() == 1
            assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the chart renders"
            assert index.evaluate("document.documentElement.scrollWidth") <= 400, \
                "the summary scrolls sideways on a 400 px wide screen"
            summary = index.inner_text("body")
            assert "the cheaper option is" in summary and "errata" in summary
        finally:
            browser.close()


# ------------------------------------------------------------------------------------------
# Finding a Chromium on a new machine (no browser is started)


def test_without_a_system_chromium_playwrights_own_is_installed_then_used(tmp_path, monkeypatch):
    ran = tmp_path / "ran"  # the stand-in for `playwright install chromium` leaves this behind
    monkeypatch.setattr(conftest, "playwright_chromium", lambda: tmp_path / "chrome" if ran.exists() else None)
    install = [sys.executable, "-c", f"open({str(ran)!r}, 'w')"]
    found, how = conftest.find_chromium(tmp_path / "no-chromium", install)
    assert ran.exists() and found == tmp_path / "chrome"
    assert how == f"Playwright's own Chromium, installed now ({tmp_path / 'chrome'})"
    # a system Chromium is taken as it is: nothing installed
    ran.unlink()
    (tmp_path / "chromium").touch()
    assert conftest.find_chromium(tmp_path / "chromium", install) == (tmp_path / "chromium", str(tmp_path / "chromium"))
    assert not ran.exists()


def test_when_the_download_fails_the_skip_says_why_quickly(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "playwright_chromium", lambda: None)
    install = [sys.executable, "-c", "import sys; sys.exit('Error: Failed to download Chrome for Testing')"]
    found, why = conftest.find_chromium(tmp_path / "no-chromium", install, timeout_s=60)
    assert found is None
    assert why.startswith(f"{tmp_path / 'no-chromium'} is missing and `")
    assert "could not install Playwright's own (exit 1: Error: Failed to download Chrome for Testing)" in why
    slow = [sys.executable, "-c", "import time; time.sleep(30)"]
    found, why = conftest.find_chromium(tmp_path / "no-chromium", slow, timeout_s=0.5)
    assert found is None and "did not finish in 0 s" in why  # 0.5 s, printed to the second


def test_a_skipped_browser_test_fails_under_ci():
    for value in ("1", "true", "TRUE"):
        with pytest.raises(pytest.fail.Exception, match="CI: the browser test cannot be skipped: no browser"):
            conftest.skip_or_fail("no browser", environ={"CI": value})
    for environ in ({}, {"CI": ""}, {"CI": "0"}, {"CI": "false"}):
        with pytest.raises(pytest.skip.Exception, match="no browser"):
            conftest.skip_or_fail("no browser", environ=environ)
