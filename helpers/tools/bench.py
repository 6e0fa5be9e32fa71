"""How close a full report run comes to its floor (``make bench``).

    python -m helpers.tools.bench [--jobs N] [--repeat K]

floor = (seconds to start one fresh kernel and import the stack: pandas, matplotlib, helpers)
        * number of notebooks / cores used

A report can go no faster than that: each notebook needs its own fresh kernel, and the kernels
share the cores. The script prints the floor, the wall time of a full report run (article
scenario, into a temporary folder) and their ratio; the target is a ratio of 1.5 or less. It
prints figures and asserts nothing: timings depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths, report

STACK_IMPORT = "import pandas\nimport matplotlib.pyplot\nimport helpers.article.tables\nimport helpers.show.plots"
TARGET_RATIO = 1.5


def kernel_start_and_import_s() -> float:
    """Seconds to start a fresh kernel, import the stack in it and shut it down, the way a
    report runs a notebook (nbclient, the notebooks' kernel)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(STACK_IMPORT)])
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                   resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}}).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=None, help="as for helpers.report (default: cores)")
    parser.add_argument("--repeat", type=int, default=3, help="kernel starts to time (median; default 3)")
    parser.add_argument("--scenario", type=Path, default=paths.PARAMS_DIR / "article.yaml")
    args = parser.parse_args(argv)

    notebooks = report.discover(paths.NOTEBOOKS_DIR)
    jobs = args.jobs or report.default_jobs(len(notebooks))
    cores = os.cpu_count() or 1
    cores_used = min(jobs, cores, len(notebooks))
    print(f"machine: {cores} cores; {len(notebooks)} notebooks; {jobs} at a time; "
          f"{cores_used} cores used", flush=True)

    starts = [kernel_start_and_import_s() for _ in range(max(1, args.repeat))]
    one = statistics.median(starts)
    floor = one * len(notebooks) / cores_used
    print(f"kernel start + import stack: {one:.2f} s (median of "
          f"{', '.join(f'{s:.2f}' for s in starts)}; the machine's load moves these)", flush=True)

    # The run is timed as a user meets it: the command line, interpreter start-up included.
    date = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as out:
        command = [sys.executable, "-m", "helpers.report", "--scenario", str(args.scenario),
                   "--date", date, "--out", out, "--jobs", str(jobs)]
        start = time.perf_counter()
        code = subprocess.run(command, cwd=paths.ROOT, capture_output=True, text=True).returncode
        wall = time.perf_counter() - start
        folder = Path(out) / (date if code == 0 else date + report.FAILED_SUFFIX)
        run = json.loads((folder / "run.json").read_text())
    for nb in run["notebooks"]:
        print(f"  {nb['name']:<28} {nb['status']:<6} {nb['seconds']:6.1f} s")
    ratio = wall / floor
    print(f"floor (start+import x {len(notebooks)} notebooks / {cores_used} cores): {floor:.1f} s "
          f"(with the fastest start: {min(starts) * len(notebooks) / cores_used:.1f} s)")
    print(f"full report run:  {wall:.1f} s ({'all passed' if code == 0 else 'SOME FAILED'}; "
          f"python -m helpers.report, start-up included)")
    print(f"ratio:            {ratio:.2f} (target <= {TARGET_RATIO}: "
          f"{'met' if ratio <= TARGET_RATIO else 'not met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
