"""One report run, start to end: check the inputs, take the lock, run every notebook into a
hidden build folder, check the tables against the contract, compare with the previous report,
write run.json and the index, and install the folder (see the package's docstring)."""
from __future__ import annotations

import concurrent.futures
import json
import shutil
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from helpers import paths, scenario as scenario_mod
from helpers.report import changes as changes_mod, pages
from helpers.report.contract import CONTRACT, TABLES, contract_problems
from helpers.report.execute import CELL_TIMEOUT_S, NotebookResult, run_notebook
from helpers.report.folders import (FAILED_SUFFIX, RunLock, default_jobs, install, make_readable,
                                    recover, run_folders, schedule, write_text_atomic)
from helpers.report.inputs import (INTERACTIVE_PARAMETER, SCENARIO_PARAMETER, TABLES_DIR_PARAMETER,
                                   ReportError, check_data, declared_parameters, discover,
                                   load_scenario, parameters_for, parse_date, reads_scenario)
from helpers.report.provenance import data_hashes, display_path, git_commit, now, package_versions

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


def _effective_parameters(declared_by: dict[str, dict], scenario_parameters: dict, chosen: dict) -> dict:
    """``{name: {value, source, notebooks}}``: every scenario field (from the scenario file,
    or the article's value), then every other parameter a notebook declares, but tables_dir
    and the ``scenario`` dict itself (its fields are the rows above)."""
    result = {}
    readers = [notebook for notebook, declared in declared_by.items() if reads_scenario(declared)]
    for name, value in scenario_parameters.items():
        result[name] = {"value": repr(value),
                        "source": "scenario" if name in chosen else "the article's value",
                        "notebooks": readers}
    local: dict[str, dict] = {}
    for notebook, declared in declared_by.items():
        for name, info in declared.items():
            if name in (TABLES_DIR_PARAMETER, SCENARIO_PARAMETER) or name in result:
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
               data_dir: Path = paths.DATA_DIR,
               contract: dict[str, list[str]] = CONTRACT) -> tuple[int, Path]:
    """Run every notebook and install the report. Returns (exit code, installed folder).

    Every path is made absolute first: the kernels run in the notebooks' folder, so a relative
    ``out`` (``make report`` passes ``--out reports``) would otherwise send their tables there.
    The run fails when a table of ``contract`` was not written, holds no row or misses a column.

    Raises ReportError (bad input: nothing written) or LockedError (another run is active).
    """
    checks_start = time.perf_counter()
    scenario_path, out, notebooks_dir, data_dir = (
        Path(p).expanduser().resolve() for p in (scenario_path, out, notebooks_dir, data_dir))
    date = parse_date(date)
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
            problems += contract_problems(tables_dir, contract)
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

