"""helpers/tools/probe.py without a GPU or PyTorch: the clean exit, and the rows it writes from
timings (faked here) in the format capacity.refit reads."""
import subprocess
import sys
import types

import pytest

from helpers import capacity, data, paths
from helpers.tools import probe


def _no_torch():
    raise ImportError("No module named 'torch'")


def test_without_pytorch_it_says_so_and_exits_zero(monkeypatch):
    monkeypatch.setattr(probe, "_import_torch", _no_torch)
    said = []
    assert probe.main([], log=said.append) == 0
    assert "PyTorch is not installed" in said[0]


def test_without_a_gpu_it_says_so_and_exits_zero(monkeypatch):
    fake = types.SimpleNamespace(__version__="9.9", cuda=types.SimpleNamespace(is_available=lambda: False))
    monkeypatch.setattr(probe, "_import_torch", lambda: fake)
    said = []
    assert probe.main(["--model", "Llama 3.1 70B"], log=said.append) == 0
    assert "No CUDA GPU" in said[0]


def test_module_runs_here_and_exits_cleanly():
    # This machine has no GPU (and the workbook no torch): the real entry point must exit 0.
    done = subprocess.run([sys.executable, "-m", "helpers.probe"], cwd=paths.ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nothing to measure" in done.stdout


def test_unknown_model_and_bad_list_are_refused():
    with pytest.raises(KeyError, match="Llama 9"):
        probe.main(["--model", "Llama 9"], log=lambda _: None)
    with pytest.raises(SystemExit):
        probe.main(["--batches", "1,x"], log=lambda _: None)


FAKE = [("decode", 1, 1024, 0.005883), ("decode", 8, 1024, 0.006462), ("prefill", 1, 2048, 0.056227)]


def test_rows_from_fake_timings():
    rows = probe.rows_from_timings("NVIDIA H200", "Llama 3.1 8B", FAKE, "fake timings", "2026-11-27")
    assert [r["tokens"] for r in rows] == [1, 8, 2048]
    assert rows[1]["tokens_per_s"] == round(8 / 0.006462, 1) == 1238.0
    assert rows[2]["tokens_per_s"] == round(2048 / 0.056227, 1)
    assert rows[0]["step_ms"] == 5.883
    assert list(rows[0]) == probe.COLUMNS
    with pytest.raises(ValueError, match="step time"):
        probe.rows_from_timings("g", "Llama 3.1 8B", [("decode", 1, 8, 0.0)], "s", "2026-11-27")


def test_written_file_validates_and_refit_reads_it(tmp_path):
    # Timings made by the model itself at known factors: refit on the probe's file recovers them.
    truth = capacity.Calibration(0.85, 0.6, 60e-6, 2.0, 0, 0, 0)
    points = [("decode", b, c) for c in (1024, 4096) for b in (1, 8, 32, 64, 128)] + [("prefill", 1, 2048), ("prefill", 1, 8192)]
    timings = []
    for phase, batch, context in points:
        if phase == "decode":
            step = batch / capacity.decode_tokens_per_s("NVIDIA H200", "Llama 3.1 8B", batch, context, calibration=truth)
        else:
            step = context / capacity.prefill_tokens_per_s("NVIDIA H200", "Llama 3.1 8B", context, calibration=truth)
        timings.append((phase, batch, context, step))
    rows = probe.rows_from_timings("NVIDIA H200", "Llama 3.1 8B", timings, "synthetic", "2026-11-27")
    path = probe.write_rows(rows, tmp_path / "probe.csv")
    table = data.read_table(path, "measured_h200")
    assert len(table) == len(points)
    fitted = capacity.refit(path)
    assert (fitted.p, fitted.bandwidth_efficiency, fitted.compute_efficiency) == (2.0, 0.85, 0.6)
    assert fitted.max_abs_error < 0.001  # step_ms is rounded to the microsecond


def test_a_bad_row_leaves_an_existing_file_untouched(tmp_path):
    target = tmp_path / "probe.csv"
    target.write_text("previous run\n")
    rows = probe.rows_from_timings("NVIDIA H200", "Llama 3.1 8B", FAKE, "fake", "2026-11-27")
    rows[1]["batch"] = "eight"
    with pytest.raises(data.DataValidationError, match="line 3, column batch"):
        probe.write_rows(rows, target)
    assert target.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["probe.csv"]


def test_never_writes_into_data(tmp_path):
    rows = probe.rows_from_timings("NVIDIA H200", "Llama 3.1 8B", FAKE, "fake", "2026-11-27")
    with pytest.raises(ValueError, match="data/"):
        probe.write_rows(rows, paths.DATA_DIR / "measured_mine.csv")
    assert not (paths.DATA_DIR / "measured_mine.csv").exists()
