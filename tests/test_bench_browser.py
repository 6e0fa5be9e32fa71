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


def test_the_report_judges_the_what_if_page_against_the_echo_page():
    times = {"whatif_s": [0.10] * 19 + [0.30], "echo_s": [0.01] * 19 + [0.02]}
    lines, ok = bench_browser.report(times)
    assert lines[1].split() == ["what-if", "page", "median", "100", "p95", "100", "worst", "300", "ms"]
    assert lines[2].split() == ["echo", "page", "median", "10", "p95", "10", "worst", "20", "ms"]
    assert "median 10.0x" in lines[3] and "p95 10.0x" in lines[3]
    assert ok == (10.0 < bench_browser.TARGET_RATIO["median"] and 10.0 < bench_browser.TARGET_RATIO["p95"])
    slow = {"whatif_s": [1.0] * 20, "echo_s": [0.01] * 20}
    lines, ok = bench_browser.report(slow)
    assert not ok and lines[3].endswith("OVER TARGET (median, p95)")
