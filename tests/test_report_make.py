"""`make report` exactly as the README says it (helpers/report/ end to end, from the Makefile):
run in a copy of the checkout, it must write the report's answer under reports/ and nothing
elsewhere."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import data, paths
from helpers.report import contract


def _files_under(root: Path) -> set[str]:
    """Every file below ``root``; a linked folder (the borrowed .venv) counts as one entry and
    is not walked."""
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            found.add(str((Path(folder) / name).relative_to(root)))
    return found


def test_make_report_with_the_makefiles_defaults_writes_the_answer(tmp_path):
    """``make report`` as the README says, in a copy of the checkout (tracked and untracked,
    not ignored, files): every contract table under reports/<date>/tables with rows, an index
    that states the decision, the breakevens and the verdicts, and nothing written elsewhere.

    The copy borrows this checkout's .venv (a link, so nothing is installed); ``-o`` tells make
    not to remake the venv's stamp, and PYTHONPATH makes the runner and its kernels import the
    copy's helpers rather than the editable install's."""
    if not (paths.ROOT / ".venv" / ".installed").exists() or shutil.which("make") is None:
        pytest.skip("needs make and this checkout's .venv (make install)")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=paths.ROOT,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a clone holds")
    copy = tmp_path / "clone"
    for name in filter(None, listed.stdout.split("\0")):
        source = paths.ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(paths.ROOT / ".venv")
    before = _files_under(copy)

    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop(data.VALIDATED_ENV, None)
    done = subprocess.run(["make", "-o", ".venv/.installed", "report"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    (run_folder,) = [p for p in (copy / "reports").iterdir() if p.is_dir() and not p.name.startswith(".")]
    run_json = json.loads((run_folder / "run.json").read_text())
    assert run_json["status"] == "passed" and run_json["problems"] == []
    # the runner read the copy's files (a path outside the copy would be shown absolute)
    assert run_json["scenario_file"] == "params/article.yaml"
    for name, columns in contract.CONTRACT.items():
        frame = pd.read_csv(run_folder / "tables" / f"{name}.csv")
        assert len(frame) and set(columns) <= set(frame.columns), name

    index = (run_folder / "index.html").read_text()
    what_if = pd.read_csv(run_folder / "tables" / "what_if.csv").iloc[0]
    assert "At this scenario's workload" in index and f"the cheaper option is <b>{what_if['winner']}</b>" in index
    assert "No decision" not in index and "No breakeven summary" not in index
    # GPT-5's breakeven by hand from the data rows: the A100's $/h x 720 h / GPT-5's blend
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    a100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")
    gpt5_breakeven = a100["usd_per_hour"] * 720 / ((gpt5["usd_per_1m_input"] + gpt5["usd_per_1m_output"]) / 2) * 1e6
    assert gpt5_breakeven == pytest.approx(256e6)
    assert "<b>GPT-5</b>" in index and "self-hosting pays above 256M tokens/month" in index
    assert "Verdicts over every table of this run:" in index and "errata</b>" in index

    written = _files_under(copy) - before
    assert written and all(name.startswith("reports/") for name in written), \
        sorted(n for n in written if not n.startswith("reports/"))
