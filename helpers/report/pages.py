"""The report's own pages: ``<date>/index.html`` (a one-page summary a lead can forward) and
``<out>/index.html`` (every run). Plain HTML and inline CSS, nothing from the network, readable
on a 400 px wide phone (wide tables scroll inside themselves, never the page)."""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from helpers import scenario as scenario_mod
from helpers.report.contract import TABLES
from helpers.show.format import DASH, missing, tokens_text, usd_text

HEADLINE_TABLE = "breakeven_summary"
WORKLOAD_TABLE = "what_if"
QUALITY_TABLE = "quality"
CLAIMS_TABLE = "claims"
DRIFT_TABLE = "price_drift"
UNCERTAINTY_TABLE = "uncertainty"
CLAIMS_PAGE = "07-claims-audit.html"
# The headline chart is the first image of the cell tagged so in an executed notebook.
HEADLINE_CHART_TAG = "headline-chart"
ERRATUM = "erratum"

CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 .8rem;
       color: #222; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .8rem 0; display: block; max-width: 100%;
        overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top;
         overflow-wrap: normal; min-width: 4rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
img.chart { max-width: 100%; height: auto; display: block; margin: .8rem 0; }
code { overflow-wrap: anywhere; }
.decision { font-size: 1.1rem; padding: .6rem .8rem; background: #f3f6fa; border-left: 4px solid #1f5fa8; }
.passed { color: #176f2c; font-weight: 600; }
.failed { color: #b00020; font-weight: 600; }
.error { font-family: monospace; white-space: pre-wrap; }
.muted { color: #666; }
.warning { color: #8a5a00; }
ul.facts { padding-left: 1.2rem; }
"""


def page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


def table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = []
    for row in rows:
        cells = "".join(
            f"<td class=\"num\">{c}</td>" if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(lines) + "\n</table>"


def _read(tables_dir: Path, name: str):
    path = Path(tables_dir) / f"{name}.csv"
    if not path.exists():
        return None
    import pandas as pd

    return pd.read_csv(path)


# --------------------------------------------------------------------------------------------
# The summary's parts


def decision_html(tables_dir: Path) -> str:
    """The scenario's own workload (``tables/what_if.csv``, one row): which is cheaper, by how
    much, and the decision framework's answer."""
    frame = _read(tables_dir, WORKLOAD_TABLE)
    if frame is None or frame.empty:
        return ("<p class=\"muted\">No decision: no notebook wrote "
                f"<code>tables/{WORKLOAD_TABLE}.csv</code> in this run.</p>")
    row = frame.iloc[0]
    api_model = str(row["api_model"]) if "api_model" in row else str(row["api_models"]).split(";")[0]
    per_day = f"{tokens_text(row['tokens_per_day'])} tokens/day, " if "tokens_per_day" in row else ""
    replicas = ""
    if "replicas" in row and not missing(row["replicas"]) and float(row["replicas"]) > 1:
        replicas = f" on {int(row['replicas'])} deployments"
    decision = row["recommendation"] if "recommendation" in row else row["decision"]
    return (f"<p class=\"decision\">At this scenario's workload ({per_day}"
            f"{tokens_text(row['tokens_per_month'])} tokens/month) the cheaper option is "
            f"<b>{html.escape(str(row['winner']))}</b>, by {float(row['cost_ratio']):.2f}x: "
            f"{html.escape(api_model)} costs {usd_text(row['api_usd_per_month'])} a month, "
            f"self-hosting {usd_text(row['tco_usd_per_month'])} with hidden costs "
            f"({usd_text(row['selfhost_usd_per_month'])} for the GPUs alone{replicas}). The decision "
            f"framework says <b>{html.escape(str(decision))}</b> "
            f"(step {int(row['decision_step'])}).</p>")


def quality_html(tables_dir: Path) -> str:
    """The answer at equal quality (``tables/quality.csv``): the option with the lowest cost per
    successful task, beside the per-token answer above; empty when no notebook wrote the table."""
    frame = _read(tables_dir, QUALITY_TABLE)
    if frame is None or frame.empty:
        return ""
    ranked = frame.sort_values("usd_per_1k_successes")
    best = ranked.iloc[0]
    own = ranked[ranked["kind"] != "API"] if "kind" in ranked else ranked.iloc[0:0]
    selfhosted = "" if own.empty or own.index[0] == ranked.index[0] else (
        f" The best self-hosted option, {html.escape(str(own.iloc[0]['option']))}, costs "
        f"{usd_text(own.iloc[0]['usd_per_1k_successes'])} per 1,000.")
    odds = ""
    if "p_cheapest" in best and not missing(best["p_cheapest"]):
        odds = (f"; the cheapest in {float(best['p_cheapest']):.0%} of draws of the evaluated success "
                f"rates")
    return (f"<p class=\"decision\">At equal quality, priced per successful task "
            f"({float(best['tasks_per_day']):,.0f} tasks/day), the cheapest option is "
            f"<b>{html.escape(str(best['option']))}</b>: {usd_text(best['usd_per_1k_successes'])} per 1,000 "
            f"successful tasks, {usd_text(best['usd_per_month'])} a month (success rate "
            f"{float(best['success_rate']):.0%}, {html.escape(str(best['success_rate_source']))}){odds}.{selfhosted} "
            f"Every option: <a href=\"{TABLES}/{QUALITY_TABLE}.csv\">{TABLES}/{QUALITY_TABLE}.csv</a>.</p>")


def breakeven_html(tables_dir: Path) -> str:
    """One line per API of the breakeven summary: where self-hosting starts to pay, with and
    without hidden costs, and whether one deployment can serve that volume."""
    frame = _read(tables_dir, HEADLINE_TABLE)
    if frame is None:
        return ("<p class=\"muted\">No breakeven summary: no notebook wrote "
                f"<code>tables/{HEADLINE_TABLE}.csv</code> in this run.</p>")
    items = []
    for record in frame.to_dict("records"):
        within = record.get("within_single_gpu_capacity")
        capacity = "" if within is None else (" (within one deployment's capacity)" if within
                                              else " (beyond one deployment's capacity)")
        items.append(
            f"<li><b>{html.escape(str(record['api_model']))}</b> "
            f"({usd_text(record['blended_usd_per_1m'])} per 1M tokens): self-hosting pays above "
            f"{tokens_text(record['breakeven_tokens_per_month'])} tokens/month "
            f"({tokens_text(record['breakeven_tokens_per_day'])}/day){capacity}; with hidden costs "
            f"above {tokens_text(record['tco_breakeven_tokens_per_month'])} "
            f"({tokens_text(record['tco_breakeven_tokens_per_day'])}/day).</li>")
    return (f"<ul class=\"facts\">{''.join(items)}</ul>\n<p class=\"muted\">The whole table: "
            f"<a href=\"{TABLES}/{HEADLINE_TABLE}.csv\">{TABLES}/{HEADLINE_TABLE}.csv</a>.</p>")


def verdict_totals_over_tables(tables_dir: Path) -> dict[str, int]:
    """How many checked figures each verdict has, over every ``*verdict`` column of every table
    of the run."""
    counts: dict[str, int] = {}
    for path in sorted(Path(tables_dir).glob("*.csv")):
        frame = _read(tables_dir, path.stem)
        for column in (c for c in frame.columns if str(c).endswith("verdict")):
            for verdict, count in frame[column].dropna().astype(str).value_counts().items():
                counts[verdict] = counts.get(verdict, 0) + int(count)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def audit_html(tables_dir: Path) -> str:
    """The errata count of the claims audit (with a link to its page) and the verdicts over all
    the run's tables."""
    parts = []
    claims = _read(tables_dir, CLAIMS_TABLE)
    if claims is not None and "verdict" in claims.columns:
        errata = int((claims["verdict"] == ERRATUM).sum())
        parts.append(f"<p><b>{errata} errata</b> among the article's {len(claims)} checked claims: "
                     f"<a href=\"{CLAIMS_PAGE}\">the claims audit</a>.</p>")
    counts = verdict_totals_over_tables(tables_dir)
    if counts:
        parts.append("<p>Verdicts over every table of this run: "
                     + ", ".join(f"{html.escape(v)} {n:,}" for v, n in counts.items()) + ".</p>")
    return "\n".join(parts) or "<p class=\"muted\">No verdicts in this run's tables.</p>"


def headline_chart(build: Path, notebooks: list[dict]) -> str | None:
    """The base64 PNG of the headline chart: the first image of a cell tagged
    ``headline-chart`` in the run's executed notebooks (None if there is none)."""
    import nbformat

    for nb in notebooks:
        if not nb.get("ipynb"):
            continue
        try:
            executed = nbformat.read(Path(build) / nb["ipynb"], as_version=4)
        except (OSError, ValueError):
            continue
        for cell in executed.cells:
            if HEADLINE_CHART_TAG not in cell.get("metadata", {}).get("tags", []):
                continue
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    return "".join(png.split())
    return None


def chart_html(png_base64: str | None, notebooks: list[dict]) -> str:
    if not png_base64:
        return "<p class=\"muted\">No headline chart in this run.</p>"
    base64.b64decode(png_base64, validate=True)  # a broken image must fail the page, not show
    source = next((nb for nb in notebooks if nb.get("html") and nb["name"].startswith("03")), None)
    link = f" (from <a href=\"{html.escape(source['html'])}\">{html.escape(source['name'])}</a>)" if source else ""
    return (f"<img class=\"chart\" alt=\"Monthly cost against monthly volume: each API against "
            f"self-hosting\" src=\"data:image/png;base64,{png_base64}\">"
            f"<p class=\"muted\">Monthly cost against volume{link}.</p>")


# Lines other parts of the workbook add to the summary, each in its slot: a function of the run
# and its tables folder returning one paragraph, or "" when it has nothing to say.
def uncertainty_html(run: dict, tables_dir: Path) -> str:
    """How sure the answer is: the Monte Carlo of the uncertainty notebook (same scenario, draws
    and seed), when that notebook wrote its table."""
    if not (Path(tables_dir) / f"{UNCERTAINTY_TABLE}.csv").exists():
        return ""
    from helpers.uncertainty import montecarlo  # noqa: PLC0415 (numpy-heavy, only when drawn)

    s = scenario_mod.Scenario.from_dict(run["scenario"])
    sentence = montecarlo.probability_sentence(montecarlo.run(s, montecarlo.report_tokens_per_month(s)))
    return f"<p><b>How sure:</b> {html.escape(sentence)}</p>"


def drift_html(tables_dir: Path) -> str:
    """Which API prices moved most since the article (the price-drift notebook's table)."""
    frame = _read(tables_dir, DRIFT_TABLE)
    if frame is None:
        return ""
    from helpers.article import drift  # noqa: PLC0415

    return f"<p><b>API prices since the article:</b> {html.escape(drift.moved_most_sentence(frame))}</p>"


def verification_html(run: dict) -> str:
    verification = run.get("verification")
    if not verification:
        return ("<p class=\"muted\">Not yet re-checked with nbval (<code>make verify-report "
                f"DATE={html.escape(run['date'])}</code>).</p>")
    status = verification["status"]
    failed = [n for n, s in verification.get("notebooks", {}).items() if s != "passed"]
    detail = f": outputs differ in {', '.join(failed)}" if failed else ""
    return (f"<p>Re-executed with nbval on {html.escape(verification['at'])}: "
            f"<span class=\"{status}\">{html.escape(status)}</span>{html.escape(detail)}.</p>")


def changes_html(changes: dict | None) -> str:
    """What moved since the previous good report in this folder, and why."""
    if not changes:
        return "<p class=\"muted\">No earlier good report in this folder to compare with.</p>"
    previous = changes["previous"]
    parts = [f"<p>Compared with <a href=\"../{html.escape(previous['folder'])}/index.html\">the "
             f"report of {html.escape(previous['date'])}</a> (scenario "
             f"<code>{html.escape(previous['scenario_file'])}</code>, finished "
             f"{html.escape(previous['finished_at'])}).</p>"]
    causes = changes.get("causes") or []
    if causes:
        parts.append("<p>What changed in between:</p><ul class=\"facts\">"
                     + "".join(f"<li>{html.escape(c)}</li>" for c in causes) + "</ul>")
    else:
        parts.append("<p>Same data files, code commit and scenario.</p>")
    moved = changes.get("moved") or []
    if not moved:
        parts.append("<p>No headline figure moved.</p>")
        return "\n".join(parts)
    rows = [[html.escape(m.get("figure") or f"{m['key']} {m['column']}".strip())
             + f" <span class=\"muted\">({TABLES}/{html.escape(m['table'])}.csv)</span>",
             html.escape(m["old_text"]), html.escape(m["new_text"]), html.escape(m["change_text"])]
            for m in moved]
    parts.append(f"<p>{len(moved)} headline figure{'s' if len(moved) != 1 else ''} moved "
                 f"(<a href=\"{TABLES}/changes.csv\">{TABLES}/changes.csv</a>):</p>")
    parts.append(table(["figure (from)", "old", "new", "change"], rows, numeric={1, 2, 3}))
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Whole pages


def run_index_html(run: dict, tables_dir: Path, chart_png: str | None = None) -> str:
    """The page of one run: the summary first, then notebooks, parameters and provenance."""
    status = run["status"]
    parts = [f"<h1>Report {html.escape(run['date'])}: "
             f"<span class=\"{status}\">{html.escape(status)}</span></h1>"]
    description = run["scenario"].get(scenario_mod.DESCRIPTION)
    parts.append(f"<p>Scenario <code>{html.escape(run['scenario_file'])}</code>"
                 + (f": {html.escape(description)}" if description else "") + "</p>")
    for problem in run.get("problems", []):
        parts.append(f"<p class=\"failed\">{html.escape(problem)}</p>")
    parts.append("<h2>Decision</h2>")
    parts.append(decision_html(tables_dir))
    parts.append(quality_html(tables_dir))
    parts.append(uncertainty_html(run, tables_dir))
    parts.append(chart_html(chart_png, run["notebooks"]))
    parts.append("<h2>Breakevens</h2>")
    parts.append(breakeven_html(tables_dir))
    parts.append(drift_html(tables_dir))
    parts.append("<h2>The article's figures</h2>")
    parts.append(audit_html(tables_dir))
    parts.append("<h2>Since the previous report</h2>")
    parts.append(changes_html(run.get("changes")))
    parts.append("<h2>Notebooks</h2>")
    parts.append(verification_html(run))
    rows = []
    for nb in run["notebooks"]:
        link = (f"<a href=\"{html.escape(nb['html'])}\">{html.escape(nb['name'])}</a>"
                if nb["html"] else html.escape(nb["name"]))
        executed = f"<a href=\"{html.escape(nb['ipynb'])}\">.ipynb</a>" if nb["ipynb"] else ""
        rows.append([link, f"<span class=\"{nb['status']}\">{nb['status']}</span>",
                     f"{nb['seconds']:.1f}", executed,
                     f"<span class=\"error\">{html.escape(nb['error'] or '')}</span>"])
    parts.append(table(["notebook", "status", "seconds", "executed", "error"], rows, numeric={2}))
    parts.append("<h2>Parameters</h2>")
    # The scenario's fields all go to the same notebooks: name them once, not on every row.
    readers = next((info["notebooks"] for info in run["parameters"].values()
                    if info["source"] in ("scenario", "the article's value")), None)
    read_by_all = f" ({html.escape(', '.join(readers))})" if readers else ""
    parts.append("<p>Every field of the scenario, which every notebook that reads a scenario receives "
                 f"whole{read_by_all}, then the notebooks' own parameters.</p>")
    rows = []
    for name, info in run["parameters"].items():
        read_by = (f"every notebook that reads the scenario ({len(readers)})" if readers and info["notebooks"] == readers
                   else ", ".join(info["notebooks"]))
        rows.append([f"<code>{html.escape(name)}</code>", f"<code>{html.escape(info['value'])}</code>",
                     html.escape(info["source"]), html.escape(read_by)])
    parts.append(table(["parameter", "value", "from", "declared by"], rows))
    tables = "".join(f"<li><a href=\"{TABLES}/{html.escape(t)}\">{html.escape(t)}</a></li>"
                     for t in run["tables"])
    parts.append(f"<h2>Tables</h2>\n<ul>{tables or '<li class=muted>none</li>'}</ul>")
    git = run["git"]
    parts.append(
        "<h2>Provenance</h2>\n<p class=\"muted\">"
        f"Started {html.escape(run['started_at'])}, finished {html.escape(run['finished_at'])}; "
        f"git {html.escape(str(git['commit']))}{' (with uncommitted changes)' if git['dirty'] else ''}; "
        f"data files, their sha256 and package versions in <a href=\"run.json\">run.json</a>.</p>")
    return page(f"Report {run['date']} ({status})", "\n".join(p for p in parts if p))


def reports_index_html(out: Path, run_folders: list[Path]) -> str:
    """``<out>/index.html``: every installed run, newest first (``run_folders`` in that order)."""
    rows = []
    for folder in run_folders:
        try:
            run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            rows.append([html.escape(folder.name), "<span class=failed>unreadable run.json</span>", "", "", ""])
            continue
        passed = sum(nb["status"] == "passed" for nb in run["notebooks"])
        description = run["scenario"].get(scenario_mod.DESCRIPTION, "")
        verified = (run.get("verification") or {}).get("status", DASH)
        rows.append([
            f"<a href=\"{html.escape(folder.name)}/index.html\">{html.escape(folder.name)}</a>",
            f"<span class=\"{run['status']}\">{html.escape(run['status'])}</span>",
            f"{passed}/{len(run['notebooks'])}",
            f"<span class=\"{verified}\">{html.escape(verified)}</span>",
            f"<code>{html.escape(run['scenario_file'])}</code> {html.escape(description)}",
            html.escape(run["finished_at"]),
        ])
    body = "<h1>Reports</h1>\n" + (
        table(["run", "status", "notebooks passed", "nbval", "scenario", "finished (UTC)"], rows)
        if rows else "<p class=\"muted\">No runs yet.</p>")
    return page("Reports", body)
