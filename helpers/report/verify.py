"""Re-check a report with nbval: every executed notebook of a run is executed again in a fresh
kernel and each output compared with the one the run stored (the sanitizers of the test suite,
``tests/nbval_sanitize.cfg``, apply). The result goes into the run's ``run.json`` and its
index page.

    python -m helpers.report.verify [--date YYYY-MM-DD] [--out reports]   # make verify-report

Without ``--date`` the newest good run is checked. Exit codes: 0 every output matches, 1 an
output differs or a notebook fails, 2 no such run, 3 another run holds the folder's lock.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from helpers import paths
from helpers.files import atomic_write
from helpers.report import pages
from helpers.report.folders import LockedError, RunLock, run_folders
from helpers.report.provenance import now

SANITIZE = paths.ROOT / "tests" / "nbval_sanitize.cfg"
INJECTED_TAG = "injected-parameters"
EXIT_OK, EXIT_DIFFERS, EXIT_NO_RUN, EXIT_LOCKED = 0, 1, 2, 3
# pytest -v prints one line per notebook cell: "01-costs::ipynb::Cell 5 PASSED [ 50%]".
RESULT_LINE = re.compile(r"^(?P<name>[^\s:]+?)(?:\.ipynb|::ipynb)::Cell \d+ (?P<outcome>PASSED|FAILED|ERROR|SKIPPED)")


def find_run(out: Path, date: str | None) -> Path:
    """``<out>/<date>`` (a passed run) or, without a date, the newest passed run."""
    out = Path(out)
    if date:
        folder = out / date
        if not (folder / "run.json").exists():
            raise FileNotFoundError(f"{folder}: no report of that date (a failed run is not checked)")
        return folder
    runs = sorted((p for p in out.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")
                   if (p / "run.json").exists()), key=lambda p: p.name)
    if not runs:
        raise FileNotFoundError(f"{out}: no report to check")
    return runs[-1]


TABLES_DIR_LINE = re.compile(r"^tables_dir = (?P<value>.*)$", re.MULTILINE)


def prepare(executed: Path, work: Path, tables_dir: Path) -> tuple[Path, str | None]:
    """A copy of an executed notebook whose tables go to ``tables_dir`` (the run's build folder,
    named in its injected parameters, is gone) so re-running it writes nothing into the report;
    and the folder the run had passed (None if none)."""
    nb = nbformat.read(executed, as_version=4)
    original = None
    for cell in nb.cells:
        if INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
            match = TABLES_DIR_LINE.search(cell.source)
            if match:
                original = ast.literal_eval(match["value"])
                cell.source = TABLES_DIR_LINE.sub(f"tables_dir = {str(tables_dir)!r}", cell.source)
    target = work / executed.name
    nbformat.write(nb, target)
    return target, original


def sanitize_file(work: Path, folders: set[str], tables_dir: Path) -> Path:
    """The test suite's sanitizers, plus one that reads the run's tables folder and the one of
    this check as the same (the only output allowed to differ for that reason)."""
    text = SANITIZE.read_text(encoding="utf-8")
    for i, folder in enumerate(sorted(folders | {str(tables_dir)})):
        text += f"\n[report-tables-folder-{i}]\nregex: {re.escape(folder)}\nreplace: TABLES_DIR\n"
    target = work / "sanitize.cfg"
    target.write_text(text, encoding="utf-8")
    return target


def nbval(notebooks: list[Path], work: Path, sanitize: Path = SANITIZE,
          timeout: int = 600) -> tuple[dict[str, str], str]:
    """Run nbval on ``notebooks`` (in ``work``); ({notebook: passed|failed}, pytest's output)."""
    ini = work / "pytest.ini"
    ini.write_text("[pytest]\n")  # none of the project's options or test paths
    command = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(work),
               "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
               "--nbval-sanitize-with", str(sanitize), "--nbval-cell-timeout", str(timeout),
               "-rN", "-v", "--tb=short", *map(str, notebooks)]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    outcome = {nb.stem: "passed" for nb in notebooks}
    for line in done.stdout.splitlines():
        match = RESULT_LINE.match(line.strip())
        if match and match["outcome"] in ("FAILED", "ERROR"):
            outcome[Path(match["name"]).name] = "failed"
    if done.returncode not in (0, 1) or (done.returncode == 1 and all(v == "passed" for v in outcome.values())):
        outcome = {k: "failed" for k in outcome}  # pytest itself failed: nothing was checked
    return outcome, done.stdout[-20000:] + done.stderr[-5000:]


def verify(folder: Path, log=print, timeout: int = 600) -> int:
    """Re-execute the run's executed notebooks with nbval and record the result."""
    folder = Path(folder)
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    executed = [folder / nb["ipynb"] for nb in run["notebooks"] if nb.get("ipynb")]
    try:
        with RunLock(folder.parent), tempfile.TemporaryDirectory(prefix="verify-report-") as tmp:
            work = Path(tmp)
            prepared = [prepare(path, work, work / "tables") for path in executed]
            copies = [copy for copy, _ in prepared]
            sanitize = sanitize_file(work, {o for _, o in prepared if o}, work / "tables")
            log(f"verify {folder.name}: re-executing {len(copies)} notebooks with nbval")
            outcome, output = nbval(copies, work, sanitize, timeout)
            status = "passed" if copies and all(v == "passed" for v in outcome.values()) else "failed"
            run["verification"] = {"status": status, "at": now(), "notebooks": outcome,
                                   "sanitize": str(SANITIZE.relative_to(paths.ROOT))}
            with atomic_write(folder / "run.json") as handle:
                handle.write(json.dumps(run, indent=2, default=str) + "\n")
            chart = pages.headline_chart(folder, run["notebooks"])
            with atomic_write(folder / "index.html") as handle:
                handle.write(pages.run_index_html(run, folder / pages.TABLES, chart))
            with atomic_write(folder.parent / "index.html") as handle:
                handle.write(pages.reports_index_html(folder.parent, run_folders(folder.parent)))
    except LockedError as err:
        log(f"error: {err}")
        return EXIT_LOCKED
    for name, result in outcome.items():
        log(f"  {result:<6} {name}")
    if status != "passed":
        log(output)
        log(f"verify {folder.name}: FAILED (outputs differ from the stored run)")
        return EXIT_DIFFERS
    log(f"verify {folder.name}: passed, every output matches")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.verify", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--date", default=None, help="the run to check (default: the newest good run)")
    parser.add_argument("--out", type=Path, default=paths.REPORTS_DIR, help="folder of dated reports")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may run")
    args = parser.parse_args(argv)
    try:
        folder = find_run(args.out, args.date or None)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_NO_RUN
    return verify(folder, log=lambda line: print(line, flush=True), timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
