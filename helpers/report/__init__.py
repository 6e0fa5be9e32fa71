"""Headless report runs: every notebook under papermill, each in a fresh kernel, exported to HTML
without code, into a dated folder.

    python -m helpers.report --scenario params/article.yaml --date 2026-03-01 [--out reports] [--jobs N]

What a run writes, in ``<out>/<date>/``:

- ``index.html``: the scenario's parameters, a link to each notebook's page, pass or fail for each
  (with the error), and the headline breakeven summary (``tables/breakeven_summary.csv``);
- ``NN-name.html`` (no code cells) and ``NN-name.ipynb`` (the executed notebook) per notebook;
- ``run.json``: parameters, sha256 of every ``data/*.csv``, package versions, git commit, start and
  end time, status per notebook;
- ``tables/*.csv``: what each notebook wrote through ``helpers.article.tables.save``.

``<out>/index.html`` lists every run, newest first.

Nothing is lost:

- the scenario, the date and the notebook list are checked before anything is written;
- a run is built in a hidden sibling folder (``<out>/.<date>.building-*``) and renamed into place
  only when complete, so no half-written dated folder is ever visible;
- a run in which every notebook passed replaces ``<date>/``: the previous folder is first renamed
  aside, the new one renamed in, then the old one deleted (a crash in between is repaired by the
  next run, which puts the previous folder back);
- a run in which a notebook failed still runs every other notebook, and is installed as
  ``<date>.failed/`` so that a good report of the same date stays untouched; the command exits 1;
- a lock (``<out>/.lock``, fcntl) keeps two runs on the same output folder apart: the second stops at
  once with a message naming the first run's process.

Exit codes: 0 all notebooks passed, 1 a notebook failed, 2 bad input (scenario, date, notebooks),
3 another run holds the lock.
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures
import datetime as dt
import fcntl
import hashlib
import html
import io
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
import tomllib
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from helpers import paths, scenario as scenario_mod
from helpers.article import tables as tables_mod
from helpers.files import atomic_write, current_umask

NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
FAILED_SUFFIX = ".failed"
RUN_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}(\.failed)?$")
LOCK_NAME = ".lock"
TABLES = "tables"
TABLES_DIR_PARAMETER = "tables_dir"
INTERACTIVE_PARAMETER = "interactive"
HEADLINE_TABLE = "breakeven_summary"
WORKLOAD_TABLE = "what_if"
DRIFT_TABLE = "price_drift"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="widget-note"><em>Interactive control: live in JupyterLab '
               '(<code>make lab</code>) or the what-if app (<code>make app</code>); this static '
               'page shows the result of its default setting.</em></p>')
CELL_TIMEOUT_S = 600
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class ReportError(Exception):
    """Bad input to a report run (nothing has been written)."""


class LockedError(Exception):
    """Another run holds the output folder's lock."""


@dataclass
class NotebookResult:
    name: str
    status: str = "pending"  # "passed" or "failed"
    seconds: float = 0.0
    error: str | None = None
    parameters: dict = field(default_factory=dict)
    html: str | None = None
    ipynb: str | None = None


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


def parameters_for(declared: dict, scenario_parameters: dict, tables_dir: Path) -> dict:
    """What papermill injects into one notebook: the *whole* scenario (every field, so that a
    scenario means the same thing on every page, including fields a notebook reads without
    declaring them in its parameters cell) when the notebook declares any scenario field,
    plus ``tables_dir`` and ``interactive=False`` (a report page is static: no widget panel to
    build) when it declares them."""
    passed = dict(scenario_parameters) if any(k in scenario_mod.KEYS for k in declared) else {}
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


# --------------------------------------------------------------------------------------------
# Provenance


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hashes(data_dir: Path = paths.DATA_DIR) -> dict[str, str]:
    """sha256 of every ``data/*.csv`` (the notebooks read them all through helpers.data)."""
    return {f"data/{p.name}": sha256_of(p) for p in sorted(Path(data_dir).glob("*.csv"))}


def package_versions() -> dict[str, str]:
    """Installed version of each dependency pinned in pyproject.toml, and Python's."""
    with open(paths.ROOT / "pyproject.toml", "rb") as handle:
        pins = tomllib.load(handle)["project"]["dependencies"]
    versions = {"python": platform.python_version()}
    for pin in pins:
        name = re.split(r"[=<>!~\[; ]", pin, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(root: Path = paths.ROOT) -> dict:
    """The checked-out commit and whether the working tree differs from it (None without git)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              timeout=30, check=True).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def display_path(path: Path) -> str:
    """``path`` relative to the project when it lies inside it (run.json stays portable)."""
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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
# Execution and export


def _first_error(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        where = f" (cell [{cell}])" if cell is not None else ""
        return f"{ename}: {getattr(exc, 'evalue', '')}{where}"
    return f"{type(exc).__name__}: {exc}"


def static_widgets(nb) -> None:
    """Make widget outputs static, in place: drop the widget state and views (they would render
    as broken placeholders without a kernel) and say where the control is live."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data or WIDGET_MIME not in data:
                continue
            data.pop(WIDGET_MIME)
            # What remains beside the view is the widget's repr, e.g. "VBox(children=...)".
            data.pop("text/plain", None)
            if not data:
                data["text/html"] = WIDGET_NOTE


def export_html(executed: Path, target: Path) -> None:
    """The executed notebook as HTML without code cells or prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    static_widgets(nb)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    write_text_atomic(target, body)


def run_notebook(notebook: Path, build: Path, parameters: dict, timeout: int = CELL_TIMEOUT_S) -> NotebookResult:
    """Execute one notebook in a fresh kernel into ``build`` and export its page. Never raises:
    a failure is recorded in the result."""
    import papermill

    result = NotebookResult(notebook.stem, parameters=parameters)
    executed = build / notebook.name
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=parameters,
            # The kernel starts in the notebook's folder. Not papermill's cwd=, which os.chdir()s
            # the whole process: with notebooks run in threads that races, and can leave this
            # process in another run's (deleted) build folder.
            resources={"metadata": {"path": str(notebook.parent)}},
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout,
            # The kernel's start-up warnings (e.g. "running over TCP") would drown the progress
            # lines; a kernel that dies still fails its notebook.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
        result.status = "passed"
    except Exception as exc:  # a failing notebook must not stop the others
        result.status = "failed"
        result.error = _first_error(exc)
    if executed.exists():
        result.ipynb = executed.name
        try:
            export_html(executed, build / f"{notebook.stem}.html")
            result.html = f"{notebook.stem}.html"
        except Exception as exc:
            result.status = "failed"
            result.error = (result.error + "; " if result.error else "") + f"HTML export: {_first_error(exc)}"
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def previous_seconds(out: Path) -> dict[str, float]:
    """Seconds each notebook took in the newest run recorded under ``out`` ({} if none)."""
    runs = sorted((p for p in out.iterdir() if p.is_dir() and RUN_FOLDER.match(p.name)),
                  key=lambda p: p.name, reverse=True) if out.is_dir() else []
    for folder in runs:
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


def default_jobs(count: int) -> int:
    return max(1, min(count, os.cpu_count() or 1))


# --------------------------------------------------------------------------------------------
# Pages


CSS = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.passed { color: #176f2c; font-weight: 600; }
.failed { color: #b00020; font-weight: 600; }
.error { font-family: monospace; white-space: pre-wrap; }
.muted { color: #666; }
.warning { color: #8a5a00; }
"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = []
    for row in rows:
        cells = "".join(
            f"<td class=\"num\">{c}</td>" if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(lines) + "\n</table>"


def _tokens(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if number >= 1e9:
        return f"{number / 1e9:,.2f}B"
    return f"{number / 1e6:,.1f}M"


def headline_html(tables_dir: Path) -> str:
    """The breakeven summary (when a notebook wrote it) as an HTML table."""
    path = tables_dir / f"{HEADLINE_TABLE}.csv"
    if not path.exists():
        return ("<p class=\"muted\">No breakeven summary: no notebook wrote "
                f"<code>tables/{HEADLINE_TABLE}.csv</code> in this run.</p>")
    import pandas as pd

    frame = pd.read_csv(path)
    columns = [
        ("api_model", "API model", str),
        ("blended_usd_per_1m", "Blended USD per 1M", lambda v: f"${float(v):,.3f}"),
        ("breakeven_tokens_per_month", "Breakeven tokens/month", _tokens),
        ("breakeven_tokens_per_day", "Breakeven tokens/day", _tokens),
        ("tco_breakeven_tokens_per_month", "With hidden costs, tokens/month", _tokens),
        ("tco_breakeven_tokens_per_day", "With hidden costs, tokens/day", _tokens),
        ("within_single_gpu_capacity", "Within one GPU's capacity", lambda v: "yes" if v else "no"),
    ]
    present = [c for c in columns if c[0] in frame.columns]
    rows = [[html.escape(fmt(record[name])) if fmt is str else fmt(record[name])
             for name, _, fmt in present] for record in frame.to_dict("records")]
    return _table([label for _, label, _ in present], rows, numeric=set(range(1, len(present) - 1)))


def workload_html(tables_dir: Path) -> str:
    """One sentence on the scenario's own workload (from the what-if notebook's
    ``tables/what_if.csv``): which is cheaper, by how much, and the decision framework's answer."""
    path = tables_dir / f"{WORKLOAD_TABLE}.csv"
    if not path.exists():
        return ""
    import pandas as pd

    row = pd.read_csv(path).iloc[0]
    replicas = int(row["replicas"]) if pd.notna(row["replicas"]) else None
    deployments = "" if replicas in (None, 1) else f" on {replicas} deployments"
    return (f"<p><b>At this scenario's workload</b> ({_tokens(row['tokens_per_day'])} tokens/day, "
            f"{_tokens(row['tokens_per_month'])} tokens/month): {html.escape(str(row['api_model']))} costs "
            f"${float(row['api_usd_per_month']):,.0f} a month, self-hosting "
            f"${float(row['tco_usd_per_month']):,.0f} with hidden costs "
            f"(${float(row['selfhost_usd_per_month']):,.0f} for the GPU alone{deployments}). Cheaper: "
            f"<b>{html.escape(str(row['winner']))}</b>, {float(row['cost_ratio']):.2f}x. The decision "
            f"framework says <b>{html.escape(str(row['recommendation']))}</b> (step {int(row['decision_step'])}).</p>")


def drift_html(tables_dir: Path) -> str:
    """One line on which API prices moved most since the article (from the price-drift
    notebook's ``tables/price_drift.csv``)."""
    path = tables_dir / f"{DRIFT_TABLE}.csv"
    if not path.exists():
        return ""
    import pandas as pd

    from helpers.article import drift

    return f"<p><b>API prices since the article:</b> {html.escape(drift.moved_most_sentence(pd.read_csv(path)))}</p>"


def uncertainty_html(run: dict, tables_dir: Path) -> str:
    """One sentence on how sure the answer is: the Monte Carlo of the uncertainty notebook
    (same scenario, draws and seed), shown when that notebook wrote its table."""
    if not (tables_dir / "uncertainty.csv").exists():
        return ""
    from helpers.uncertainty import montecarlo

    s = scenario_mod.Scenario.from_dict(run["scenario"])
    sentence = montecarlo.probability_sentence(montecarlo.run(s, montecarlo.report_tokens_per_month(s)))
    return f"<p><b>How sure:</b> {html.escape(sentence)}</p>"


def run_index_html(run: dict, tables_dir: Path) -> str:
    """The page of one run."""
    status = run["status"]
    parts = [f"<h1>Report {html.escape(run['date'])}: "
             f"<span class=\"{status}\">{html.escape(status)}</span></h1>"]
    description = run["scenario"].get(scenario_mod.DESCRIPTION)
    parts.append(f"<p>Scenario <code>{html.escape(run['scenario_file'])}</code>"
                 + (f": {html.escape(description)}" if description else "") + "</p>")
    for problem in run.get("problems", []):
        parts.append(f"<p class=\"failed\">{html.escape(problem)}</p>")
    parts.append("<h2>Headline: breakeven summary</h2>")
    parts.append(headline_html(tables_dir))
    parts.append(workload_html(tables_dir))
    parts.append(drift_html(tables_dir))


    parts.append(uncertainty_html(run, tables_dir))
    parts.append("<h2>Notebooks</h2>")
    rows = []
    for nb in run["notebooks"]:
        link = (f"<a href=\"{html.escape(nb['html'])}\">{html.escape(nb['name'])}</a>"
                if nb["html"] else html.escape(nb["name"]))
        executed = f"<a href=\"{html.escape(nb['ipynb'])}\">.ipynb</a>" if nb["ipynb"] else ""
        rows.append([link, f"<span class=\"{nb['status']}\">{nb['status']}</span>",
                     f"{nb['seconds']:.1f}", executed,
                     f"<span class=\"error\">{html.escape(nb['error'] or '')}</span>"])
    parts.append(_table(["notebook", "status", "seconds", "executed", "error"], rows, numeric={2}))
    parts.append("<h2>Parameters</h2>")
    parts.append("<p>Every field of the scenario (every notebook that reads a scenario receives all "
                 "of them), then the notebooks' own parameters.</p>")
    rows = []
    for name, info in run["parameters"].items():
        rows.append([f"<code>{html.escape(name)}</code>", f"<code>{html.escape(info['value'])}</code>",
                     html.escape(info["source"]), html.escape(", ".join(info["notebooks"]))])
    parts.append(_table(["parameter", "value", "from", "declared by"], rows))
    tables = "".join(f"<li><a href=\"tables/{html.escape(t)}\">{html.escape(t)}</a></li>"
                     for t in run["tables"])
    parts.append(f"<h2>Tables</h2>\n<ul>{tables or '<li class=muted>none</li>'}</ul>")
    git = run["git"]
    parts.append(
        "<h2>Provenance</h2>\n<p class=\"muted\">"
        f"Started {html.escape(run['started_at'])}, finished {html.escape(run['finished_at'])}; "
        f"git {html.escape(str(git['commit']))}{' (with uncommitted changes)' if git['dirty'] else ''}; "
        f"data files, their sha256 and package versions in <a href=\"run.json\">run.json</a>.</p>")
    return _page(f"Report {run['date']} ({status})", "\n".join(parts))


def reports_index_html(out: Path) -> str:
    """``<out>/index.html``: every installed run, newest first."""
    rows = []
    folders = [p for p in out.iterdir() if p.is_dir() and RUN_FOLDER.match(p.name)]
    # Newest date first; for one date the good report before its failed attempt.
    for folder in sorted(folders, key=lambda p: (p.name[:10], not p.name.endswith(FAILED_SUFFIX)),
                         reverse=True):
        try:
            run = json.loads((folder / "run.json").read_text())
        except (OSError, ValueError):
            rows.append([html.escape(folder.name), "<span class=failed>unreadable run.json</span>", "", "", ""])
            continue
        passed = sum(nb["status"] == "passed" for nb in run["notebooks"])
        description = run["scenario"].get(scenario_mod.DESCRIPTION, "")
        rows.append([
            f"<a href=\"{html.escape(folder.name)}/index.html\">{html.escape(folder.name)}</a>",
            f"<span class=\"{run['status']}\">{html.escape(run['status'])}</span>",
            f"{passed}/{len(run['notebooks'])}",
            f"<code>{html.escape(run['scenario_file'])}</code> {html.escape(description)}",
            html.escape(run["finished_at"]),
        ])
    body = "<h1>Reports</h1>\n" + (
        _table(["run", "status", "notebooks passed", "scenario", "finished (UTC)"], rows)
        if rows else "<p class=\"muted\">No runs yet.</p>")
    return _page("Reports", body)


# --------------------------------------------------------------------------------------------
# The run


def _effective_parameters(declared_by: dict[str, dict], scenario_parameters: dict, chosen: dict) -> dict:
    """``{name: {value, source, notebooks}}``: every scenario field (from the scenario file,
    or the article's value), then every other parameter a notebook declares, but tables_dir."""
    result = {}
    for name, value in scenario_parameters.items():
        readers = [nb for nb, declared in declared_by.items() if any(k in scenario_mod.KEYS for k in declared)]
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
               timeout: int = CELL_TIMEOUT_S, log=print) -> tuple[int, Path]:
    """Run every notebook and install the report. Returns (exit code, installed folder).

    Raises ReportError (bad input: nothing written) or LockedError (another run is active).
    """
    date = parse_date(date)
    scenario_path = Path(scenario_path)
    try:
        chosen = scenario_mod.load(scenario_path)
    except scenario_mod.ScenarioError as err:
        raise ReportError(str(err)) from None
    notebooks = discover(notebooks_dir)
    declared_by = {nb.stem: declared_parameters(nb) for nb in notebooks}
    # Every field, the article's value where the file sets none.
    scenario_parameters = scenario_mod.Scenario.from_dict(chosen).to_dict()
    jobs = jobs or default_jobs(len(notebooks))
    if jobs < 1:
        raise ReportError(f"--jobs: must be at least 1, got {jobs}")

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
            write_text_atomic(build / "run.json", json.dumps(run, indent=2, default=str) + "\n")
            write_text_atomic(build / "index.html", run_index_html(run, tables_dir))
            make_readable(build)
            target = out / (date if status == "passed" else date + FAILED_SUFFIX)
            install(build, target)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        write_text_atomic(out / "index.html", reports_index_html(out))
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

    def one(notebook: Path) -> NotebookResult:
        with print_lock:
            log(f"  start    {notebook.stem}")
        passed = parameters_for(declared_by[notebook.stem], scenario_parameters, tables_dir)
        result = run_notebook(notebook, build, passed, timeout)
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
                        help="notebooks run at once (default: the number of cores)")
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

