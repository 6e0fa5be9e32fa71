"""``python -m helpers.report``: the command line of a report run (its help is the package's
docstring)."""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import sys
from pathlib import Path

import helpers.report
from helpers import paths
from helpers.report.execute import CELL_TIMEOUT_S
from helpers.report.folders import LockedError
from helpers.report.inputs import ReportError
from helpers.report.runner import EXIT_BAD_INPUT, EXIT_LOCKED, run_report


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
    parser = argparse.ArgumentParser(prog="python -m helpers.report", description=helpers.report.__doc__,
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

