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
- ``tables/*.csv``: what each notebook wrote through ``helpers.article.tables.save``, and
  ``tables/changes.csv``: the headline figures that moved since the latest earlier good report in
  the same folder (``helpers.report.changes``).

``<out>/index.html`` lists every run, newest first.

Nothing is lost:

- every data file (all of ``helpers.data.SPECS``), the scenario, the date and the notebook list
  are checked before anything is written: a bad CSV stops the run once, naming file, line and
  column;
- a kernel that dies before it replies (two kernels racing for a port) is started again, up to
  three starts, each logged, before its notebook is failed;
- a run is built in a hidden sibling folder (``<out>/.<date>.building-*``) and renamed into place
  only when complete, so no half-written dated folder is ever visible;
- a run in which every notebook passed replaces ``<date>/``: the previous folder is first renamed
  aside, the new one renamed in, then the old one deleted (a crash in between is repaired by the
  next run, which puts the previous folder back);
- a run in which a notebook failed still runs every other notebook, and is installed as
  ``<date>.failed/`` so that a good report of the same date stays untouched; the command exits 1;
- a lock (``<out>/.lock``, fcntl) keeps two runs on the same output folder apart: the second stops at
  once with a message naming the first run's process.

Exit codes: 0 all notebooks passed, 1 a notebook failed, 2 bad input (data, scenario, date,
notebooks), 3 another run holds the lock.
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures
import datetime as dt
import fcntl
import gc
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import tokenize
from dataclasses import asdict
from pathlib import Path

from helpers import data as data_mod, paths, scenario as scenario_mod
from helpers.article import tables as tables_mod
from helpers.files import atomic_write, current_umask
from helpers.report import changes as changes_mod, pages
from helpers.report.pages import drift_html, uncertainty_html  # noqa: F401 (the summary's slots)
# Re-exported: the runner's public names stay where callers and tests found them.
from helpers.report.execute import (CELL_TIMEOUT_S, KERNEL_START_ATTEMPTS, WIDGET_MIME, WIDGET_NOTE,
                                    NotebookResult, export_html, run_notebook, static_widgets)
from helpers.report.provenance import (data_hashes, display_path, git_commit, now, package_versions,
                                       sha256_of)

NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
FAILED_SUFFIX = ".failed"
RUN_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}(\.failed)?$")
LOCK_NAME = ".lock"
TABLES = pages.TABLES
TABLES_DIR_PARAMETER = "tables_dir"
INTERACTIVE_PARAMETER = "interactive"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class ReportError(Exception):
    """Bad input to a report run (nothing has been written)."""


class LockedError(Exception):
    """Another run holds the output folder's lock."""


# --------------------------------------------------------------------------------------------
# Inputs


def discover(notebooks_dir: Path) -> list[Path]:
    """The notebooks of a run: ``NN-*.ipynb`` in ``notebooks_dir``, in reading order."""
    found = sorted(Path(notebooks_dir).glob(NOTEBOOK_PATTERN))
    if not found:
        raise ReportError(f"{notebooks_dir}: no notebooks named {NOTEBOOK_PATTERN}")
    return found


def declared_parameters(notebook: Path) -> dict:
    """``{name: {"default": text, "help": comment}}`` of the notebook's ``parameters`` cell (the
    first code cell tagged ``parameters``, as papermill reads it; none: ``{}``).

    Parsed with ``ast`` rather than ``papermill.inspect_notebook``, which silently skips any
    line holding a second ``=``, e.g. ``spot_discount = 0.0  # 0 = on-demand``: such a
    parameter would never receive the scenario's value.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    source = cells[0].source
    try:
        tree = ast.parse(source)
        comments = {token.start[0]: token.string.lstrip("#").strip()
                    for token in tokenize.generate_tokens(io.StringIO(source).readline)
                    if token.type == tokenize.COMMENT}
    except (SyntaxError, tokenize.TokenError) as err:
        raise ReportError(f"{notebook}: the parameters cell is not valid Python: {err}") from None
    declared = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        else:
            continue
        default = ast.get_source_segment(source, node.value) if node.value is not None else None
        for name in names:
            declared[name] = {"default": default, "help": comments.get(node.end_lineno, "")}
    return declared


def reads_scenario(declared: dict) -> bool:
    """Whether a notebook reads a scenario: it declares at least one scenario field."""
    return any(name in scenario_mod.KEYS for name in declared)


def parameters_for(declared: dict, scenario_parameters: dict, tables_dir: Path) -> dict:
    """What papermill injects into one notebook: the *whole* scenario (every field, so that a
    scenario means the same thing on every page, including fields a notebook reads without
    declaring them in its parameters cell) when the notebook declares any scenario field,
    plus ``tables_dir`` and ``interactive=False`` (a report page is static: no widget panel to
    build) when it declares them."""
    passed = dict(scenario_parameters) if reads_scenario(declared) else {}
    if TABLES_DIR_PARAMETER in declared:
        passed[TABLES_DIR_PARAMETER] = str(tables_dir)
    if INTERACTIVE_PARAMETER in declared:
        passed[INTERACTIVE_PARAMETER] = False
    return passed


def parse_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ReportError(f"--date: expected YYYY-MM-DD, got {text!r}") from None


def check_data(data_dir: Path = paths.DATA_DIR) -> None:
    """Validate every data table (all of ``helpers.data.SPECS``) before any notebook starts: one
    ReportError listing every problem (file, line, column), instead of the same error in each of
    the notebooks that read the file."""
    problems = []
    for table in data_mod.SPECS:
        try:
            data_mod.read_table(Path(data_dir) / f"{table}.csv", table)
        except data_mod.DataValidationError as err:
            problems += [str(p) for p in err.problems]
    if problems:
        raise ReportError(f"{len(problems)} problem(s) in the data, no notebook was run:\n"
                          + "\n".join(f"  {p}" for p in problems))
    # The kernels inherit this: a table they read with the same bytes is not checked again.
    os.environ[data_mod.VALIDATED_ENV] = ";".join(sorted(data_mod.validated))


def load_scenario(path: Path) -> dict:
    """The validated scenario, or a ReportError of one line per problem naming the file (a file
    that is not UTF-8 included)."""
    try:
        return scenario_mod.load(path)
    except scenario_mod.ScenarioError as err:
        raise ReportError(str(err)) from None


# --------------------------------------------------------------------------------------------
# Lock and installation


class RunLock:
    """An exclusive, non-blocking fcntl lock on ``<out>/.lock``; released when the process ends,
    however it ends. The file holds the holder's pid and start time for the refusal message."""

    def __init__(self, out: Path):
        self.path = out / LOCK_NAME
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown process"
            self.handle.close()
            raise LockedError(f"another report run is writing to {self.path.parent} ({holder}); "
                              f"wait for it to finish, or use another --out") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}, started {now()}\n")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.seek(0)
        self.handle.truncate()
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def recover(out: Path) -> list[str]:
    """Repair what an interrupted run left (called under the lock, so no run is active): a
    previous folder set aside but never replaced goes back in place; half-built folders and
    leftovers go. Returns what was done."""
    done = []
    for aside in sorted(out.glob(".*.previous-*")):
        target = out / aside.name[1:].split(".previous-")[0]
        if not target.exists():
            os.replace(aside, target)
            done.append(f"restored {target.name} from an interrupted run")
        else:
            shutil.rmtree(aside, ignore_errors=True)
            done.append(f"removed {aside.name}")
    for building in sorted(out.glob(".*.building-*")):
        shutil.rmtree(building, ignore_errors=True)
        done.append(f"removed half-built {building.name}")
    return done


def install(build: Path, target: Path) -> None:
    """Put the complete folder ``build`` at ``target``; a folder already there is set aside
    first and deleted only once the new one is in place."""
    aside = None
    if target.exists():
        aside = target.parent / f".{target.name}.previous-{os.getpid()}"
        os.replace(target, aside)
    try:
        os.replace(build, target)
    except BaseException:
        if aside is not None:
            os.replace(aside, target)
        raise
    if aside is not None:
        shutil.rmtree(aside)


def make_readable(folder: Path) -> None:
    """Give a built folder the permissions of an ordinary ``mkdir``/``open`` (temporary files and
    folders are created private), so a web server or a colleague can read the report."""
    mask = current_umask()
    os.chmod(folder, 0o777 & ~mask)
    for path in folder.rglob("*"):
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_write(path) as handle:
        handle.write(text)


# --------------------------------------------------------------------------------------------
# Scheduling


def run_folders(out: Path) -> list[Path]:
    """The installed runs under ``out``, newest date first; for one date the good report before
    its failed attempt."""
    if not Path(out).is_dir():
        return []
    folders = [p for p in Path(out).iterdir() if p.is_dir() and RUN_FOLDER.match(p.name)]
    return sorted(folders, key=lambda p: (p.name[:10], not p.name.endswith(FAILED_SUFFIX)), reverse=True)


def previous_seconds(out: Path) -> dict[str, float]:
    """Seconds each notebook took in the newest run recorded under ``out`` ({} if none)."""
    for folder in run_folders(out):
        try:
            notebooks = json.loads((folder / "run.json").read_text())["notebooks"]
            return {nb["name"]: float(nb["seconds"]) for nb in notebooks}
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {}


def schedule(notebooks: list[Path], out: Path) -> list[Path]:
    """Longest first, so that a slow notebook does not start last and run alone: by the seconds
    of the previous run where known, else by file size (committed outputs, mostly plots, go
    with running time); unknown notebooks before known ones. Results keep reading order."""
    seconds = previous_seconds(out)

    def key(notebook: Path):
        if notebook.stem in seconds:
            return (1, -seconds[notebook.stem])
        return (0, -notebook.stat().st_size)
    return sorted(notebooks, key=key)


# Notebooks run at once by default, per core. A notebook's kernel spends part of its time
# waiting (starting up, handing results to this runner, which drives every kernel from one
# process), so one notebook per core leaves the cores idle a fifth of the run. Measured on a
# 2-core machine, 10 notebooks (make bench): 1 per core 10.7-11.3 s, 1.5 per core 10.0-10.8 s,
# 2 per core 9.7-10.2 s, 3 or more per core slower again (10.0-10.8 s).
JOBS_PER_CORE = 2


def default_jobs(count: int) -> int:
    return max(1, min(count, JOBS_PER_CORE * (os.cpu_count() or 1)))


# --------------------------------------------------------------------------------------------
# The run


def _effective_parameters(declared_by: dict[str, dict], scenario_parameters: dict, chosen: dict) -> dict:
    """``{name: {value, source, notebooks}}``: every scenario field (from the scenario file,
    or the article's value), then every other parameter a notebook declares, but tables_dir."""
    result = {}
    readers = [notebook for notebook, declared in declared_by.items() if reads_scenario(declared)]
    for name, value in scenario_parameters.items():
        result[name] = {"value": repr(value),
                        "source": "scenario" if name in chosen else "the article's value",
                        "notebooks": readers}
    local: dict[str, dict] = {}
    for notebook, declared in declared_by.items():
        for name, info in declared.items():
            if name == TABLES_DIR_PARAMETER or name in result:
                continue
            entry = local.setdefault(name, {"notebooks": [], "defaults": set()})
            entry["notebooks"].append(notebook)
            entry["defaults"].add(str(info.get("default")))
    for name, entry in local.items():
        if name == INTERACTIVE_PARAMETER:
            value, source = repr(False), "the report run (static pages)"
        else:
            value = " | ".join(sorted(entry["defaults"]))
            source = "notebook default" if len(entry["defaults"]) == 1 else "notebook defaults differ"
        result[name] = {"value": value, "source": source, "notebooks": entry["notebooks"]}
    return result


def run_report(scenario_path: Path, date: str, out: Path = paths.REPORTS_DIR,
               notebooks_dir: Path = paths.NOTEBOOKS_DIR, jobs: int | None = None,
               timeout: int = CELL_TIMEOUT_S, log=print,
               data_dir: Path = paths.DATA_DIR) -> tuple[int, Path]:
    """Run every notebook and install the report. Returns (exit code, installed folder).

    Raises ReportError (bad input: nothing written) or LockedError (another run is active).
    """
    checks_start = time.perf_counter()
    date = parse_date(date)
    scenario_path = Path(scenario_path)
    check_data(data_dir)  # first: the scenario's names are looked up in the data
    chosen = load_scenario(scenario_path)
    notebooks = discover(notebooks_dir)
    declared_by = {nb.stem: declared_parameters(nb) for nb in notebooks}
    # Every field, the article's value where the file sets none.
    scenario_parameters = scenario_mod.Scenario.from_dict(chosen).to_dict()
    jobs = jobs or default_jobs(len(notebooks))
    if jobs < 1:
        raise ReportError(f"--jobs: must be at least 1, got {jobs}")

    checks_s = time.perf_counter() - checks_start
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with RunLock(out):
        for line in recover(out):
            log(f"note: {line}")
        started_at, start = now(), time.perf_counter()
        hashes_before = data_hashes()
        build = Path(tempfile.mkdtemp(dir=out, prefix=f".{date}.building-"))
        try:
            tables_dir = build / TABLES
            tables_dir.mkdir()
            log(f"report {date}: {len(notebooks)} notebooks, {jobs} at a time, scenario "
                f"{display_path(scenario_path)}")
            results = _execute_all(notebooks, schedule(notebooks, out), build, declared_by,
                                   scenario_parameters, tables_dir, jobs, timeout, log)
            notebooks_s = time.perf_counter() - start
            hashes_after = data_hashes()
            changed = sorted(k for k in set(hashes_before) | set(hashes_after)
                             if hashes_before.get(k) != hashes_after.get(k))
            # The recorded hashes would not describe what every notebook read.
            problems = [f"{k} changed during the run" for k in changed]
            problems += tables_mod.contract_problems(tables_dir)
            status = "passed" if not problems and all(r.status == "passed" for r in results) \
                else "failed"
            run = {
                "date": date,
                "status": status,
                "scenario_file": display_path(scenario_path),
                "scenario": chosen,
                "parameters": _effective_parameters(declared_by, scenario_parameters, chosen),
                "notebooks": [asdict(r) for r in results],
                "tables": sorted(p.name for p in tables_dir.glob("*.csv")),
                "data_sha256": hashes_before,
                "problems": problems,
                "packages": package_versions(),
                "git": git_commit(),
                "jobs": jobs,
                "started_at": started_at,
                "finished_at": now(),
                "wall_s": round(time.perf_counter() - start, 2),
            }
            for r in run["notebooks"]:
                r["parameters"] = {k: v for k, v in r["parameters"].items() if k != TABLES_DIR_PARAMETER}
            run["changes"] = changes_mod.compare(out, run_folders(out), run, tables_dir)
            run["tables"] = sorted(p.name for p in tables_dir.glob("*.csv"))
            chart = pages.headline_chart(build, run["notebooks"])
            index = pages.run_index_html(run, tables_dir, chart)
            # Where the run's seconds went (make bench prints them): checks before the lock,
            # the notebooks, and the rest (hashes, contract, changes, the index).
            run["timings_s"] = {"checks": round(checks_s, 2), "notebooks": round(notebooks_s, 2),
                                "finish": round(time.perf_counter() - start - notebooks_s, 2)}
            write_text_atomic(build / "run.json", json.dumps(run, indent=2, default=str) + "\n")
            write_text_atomic(build / "index.html", index)
            make_readable(build)
            target = out / (date if status == "passed" else date + FAILED_SUFFIX)
            install(build, target)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        write_text_atomic(out / "index.html", pages.reports_index_html(out, run_folders(out)))
    failed = [r.name for r in results if r.status != "passed"]
    log(f"report {status}: {len(results) - len(failed)}/{len(results)} notebooks passed in "
        f"{run['wall_s']:.1f} s -> {target / 'index.html'}")
    if status != "passed":
        good = out / date
        kept = f"; the previous good report {good} is untouched" if good.exists() else ""
        log(f"failed: {', '.join(failed + run['problems'])}{kept}")
    return (EXIT_OK if status == "passed" else EXIT_FAILED), target


def _execute_all(notebooks, order, build, declared_by, scenario_parameters, tables_dir, jobs,
                 timeout, log) -> list[NotebookResult]:
    """Run the notebooks ``jobs`` at a time in the given ``order`` (threads: each drives its own
    kernel process), printing progress; results in reading order."""
    total = len(notebooks)
    print_lock = threading.Lock()
    finished = [0]

    def locked_log(line: str) -> None:
        with print_lock:
            log(line)

    def one(notebook: Path) -> NotebookResult:
        with print_lock:
            log(f"  start    {notebook.stem}")
        passed = parameters_for(declared_by[notebook.stem], scenario_parameters, tables_dir)
        result = run_notebook(notebook, build, passed, timeout, log=locked_log)
        with print_lock:
            finished[0] += 1
            tail = f": {result.error}" if result.error else ""
            log(f"  [{finished[0]}/{total}] {result.status:<6} {notebook.stem} in {result.seconds:.1f} s{tail}")
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {nb: pool.submit(one, nb) for nb in order}
        return [futures[nb].result() for nb in notebooks]


def _skip_slow_optional_imports() -> None:
    """jsonschema (imported by nbformat, hence papermill and nbconvert) imports the optional
    ``rfc3987_syntax`` when installed, which builds a grammar at import: about 0.7 s of a run's
    serial start-up. It only checks the "iri" string format, which no notebook schema uses; the
    command-line run marks it absent. (Importing helpers.report as a module changes nothing.)"""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def main(argv: list[str] | None = None) -> int:
    _skip_slow_optional_imports()
    # This one process drives every kernel of the run, one thread each. A garbage collection
    # of the objects its imports left (pandas, pandera, nbformat, ...) stops all those threads,
    # so every kernel waits on its messages meanwhile; frozen (gc.freeze), collections skip
    # them. Measured (2 cores, 10 notebooks): 11.4-11.5 s -> 10.3-10.6 s for a report run, of
    # which 0.2 s at exit.
    gc.freeze()
    # papermill's own parameter parser warns about lines it cannot read (a second "=" in a
    # comment); this runner reads the parameters itself (declared_parameters), so the warnings
    # would only mislead.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(prog="python -m helpers.report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", type=Path, default=paths.PARAMS_DIR / "article.yaml",
                        help="scenario YAML (default: params/article.yaml)")
    parser.add_argument("--date", default=dt.date.today().isoformat(),
                        help="the report's date, YYYY-MM-DD (default: today)")
    parser.add_argument("--out", type=Path, default=paths.REPORTS_DIR,
                        help="folder of dated reports (default: reports/)")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS_DIR,
                        help="folder of NN-*.ipynb to run (default: notebooks/)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks run at once (default: twice the number of cores, at most the notebooks)")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S,
                        help=f"seconds one cell may run (default: {CELL_TIMEOUT_S})")
    args = parser.parse_args(argv)
    try:
        code, _ = run_report(args.scenario, args.date, args.out, args.notebooks, args.jobs, args.timeout,
                             log=lambda line: print(line, flush=True))
    except ReportError as err:
        print(f"error: {err}\nnothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LockedError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_LOCKED
    return code

