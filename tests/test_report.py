"""Headless report runs (helpers/report/), end to end.

Most tests run small fixture notebooks written into a temporary folder (two kernels, a few
seconds); one test runs the project's own notebooks on the article's scenario. Expected figures
are computed from the data rows with the helpers' formulas, never copied from a report.
"""
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.costs import api, breakeven, selfhost
from helpers import data, paths, report, scenario
from helpers.report import contract, verify

DATE = "2026-03-01"
COMPLIANCE = paths.PARAMS_DIR / "compliance-50m-per-day.yaml"
ARTICLE = paths.PARAMS_DIR / "article.yaml"
# The part of the contract the fixture notebooks write.
FIXTURE_CONTRACT = {name: contract.CONTRACT[name] for name in ("api_costs", "breakeven_summary", "gpu_cloud")}


# ------------------------------------------------------------------------------------------
# Fixture notebooks


def write_notebook(path: Path, parameters: str, *cells: str) -> Path:
    nb = new_notebook(cells=[
        new_markdown_cell("# Fixture\n\nA notebook for the report tests."),
        new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *[new_code_cell(c) for c in cells],
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def fixture_notebooks(folder: Path, failing: bool = False) -> Path:
    """01 (one ``scenario`` dict of overrides) writes api_costs at the scenario's volume and the
    breakeven summary; 02 (a scenario field of its own, the older form) shows a widget and
    writes gpu_cloud; with ``failing``, 03 raises."""
    folder.mkdir(parents=True, exist_ok=True)
    write_notebook(
        folder / "01-costs.ipynb",
        'scenario = {"tokens_per_day": 10_000_000}  # overrides\ntables_dir = ""  # report runs set this',
        "from helpers.article import tables\nfrom helpers.report import contract\nimport matplotlib.pyplot as plt",
        "from helpers.derive import derive\nfrom helpers.scenario import Scenario\n"
        "s = Scenario.from_dict(scenario)\n"
        "frame = tables.api_costs(s)\ncontract.save(frame, 'api_costs', tables_dir)",
        "summary = tables.breakeven_summary(derive(s), ['GPT-5', 'DeepSeek V3.2'])\n"
        "contract.save(summary, 'breakeven_summary', tables_dir)\nsummary",
        "_ = plt.plot([1, 2], [3, 4])",
    )
    write_notebook(
        folder / "02-widget.ipynb",
        'privacy_required = False  # compliance\ntables_dir = ""  # report runs set this',
        "import ipywidgets\nfrom helpers.article import tables\nfrom helpers.report import contract\n"
        "from helpers.scenario import Scenario\n"
        "contract.save(tables.gpu_cloud(Scenario()), 'gpu_cloud', tables_dir)",
        "ipywidgets.IntSlider(value=3, description='unique-slider-label')",
    )
    if failing:
        write_notebook(folder / "03-fails.ipynb", 'tables_dir = ""  # report runs set this',
                       "raise ValueError('deliberate failure for the test')")
    return folder


def run(scenario_path, out, notebooks, date=DATE, jobs=2, contract_tables=None):
    """A run whose contract is ``contract_tables`` (default: none, as most fixture notebooks
    write no table)."""
    lines = []
    code, folder = report.run_report(scenario_path, date, out, notebooks, jobs=jobs, log=lines.append,
                                     contract=contract_tables or {})
    return code, folder, lines


def hidden_leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".lock")


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """One run of the fixture notebooks on the compliance scenario (50M tokens/day)."""
    base = tmp_path_factory.mktemp("good")
    notebooks = fixture_notebooks(base / "notebooks")
    code, folder, lines = run(COMPLIANCE, base / "reports", notebooks, contract_tables=FIXTURE_CONTRACT)
    return code, folder, lines


# ------------------------------------------------------------------------------------------
# Without a kernel


def test_a_notebook_that_reads_a_scenario_gets_all_of_it():
    declared = {"tokens_per_day": {}, "tables_dir": {}}
    chosen = {"tokens_per_day": 5, "privacy_required": True}
    assert report.parameters_for(declared, chosen, Path("/x/tables")) == {
        "tokens_per_day": 5, "privacy_required": True, "tables_dir": "/x/tables"}
    # a notebook that declares no scenario field (the claims audit) gets none
    assert report.parameters_for({"tables_dir": {}}, chosen, Path("/x")) == {"tables_dir": "/x"}
    # a report page is static: the what-if notebook builds no widget panel there
    assert report.parameters_for({"interactive": {}}, chosen, Path("/x")) == {"interactive": False}
    # a notebook that declares the one dict ``scenario`` gets the whole scenario in it
    assert report.parameters_for({"scenario": {}, "tables_dir": {}}, chosen, Path("/x")) == {
        "scenario": {"tokens_per_day": 5, "privacy_required": True}, "tables_dir": "/x"}


def test_widget_outputs_become_static():
    nb = new_notebook(cells=[new_code_cell("w")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={report.WIDGET_MIME: {"model_id": "abc"}, "text/plain": "IntSlider(value=3)"})]
    report.static_widgets(nb)
    assert "widgets" not in nb.metadata
    assert nb.cells[0].outputs[0]["data"] == {"text/html": report.WIDGET_NOTE}


def test_recover_puts_back_a_folder_set_aside_by_an_interrupted_run(tmp_path):
    aside = tmp_path / f".{DATE}.previous-123"
    aside.mkdir()
    (aside / "run.json").write_text("{}")
    (tmp_path / f".{DATE}.building-abc").mkdir()
    done = report.recover(tmp_path)
    assert (tmp_path / DATE / "run.json").read_text() == "{}"
    assert hidden_leftovers(tmp_path) == [] and len(done) == 2


def test_install_replaces_only_after_the_new_folder_is_complete(tmp_path):
    old, new = tmp_path / DATE, tmp_path / ".new"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    report.install(new, old)
    assert (old / "a").read_text() == "new" and hidden_leftovers(tmp_path) == []


@pytest.mark.parametrize("content, expected", [
    ("tokens_per_day: -1\n", "tokens_per_day: must lie in 0..1e+13"),
    ("input_share: 1.5\n", "input_share: must lie in 0..1"),
    ("gpu: NVIDIA B200\n", "gpu: 'NVIDIA B200' is not a gpu"),
    ("api_models: [GPT-5, GPT-6]\n", "api_models[1]: 'GPT-6' is not a model"),
    ("tokens_per_dya: 5\n", "tokens_per_dya: unknown key (did you mean 'tokens_per_day'?)"),
])
def test_bad_scenario_stops_before_anything_is_written(tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    out = tmp_path / "reports"
    code = report.main(["--scenario", str(bad), "--date", DATE, "--out", str(out)])
    assert code == report.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert expected in err and "nothing was written" in err
    assert not out.exists()


def test_bad_date_and_missing_notebooks_write_nothing(tmp_path, capsys):
    out = tmp_path / "reports"
    assert report.main(["--date", "2026-02-30", "--out", str(out)]) == report.EXIT_BAD_INPUT
    assert "--date: expected YYYY-MM-DD" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert report.main(["--date", DATE, "--out", str(out), "--notebooks", str(tmp_path / "empty")]) \
        == report.EXIT_BAD_INPUT
    assert "no notebooks named" in capsys.readouterr().err
    assert not out.exists()


def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from helpers.report import RunLock\n"
         "lock = RunLock(Path(sys.argv[1])).__enter__(); print('locked', flush=True); time.sleep(120)",
         str(out)],
        stdout=subprocess.PIPE, text=True, cwd=paths.ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        notebooks = fixture_notebooks(tmp_path / "notebooks")
        code = report.main(["--date", DATE, "--out", str(out), "--notebooks", str(notebooks)])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert code == report.EXIT_LOCKED
    assert f"another report run is writing to {out} (pid {holder.pid}" in err
    assert sorted(p.name for p in out.iterdir()) == [".lock"], "the refused run wrote nothing"
    with report.RunLock(out):  # released when its holder died
        pass


# ------------------------------------------------------------------------------------------
# End to end on fixture notebooks


def test_run_writes_every_file(good_run):
    code, folder, lines = good_run
    assert code == report.EXIT_OK and folder.name == DATE
    names = {p.name for p in folder.iterdir()}
    assert names == {"index.html", "run.json", "tables", "01-costs.html", "01-costs.ipynb",
                     "02-widget.html", "02-widget.ipynb"}
    assert {p.name for p in (folder / "tables").iterdir()} == {
        "api_costs.csv", "breakeven_summary.csv", "gpu_cloud.csv"}
    assert hidden_leftovers(folder.parent) == []
    assert any("start    01-costs" in line for line in lines)
    assert any(line.startswith("  [2/2] passed") for line in lines)


def test_run_json_records_provenance(good_run):
    _, folder, _ = good_run
    run = json.loads((folder / "run.json").read_text())
    assert run["status"] == "passed" and run["date"] == DATE
    assert run["scenario"] == scenario.load(COMPLIANCE)
    assert run["scenario_file"] == "params/compliance-50m-per-day.yaml"
    for csv in paths.DATA_DIR.glob("*.csv"):
        assert run["data_sha256"][f"data/{csv.name}"] == report.sha256_of(csv)
    assert run["packages"]["papermill"] == metadata.version("papermill")
    assert run["packages"]["pandas"] == pd.__version__
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head = None  # not a git checkout: the report must say so rather than invent a commit
    assert run["git"]["commit"] == head
    assert run["started_at"] <= run["finished_at"]
    assert [(n["name"], n["status"]) for n in run["notebooks"]] == [("01-costs", "passed"), ("02-widget", "passed")]
    assert run["parameters"]["tokens_per_day"] == {"value": "50000000", "source": "scenario",
                                                   "notebooks": ["01-costs", "02-widget"]}
    assert run["parameters"]["spot_discount"]["source"] == "the article's value"
    assert "scenario" not in run["parameters"]  # the dict 01 declares is listed field by field


def test_every_notebook_receives_the_whole_scenario(good_run):
    """A scenario means the same on every page: each notebook that reads one gets every field,
    also those its parameters cell does not declare."""
    _, folder, _ = good_run
    injected = {}
    for name in ("01-costs", "02-widget"):
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        injected[name] = {line.split(" = ")[0]: line.split(" = ", 1)[1]
                          for line in cell.source.splitlines() if " = " in line}
    # 01 declares the one dict: it gets every field in it, the file's 50M tokens/day included
    assert set(injected["01-costs"]) == {"scenario", "tables_dir"}
    passed = eval(injected["01-costs"]["scenario"])  # a Python literal papermill wrote
    assert set(passed) == set(scenario.KEYS) and passed["tokens_per_day"] == 50_000_000
    assert passed["spot_discount"] == scenario.Scenario().spot_discount
    # 02 declares one field (the older form): it gets every field, one by one
    assert set(injected["02-widget"]) == {*scenario.KEYS, "tables_dir"}


def test_tables_hold_the_scenarios_figures(good_run):
    _, folder, _ = good_run
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    blended = api.blended_usd_per_1m(gpt5["usd_per_1m_input"], gpt5["usd_per_1m_output"])
    costs = pd.read_csv(folder / "tables" / "api_costs.csv").set_index("model")
    assert costs.loc["GPT-5", "usd_per_month"] == pytest.approx(
        api.api_usd_per_month_at_daily(50_000_000, blended))
    a100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")
    summary = pd.read_csv(folder / "tables" / "breakeven_summary.csv").set_index("api_model")
    assert summary.loc["GPT-5", "breakeven_tokens_per_month"] == round(
        breakeven.breakeven_tokens_per_month(selfhost.gpu_usd_per_month(a100["usd_per_hour"]), blended))
    for name in ("api_costs", "breakeven_summary", "gpu_cloud"):
        frame = pd.read_csv(folder / "tables" / f"{name}.csv")
        assert set(contract.CONTRACT[name]) <= set(frame.columns), name


def test_pages_hide_code_and_show_no_broken_widgets(good_run):
    _, folder, _ = good_run
    page = (folder / "01-costs.html").read_text()
    assert "contract.save(" not in page and "breakeven_summary(" not in page
    assert "GPT-5" in page and "image/png" in page
    widget_page = (folder / "02-widget.html").read_text()
    assert report.WIDGET_NOTE in widget_page
    assert "unique-slider-label" not in widget_page and "widget-state+json" not in widget_page


def test_index_pages(good_run):
    _, folder, _ = good_run
    index = (folder / "index.html").read_text()
    for text in ('href="01-costs.html"', 'href="02-widget.html"', "tokens_per_day", "50000000",
                 'class="passed"', "self-hosting pays above 256M tokens/month", "has_ml_expertise",
                 "No earlier good report"):
        assert text in index, text
    top = (folder.parent / "index.html").read_text()
    assert f'href="{DATE}/index.html"' in top


# ------------------------------------------------------------------------------------------
# Nothing lost


def test_a_failing_notebook_leaves_the_others_and_the_previous_report(tmp_path):
    out = tmp_path / "reports"
    notebooks = fixture_notebooks(tmp_path / "notebooks")
    code, good, _ = run(ARTICLE, out, notebooks)
    assert code == report.EXIT_OK
    before = {p.relative_to(good): p.read_bytes() for p in good.rglob("*") if p.is_file()}

    fixture_notebooks(notebooks, failing=True)
    code, failed, lines = run(ARTICLE, out, notebooks)
    assert code == report.EXIT_FAILED
    assert failed.name == DATE + report.FAILED_SUFFIX
    # The good report of the same date is byte for byte what it was.
    assert {p.relative_to(good): p.read_bytes() for p in good.rglob("*") if p.is_file()} == before
    run_json = json.loads((failed / "run.json").read_text())
    assert run_json["status"] == "failed"
    statuses = {n["name"]: (n["status"], n["error"]) for n in run_json["notebooks"]}
    assert statuses["01-costs"] == ("passed", None) and statuses["02-widget"] == ("passed", None)
    assert statuses["03-fails"][0] == "failed"
    assert statuses["03-fails"][1].startswith("ValueError: deliberate failure for the test")
    for name in ("01-costs", "02-widget", "03-fails"):
        assert (failed / f"{name}.html").exists() and (failed / f"{name}.ipynb").exists()
    assert (failed / "tables" / "breakeven_summary.csv").exists()
    index = (failed / "index.html").read_text()
    assert 'class="failed"' in index and "deliberate failure for the test" in index
    assert any("the previous good report" in line for line in lines)
    top = (out / "index.html").read_text()
    assert top.index(f'href="{DATE}/index.html"') < top.index(f'href="{DATE}.failed/index.html"')
    assert hidden_leftovers(out) == []

    # The CLI says so with its exit code.
    assert report.main(["--scenario", str(ARTICLE), "--date", DATE, "--out", str(out),
                        "--notebooks", str(notebooks), "--jobs", "2"]) == report.EXIT_FAILED


def test_a_run_that_crashes_installs_nothing(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    notebooks = fixture_notebooks(tmp_path / "notebooks")
    previous = out / DATE
    previous.mkdir(parents=True)
    (previous / "run.json").write_text('{"status": "passed"}')

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report.pages, "run_index_html", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        run(ARTICLE, out, notebooks, jobs=2)
    assert (previous / "run.json").read_text() == '{"status": "passed"}'
    assert sorted(p.name for p in out.iterdir()) == [".lock", DATE]


# ------------------------------------------------------------------------------------------
# The project's own notebooks


SCALE = paths.PARAMS_DIR / "scale-200m-per-day-spot.yaml"
LATER = "2026-03-08"


@pytest.fixture(scope="module")
def project_reports(tmp_path_factory):
    """The project's notebooks run twice into one folder: the article's scenario on DATE, then
    the 200M tokens/day spot scenario on LATER."""
    out = tmp_path_factory.mktemp("project") / "reports"
    first = run(ARTICLE, out, paths.NOTEBOOKS_DIR, contract_tables=contract.CONTRACT)
    second = run(SCALE, out, paths.NOTEBOOKS_DIR, date=LATER, contract_tables=contract.CONTRACT)
    return first, second


def test_full_run_of_the_projects_notebooks(project_reports):
    """Every notebook in notebooks/ on the article's scenario: all pass, every page and table is
    there, and the tables hold the figures the helpers compute from the data rows."""
    notebooks = report.discover(paths.NOTEBOOKS_DIR)
    code, folder, lines = project_reports[0]
    run_json = json.loads((folder / "run.json").read_text())
    failures = [(n["name"], n["error"]) for n in run_json["notebooks"] if n["status"] != "passed"]
    assert code == report.EXIT_OK, failures
    for nb in notebooks:
        assert (folder / f"{nb.stem}.html").exists() and (folder / nb.name).exists()
        page = (folder / f"{nb.stem}.html").read_text()
        assert "contract.save(" not in page, f"{nb.stem}.html shows code"
        assert report.WIDGET_MIME not in page and "widget-state+json" not in page, \
            f"{nb.stem}.html holds widget views that cannot render without a kernel"
    written = {p.stem for p in (folder / "tables").glob("*.csv")}
    for name in written & set(contract.CONTRACT):
        frame = pd.read_csv(folder / "tables" / f"{name}.csv")
        assert set(contract.CONTRACT[name]) <= set(frame.columns), f"{name}.csv misses contract columns"
        assert len(frame), f"{name}.csv holds no row"
    assert set(contract.CONTRACT) <= written, f"contract tables not written: {sorted(set(contract.CONTRACT) - written)}"
    assert run_json["problems"] == []
    index = (folder / "index.html").read_text()
    # the headline names the winner at the scenario's own workload (what_if.csv of notebook 08)
    what_if = pd.read_csv(folder / "tables" / "what_if.csv").iloc[0]
    assert "At this scenario's workload" in index and f"<b>{what_if['winner']}</b>" in index
    assert '<img class="chart"' in index and 'src="data:image/png;base64,' in index
    errata = int((pd.read_csv(folder / "tables" / "claims.csv")["verdict"] == "erratum").sum())
    assert f"<b>{errata} errata</b>" in index and 'href="07-claims-audit.html"' in index
    assert "No earlier good report" in index

    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    blended = api.blended_usd_per_1m(gpt5["usd_per_1m_input"], gpt5["usd_per_1m_output"])
    costs = pd.read_csv(folder / "tables" / "api_costs.csv").set_index("model")
    assert costs.loc["GPT-5", "usd_per_month"] == pytest.approx(
        api.api_usd_per_month_at_daily(10_000_000, blended))
    a100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")
    summary = pd.read_csv(folder / "tables" / "breakeven_summary.csv").set_index("api_model")
    assert summary.loc["GPT-5", "breakeven_tokens_per_month"] == round(
        breakeven.breakeven_tokens_per_month(a100["usd_per_hour"] * 720, blended))
    assert summary.loc["GPT-5", "blended_usd_per_1m"] == pytest.approx(blended)


def test_parameters_with_an_equals_sign_in_their_comment_are_declared(tmp_path):
    # papermill.inspect_notebook skips such lines; the runner must still pass them.
    path = write_notebook(tmp_path / "01-x.ipynb",
                          'spot_discount = 0.0  # 0 = on-demand; spot is 40-60% cheaper\n'
                          'tokens_per_s = None  # None = the set-up\'s figure\n'
                          'api_models = [\n    "GPT-5",\n]  # APIs compared\n'
                          'tables_dir: str = ""  # report runs set this')
    declared = report.declared_parameters(path)
    assert declared == {
        "spot_discount": {"default": "0.0", "help": "0 = on-demand; spot is 40-60% cheaper"},
        "tokens_per_s": {"default": "None", "help": "None = the set-up's figure"},
        "api_models": {"default": '[\n    "GPT-5",\n]', "help": "APIs compared"},
        "tables_dir": {"default": '""', "help": "report runs set this"},
    }
    assert report.parameters_for(declared, {"spot_discount": 0.5}, tmp_path) == {
        "spot_discount": 0.5, "tables_dir": str(tmp_path)}


def test_schedule_starts_the_slowest_notebook_of_the_last_run_first(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    small, big, new = (notebooks / n for n in ("01-a.ipynb", "02-b.ipynb", "03-new.ipynb"))
    small.write_text("{}")
    big.write_text("{}" + " " * 1000)
    new.write_text("{}")
    out = tmp_path / "reports"
    # No previous run: the bigger file first.
    assert report.schedule([small, big], out) == [big, small]
    (out / DATE).mkdir(parents=True)
    (out / DATE / "run.json").write_text(json.dumps({"notebooks": [
        {"name": "01-a", "seconds": 9.0}, {"name": "02-b", "seconds": 2.0}]}))
    # A notebook the last run did not time goes first, then the slowest of the last run.
    assert report.schedule([small, big, new], out) == [new, small, big]


def test_a_contract_table_missing_or_empty_fails_the_run_and_the_index_says_why(tmp_path):
    notebooks = fixture_notebooks(tmp_path / "notebooks")
    write_notebook(notebooks / "03-empty.ipynb", 'tables_dir = ""  # report runs set this',
                   "import pandas as pd\nfrom helpers.report import contract\n"
                   "contract.save(pd.DataFrame({'winner': []}), 'what_if', tables_dir)")
    wanted = {**FIXTURE_CONTRACT, "what_if": ["winner"], "claims": []}
    code, folder, lines = run(ARTICLE, tmp_path / "reports", notebooks, contract_tables=wanted)
    assert code == report.EXIT_FAILED and folder.name == DATE + report.FAILED_SUFFIX
    run_json = json.loads((folder / "run.json").read_text())
    assert all(nb["status"] == "passed" for nb in run_json["notebooks"])
    assert run_json["problems"] == ["tables/what_if.csv is empty (a header, no rows)",
                                    "tables/claims.csv was not written by any notebook"]
    index = (folder / "index.html").read_text()
    assert "tables/claims.csv was not written by any notebook" in index
    assert "tables/what_if.csv is empty" in index
    assert "claims.csv was not written" in lines[-1]


def test_relative_paths_are_resolved_before_any_kernel_starts(tmp_path, monkeypatch):
    """The kernels run in the notebooks' folder: a relative --out (make report passes
    ``--out reports``) must still put the tables under <out>/<date>/tables, not beside the
    notebooks."""
    fixture_notebooks(tmp_path / "notebooks")
    shutil.copy(COMPLIANCE, tmp_path / "scenario.yaml")
    monkeypatch.chdir(tmp_path)
    code, folder, _ = run(Path("scenario.yaml"), Path("reports"), Path("notebooks"),
                          contract_tables=FIXTURE_CONTRACT)
    assert code == report.EXIT_OK and folder == tmp_path / "reports" / DATE
    assert {p.name for p in (folder / "tables").iterdir()} == {
        "api_costs.csv", "breakeven_summary.csv", "gpu_cloud.csv"}
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == ["01-costs.ipynb", "02-widget.ipynb"]


def test_data_changing_during_a_run_fails_it(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01-one.ipynb", 'tables_dir = ""  # report runs set this', "1 + 1")
    hashes = iter([{"data/api_prices.csv": "before"}, {"data/api_prices.csv": "after"}])
    monkeypatch.setattr(report.runner, "data_hashes", lambda *args: next(hashes))
    code, folder, lines = run(ARTICLE, tmp_path / "reports", notebooks)
    assert code == report.EXIT_FAILED and folder.name == DATE + report.FAILED_SUFFIX
    run_json = json.loads((folder / "run.json").read_text())
    assert run_json["problems"] == ["data/api_prices.csv changed during the run"]
    assert "data/api_prices.csv changed during the run" in (folder / "index.html").read_text()
    assert lines[-1].startswith("failed: data/api_prices.csv changed")


# ------------------------------------------------------------------------------------------
# Bad input stops the run once, before any notebook


def _data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    copy.mkdir()
    for csv in paths.DATA_DIR.glob("*.csv"):
        (copy / csv.name).write_bytes(csv.read_bytes())
    return copy


def test_a_bad_csv_stops_the_run_once_naming_file_line_and_column(tmp_path):
    copy = _data_copy(tmp_path)
    lines = (copy / "gpu_cloud.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("usd_per_hour")] = "two dollars"
    lines[2] = ",".join(cells)
    (copy / "gpu_cloud.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    with pytest.raises(report.ReportError) as raised:
        report.run_report(ARTICLE, DATE, out, fixture_notebooks(tmp_path / "notebooks"), data_dir=copy)
    message = str(raised.value)
    assert "gpu_cloud.csv, line 3, column usd_per_hour" in message and "no notebook was run" in message
    assert message.count("usd_per_hour") == 1, "one problem, reported once"
    assert not out.exists(), "nothing written"


def test_a_csv_that_is_not_utf8_gets_one_line_naming_it(tmp_path):
    copy = _data_copy(tmp_path)
    text = (copy / "api_prices.csv").read_bytes()
    first_row_end = text.index(b"\n", text.index(b"\n") + 1)
    (copy / "api_prices.csv").write_bytes(text[:first_row_end] + b" caf\xe9" + text[first_row_end:])
    with pytest.raises(report.ReportError) as raised:
        report.run_report(ARTICLE, DATE, tmp_path / "reports", fixture_notebooks(tmp_path / "notebooks"),
                          data_dir=copy)
    problems = [line for line in str(raised.value).splitlines() if "api_prices.csv" in line]
    assert len(problems) == 1 and "line 2" in problems[0] and "not UTF-8" in problems[0], problems
    assert not (tmp_path / "reports").exists()


def test_a_scenario_that_is_not_utf8_gets_one_line_naming_it(tmp_path, capsys):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("description: caf\u00e9 scenario\n".encode("latin-1"))
    code = report.main(["--scenario", str(bad), "--date", DATE, "--out", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert code == report.EXIT_BAD_INPUT
    assert str(bad) in err and "not UTF-8 text" in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


# ------------------------------------------------------------------------------------------
# A kernel that dies before it replies


def _dying_kernel(monkeypatch, deaths: int):
    """Make the first ``deaths`` kernel starts fail the way a port race does."""
    real = report.execute._execute
    calls = []

    def execute(notebook, executed, parameters, timeout):
        calls.append(notebook.stem)
        if len(calls) <= deaths:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(notebook, executed, parameters, timeout)

    monkeypatch.setattr(report.execute, "_execute", execute)
    return calls


def test_a_kernel_that_dies_before_replying_is_started_again(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01-one.ipynb", 'tables_dir = ""  # report runs set this', "1 + 1")
    calls = _dying_kernel(monkeypatch, deaths=1)
    code, folder, lines = run(ARTICLE, tmp_path / "reports", notebooks, jobs=1)
    assert code == report.EXIT_OK and calls == ["01-one", "01-one"]
    assert any(line.startswith("  retry    01-one: the kernel died before it replied") for line in lines)
    (nb,) = json.loads((folder / "run.json").read_text())["notebooks"]
    assert nb["status"] == "passed" and nb["kernel_restarts"] == 1


def test_a_kernel_that_keeps_dying_fails_its_notebook_after_bounded_starts(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01-one.ipynb", 'tables_dir = ""  # report runs set this', "1 + 1")
    calls = _dying_kernel(monkeypatch, deaths=100)
    code, folder, _ = run(ARTICLE, tmp_path / "reports", notebooks, jobs=1)
    assert code == report.EXIT_FAILED and len(calls) == report.KERNEL_START_ATTEMPTS
    (nb,) = json.loads((folder / "run.json").read_text())["notebooks"]
    assert nb["error"].endswith(f"(the kernel was started {report.KERNEL_START_ATTEMPTS} times)")


def test_a_failing_cell_is_not_retried(tmp_path, monkeypatch):
    notebooks = fixture_notebooks(tmp_path / "notebooks", failing=True)
    calls = _dying_kernel(monkeypatch, deaths=0)
    run(ARTICLE, tmp_path / "reports", notebooks, jobs=1)
    assert calls.count("03-fails") == 1


# ------------------------------------------------------------------------------------------
# nbval on a report


def test_verify_report_passes_on_a_fresh_report_and_fails_on_an_altered_one(good_run, tmp_path):
    _, folder, _ = good_run
    out = tmp_path / "reports"
    copy = out / folder.name
    shutil.copytree(folder, copy)
    lines = []
    assert verify.verify(copy, log=lines.append) == verify.EXIT_OK, "\n".join(lines)
    run_json = json.loads((copy / "run.json").read_text())
    assert run_json["verification"]["status"] == "passed"
    assert run_json["verification"]["notebooks"] == {"01-costs": "passed", "02-widget": "passed"}
    assert "Re-executed with nbval" in (copy / "index.html").read_text()
    assert not list(copy.glob("tables/*.csv.*")) and not (copy / "tables" / "tables").exists()

    # Alter one stored output of the executed notebook: nbval must see it.
    nb = nbformat.read(copy / "01-costs.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "summary" in c.source and c.outputs)
    data = cell.outputs[0]["data"]
    data["text/plain"] = data["text/plain"].replace("GPT-5", "GPT-6")
    nbformat.write(nb, copy / "01-costs.ipynb")
    lines = []
    assert verify.verify(copy, log=lines.append) == verify.EXIT_DIFFERS
    run_json = json.loads((copy / "run.json").read_text())
    assert run_json["verification"]["status"] == "failed"
    assert run_json["verification"]["notebooks"]["01-costs"] == "failed"
    assert run_json["verification"]["notebooks"]["02-widget"] == "passed"
    assert "outputs differ in 01-costs" in (copy / "index.html").read_text()
    assert verify.main(["--out", str(out), "--date", "1999-01-01"]) == verify.EXIT_NO_RUN


def test_a_second_report_names_the_first_and_what_moved_and_why(project_reports):
    (_, first, _), (code, second, _) = project_reports
    assert code == report.EXIT_OK
    # By hand from the data rows: GPT-5's blend and the A100's hourly price, 720 hours, and the
    # scale scenario's 50% spot discount halving the GPU bill.
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    blended = (gpt5["usd_per_1m_input"] + gpt5["usd_per_1m_output"]) / 2
    a100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")["usd_per_hour"]
    old_breakeven = a100 * 720 / blended * 1e6
    new_breakeven = a100 * 720 * 0.5 / blended * 1e6

    moved = pd.read_csv(second / "tables" / "changes.csv")
    row = moved[(moved["table"] == "breakeven_summary") & (moved["key"] == "GPT-5")
                & (moved["column"] == "breakeven_tokens_per_month")].iloc[0]
    assert float(row["old"]) == pytest.approx(old_breakeven, abs=1)
    assert float(row["new"]) == pytest.approx(new_breakeven, abs=1)
    assert float(row["change_share"]) == pytest.approx(-0.5, abs=1e-6)

    run_json = json.loads((second / "run.json").read_text())
    assert run_json["changes"]["previous"] == {
        "folder": DATE, "date": DATE, "scenario_file": "params/article.yaml",
        "finished_at": json.loads((first / "run.json").read_text())["finished_at"]}
    causes = run_json["changes"]["causes"]
    assert "scenario file params/article.yaml -> params/scale-200m-per-day-spot.yaml" in causes
    assert "scenario spot_discount: not set (the article's value) -> 0.5" in causes
    assert not any(c.startswith("data/") for c in causes), "same data files"

    index = (second / "index.html").read_text()
    assert f'href="../{DATE}/index.html">the report of {DATE}</a>' in index
    assert "params/article.yaml" in index and "scenario spot_discount" in index
    # each moved figure says which API (or GPU, component) it is about, once, in words
    assert "GPT-5: breakeven, tokens a month" in index and "breakeven_tokens_per_month" not in index
    figures = list(moved["figure"])
    assert len(figures) == len(set(figures)), figures
    assert "GPT-5: API bill a month" in figures and "Workload: tokens a month" in figures
    assert ">256M<" in index and ">128M<" in index and "-128M (-50%)" in index


def test_kernels_skip_only_the_checks_of_the_very_bytes_the_run_validated(tmp_path, monkeypatch):
    monkeypatch.delenv(data.VALIDATED_ENV, raising=False)
    report.check_data()
    trusted = set(os.environ[data.VALIDATED_ENV].split(";"))
    assert {key.split(":")[0] for key in trusted} == set(data.SPECS)
    # Other bytes under the same name are checked in full.
    copy = _data_copy(tmp_path)
    text = (copy / "gpu_cloud.csv").read_text(encoding="utf-8").replace(",2.", ",two.", 1)
    (copy / "gpu_cloud.csv").write_text(text, encoding="utf-8")
    with pytest.raises(data.DataValidationError, match="not a number"):
        data.read_table(copy / "gpu_cloud.csv", "gpu_cloud")


def test_cell_timings_count_the_figures_and_their_cells(tmp_path):
    """Where a notebook's seconds went (make bench): papermill's per-cell durations summed, the
    cells that drew a figure apart, the slowest first."""
    from helpers.report.execute import NotebookResult, cell_timings

    nb = new_notebook(cells=[new_markdown_cell("# t"), new_code_cell("x = 1"), new_code_cell("plot()"),
                             new_code_cell("two()")])
    durations = {1: 0.5, 2: 0.25, 3: 1.0}
    for index, seconds in durations.items():
        nb.cells[index].metadata["papermill"] = {"duration": seconds}
    picture = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    nb.cells[2].outputs = [picture]
    nb.cells[3].outputs = [picture, picture]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    result = NotebookResult("n")
    cell_timings(path, result, keep=2)
    assert (result.cells_s, result.figures_s, result.figures) == (1.75, 1.25, 3)
    assert result.slowest_cells == [[1.0, "two()"], [0.5, "x = 1"]]
