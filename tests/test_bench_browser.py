"""helpers.tools.bench_browser without a browser: the echo page it serves beside the what-if
page answers a slider with its value, and the report sets one page's times beside the other's."""
import nbformat

from helpers.tools import bench_browser
from helpers.tools.browser import NOTEBOOK


def test_the_site_holds_the_what_if_notebook_and_an_echo_page_that_echoes(tmp_path):
    site = bench_browser.write_site(tmp_path)
    assert sorted(p.name for p in site.iterdir()) == sorted([NOTEBOOK.name, bench_browser.ECHO_NOTEBOOK])
    assert (site / NOTEBOOK.name).read_bytes() == NOTEBOOK.read_bytes()
    echo = nbformat.read(site / bench_browser.ECHO_NOTEBOOK, as_version=4)
    nbformat.validate(echo)
    namespace = {}
    exec(echo.cells[0].source, namespace)  # noqa: S102 - the notebook this module wrote
    namespace["slider"].value = 7
    assert namespace["echo"].value == "<span class='echo-value'>7</span>"


def test_the_report_judges_each_kind_of_control_against_the_echo_page():
    """Volume within 1.5x of the echo (median and p95), every other kind within 2x: worked
    from the nearest-rank p95 of 20 times (the 19th smallest)."""
    times = {"volume": {"whatif_s": [0.014] * 19 + [0.30], "echo_s": [0.010] * 19 + [0.02]},
             "GPU": {"whatif_s": [0.019] * 19 + [0.30], "echo_s": [0.010] * 19 + [0.02]}}
    lines, ok = bench_browser.report(times)
    assert lines[1] == "volume:"
    assert lines[2].split() == ["what-if", "page", "median", "14", "p95", "14", "worst", "300", "ms"]
    assert lines[3].split() == ["echo", "page", "median", "10", "p95", "10", "worst", "20", "ms"]
    assert "median 1.40x (target < 1.5x)" in lines[4] and lines[4].endswith(": ok")
    assert lines[5] == "GPU:" and "median 1.90x (target < 2x)" in lines[8] and lines[8].endswith(": ok")
    assert ok
    # 1.6x: over the volume's target, within every other kind's.
    slower = {kind: {"whatif_s": [0.016] * 20, "echo_s": [0.010] * 20} for kind in ("volume", "GPU")}
    lines, ok = bench_browser.report(slower)
    assert not ok and lines[4].endswith("OVER TARGET (median, p95)") and lines[8].endswith(": ok")
