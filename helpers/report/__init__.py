"""Headless report runs: every notebook under papermill, each in a fresh kernel, exported to HTML
without code, into a dated folder.

    python -m helpers.report --scenario params/article.yaml --date 2026-03-01 [--out reports] [--jobs N]

What a run writes, in ``<out>/<date>/``:

- ``index.html``: a one-page summary (the decision at the scenario's workload, the headline chart,
  the breakevens, the errata count, what moved since the previous report), then a link to each
  notebook's page with pass or fail (and the error), the parameters and the provenance;
- ``NN-name.html`` (no code cells, nothing loaded from the network) and ``NN-name.ipynb`` (the
  executed notebook, which ``python -m helpers.report.verify`` re-checks with nbval);
- ``run.json``: parameters, sha256 of every ``data/*.csv``, package versions, git commit, start and
  end time, status per notebook;
- ``tables/*.csv``: what each notebook wrote through ``helpers.report.contract.save``, and
  ``tables/changes.csv``: the headline figures that moved since the latest earlier good report in
  the same folder (``helpers.report.changes``).

``<out>/index.html`` lists every run, newest first.

Nothing is lost:

- every data file (all of ``helpers.data.SPECS``), the scenario, the date and the notebook list
  are checked before anything is written: a bad CSV stops the run once, naming file, line and
  column;
- every path given is made absolute before a kernel starts (the kernels run in the notebooks'
  folder), and each notebook that declares ``scenario`` receives the whole scenario as that one
  dict;
- a kernel that dies before it replies (two kernels racing for a port) is started again, up to
  three starts, each logged, before its notebook is failed;
- a run is built in a hidden sibling folder (``<out>/.<date>.building-*``) and renamed into place
  only when complete, so no half-written dated folder is ever visible;
- a run in which every notebook passed and every table of the contract
  (``helpers.report.contract.CONTRACT``) was written with at least one row replaces
  ``<date>/``: the previous folder is first renamed aside, the new one renamed in, then the
  old one deleted (a crash in between is repaired by the next run, which puts the previous
  folder back);
- a run in which a notebook failed, or a contract table is missing or empty, still runs every
  other notebook, and is installed as ``<date>.failed/`` (its index says why) so that a good
  report of the same date stays untouched; the command exits 1;
- a lock (``<out>/.lock``, fcntl) keeps two runs on the same output folder apart: the second stops at
  once with a message naming the first run's process.

Exit codes: 0 all notebooks passed, 1 a notebook failed (or a contract table is missing or
empty), 2 bad input (data, scenario, date, notebooks), 3 another run holds the lock.
"""
# The runner's public names, where callers and tests find them; each module holds one job:
# inputs (what a run is given), folders (lock, install, order), execute (one notebook),
# runner (one run), contract (the tables), pages, changes, provenance, cli. Imported on first
# use, so that a notebook's kernel importing ``helpers.report.contract`` loads only that.
import importlib

_HOMES = {
    "cli": ["main"],
    "contract": ["CONTRACT", "contract_problems", "save"],
    "execute": ["CELL_TIMEOUT_S", "KERNEL_START_ATTEMPTS", "WIDGET_MIME", "WIDGET_NOTE", "NotebookResult",
                "export_html", "run_notebook", "static_widgets"],
    "folders": ["FAILED_SUFFIX", "LockedError", "RunLock", "default_jobs", "install", "recover",
                "run_folders", "schedule"],
    "inputs": ["ReportError", "check_data", "declared_parameters", "discover", "parameters_for", "reads_scenario"],
    "pages": ["drift_html", "uncertainty_html"],
    "provenance": ["sha256_of"],
    "runner": ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_LOCKED", "EXIT_OK", "run_report"],
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
_MODULES = {*_HOMES, "changes", "verify"}
__all__ = sorted(_HOME_OF)


def __getattr__(name: str):
    if name in _HOME_OF:
        return getattr(importlib.import_module(f"{__name__}.{_HOME_OF[name]}"), name)
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
