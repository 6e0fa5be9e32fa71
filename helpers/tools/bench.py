"""How close a full report run comes to its floor (``make bench``).

    python -m helpers.tools.bench [--jobs N] [--repeat K]

floor = (seconds to start one fresh kernel and import the stack: pandas, matplotlib, helpers)
        * number of notebooks / cores used

A report can go no faster than that: each notebook needs its own fresh kernel, and the kernels
share the cores. The script prints the floor, the wall time of a full report run (article
scenario, into a temporary folder) and their ratio; the target is a ratio of 1.3 or less.
It also prints where the time went: per notebook the kernel (start, imports, papermill), the
cells (and of them, the cells that drew figures) and the page export, and the runner's own
start-up, checks and finish. It prints figures and asserts nothing: timings depend on the
machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths, report

STACK_IMPORT = ("import pandas\nimport matplotlib.pyplot\nimport helpers.article.tables\nimport helpers.show.plots\n"
                "import helpers.derive")
TARGET_RATIO = 1.3


def cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children (kernels included)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def kernel_start_and_import_s() -> tuple[float, float]:
    """Wall and CPU seconds to start a fresh kernel, import the stack in it and stop it at once,
    the way a report runs a notebook (nbclient, the notebooks' kernel, immediate shutdown)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(STACK_IMPORT)])
    start, cpu = time.perf_counter(), cpu_s()
    NotebookClient(nb, kernel_name="python3", timeout=300, shutdown_kernel="immediate",
                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                   resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}}).execute()
    return time.perf_counter() - start, cpu_s() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=None, help="as for helpers.report (default: twice the cores)")
    parser.add_argument("--repeat", type=int, default=3, help="kernel starts to time (median; default 3)")
    parser.add_argument("--scenario", type=Path, default=paths.PARAMS_DIR / "article.yaml")
    args = parser.parse_args(argv)

    notebooks = report.discover(paths.NOTEBOOKS_DIR)
    jobs = args.jobs or report.default_jobs(len(notebooks))
    cores = os.cpu_count() or 1
    cores_used = min(jobs, cores, len(notebooks))
    print(f"machine: {cores} cores; {len(notebooks)} notebooks; {jobs} at a time; "
          f"{cores_used} cores used", flush=True)

    measured = [kernel_start_and_import_s() for _ in range(max(1, args.repeat))]
    starts = [wall for wall, _ in measured]
    one = statistics.median(starts)
    one_cpu = statistics.median(cpu for _, cpu in measured)
    floor = one * len(notebooks) / cores_used
    print(f"kernel start + import stack: {one:.2f} s (median of "
          f"{', '.join(f'{s:.2f}' for s in starts)}; the machine's load moves these)", flush=True)

    # The run is timed as a user meets it: the command line, interpreter start-up included.
    date = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as out:
        command = [sys.executable, "-m", "helpers.report", "--scenario", str(args.scenario),
                   "--date", date, "--out", out, "--jobs", str(jobs)]
        start, cpu = time.perf_counter(), cpu_s()
        code = subprocess.run(command, cwd=paths.ROOT, capture_output=True, text=True).returncode
        wall = time.perf_counter() - start
        report_cpu = cpu_s() - cpu
        folder = Path(out) / (date if code == 0 else date + report.FAILED_SUFFIX)
        run = json.loads((folder / "run.json").read_text())
    print("where each notebook's seconds went (kernel: starting it, imports and papermill; "
          "cells: the code; export: the HTML page):")
    print(f"  {'notebook':<24} {'status':<6} {'total':>6} {'kernel':>7} {'cells':>6} {'figures':>8} "
          f"{'export':>7}  slowest cell")
    for nb in run["notebooks"]:
        cells, export = nb.get("cells_s", 0.0), nb.get("export_s", 0.0)
        kernel = nb["seconds"] - cells - export
        slowest = nb.get("slowest_cells") or [[0.0, ""]]
        figures = f"{nb.get('figures_s', 0.0):.1f} ({nb.get('figures', 0)})"
        print(f"  {nb['name']:<24} {nb['status']:<6} {nb['seconds']:6.1f} {kernel:7.1f} {cells:6.1f} {figures:>8} "
              f"{export:7.1f}  {slowest[0][0]:.1f} s: {slowest[0][1]}")
    totals = {k: sum(nb.get(k, 0.0) for nb in run["notebooks"])
              for k in ("seconds", "cells_s", "figures_s", "figures", "export_s")}
    timings = run.get("timings_s", {})
    print(f"  summed over notebooks: {totals['seconds']:.1f} s = kernel {totals['seconds'] - totals['cells_s'] - totals['export_s']:.1f}"
          f" + cells {totals['cells_s']:.1f} (of which {totals['figures']:.0f} figures {totals['figures_s']:.1f})"
          f" + export {totals['export_s']:.1f} (run {jobs} at a time"
          + (f" on {cores} cores: a notebook's seconds include waiting for a core)" if jobs > cores else ")"))
    print(f"runner: start-up (interpreter, imports) {wall - run['wall_s'] - timings.get('checks', 0.0):.1f} s, "
          f"checks (data, scenario, notebooks) {timings.get('checks', 0.0):.1f} s, notebooks "
          f"{timings.get('notebooks', 0.0):.1f} s, finish (hashes, changes, index) {timings.get('finish', 0.0):.1f} s")
    cpu_floor = one_cpu * len(notebooks)
    print(f"CPU seconds (the machine's load moves these much less than wall time): report "
          f"{report_cpu:.1f} s against {cpu_floor:.1f} s for {len(notebooks)} kernel starts + imports "
          f"({one_cpu:.2f} s each): {report_cpu / cpu_floor:.2f}x the floor's work")
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
