"""helpers.tools.bench_widgets: the ratios it judges, and a short run that prints every
figure beside its floor (a smoke test: the times themselves are the benchmark's, not a test's)."""
import re

from helpers.tools import bench_widgets
from helpers.tools.bench_widgets import Spread, judge, percentile


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(20, 0, -1)]  # 20 values, unsorted
    assert percentile(values, 0.95) == 19.0  # rank round(0.95 * 20) = 19
    assert percentile(values, 0.5) == 10.0
    assert percentile([3.0], 0.95) == 3.0


def test_judge_divides_by_the_floor_at_the_median_and_the_p95():
    figure, floor = Spread(median=0.010, p95=0.030, worst=0.5), Spread(median=0.001, p95=0.002, worst=9.0)
    verdict, ratios = judge(figure, floor, {"median": 11.0, "p95": 16.0})
    assert ratios == {"median": 10.0, "p95": 15.0} and verdict == "ok"
    assert judge(figure, floor, {"median": 10.0, "p95": 16.0})[0] == "OVER TARGET (median)"
    assert judge(figure, floor, {"median": 11.0, "p95": 15.0})[0] == "OVER TARGET (p95)"
    assert judge(figure, floor, {"median": 5.0, "p95": 5.0})[0] == "OVER TARGET (median, p95)"


def test_a_short_run_prints_each_figure_beside_its_floor(capsys):
    code = bench_widgets.main(["--repeat", "1", "--changes", "3"])
    out = capsys.readouterr().out
    assert "3 control changes" in out
    for label in ("calculation", "widget floor", "redraw", "draw floor"):
        assert re.search(rf"^  {label} +median +[\d.]+ +p95 +[\d.]+ +worst +[\d.]+ ms$", out, re.M), label
    verdicts = re.findall(r"^  (calculation / widget floor|redraw / draw floor): median [\d.]+x \(target < [\d.]+x\), "
                          r"p95 [\d.]+x \(target < [\d.]+x\): (.+)$", out, re.M)
    assert [name for name, _ in verdicts] == ["calculation / widget floor", "redraw / draw floor"]
    assert code == (0 if all(v == "ok" for _, v in verdicts) else 1)
