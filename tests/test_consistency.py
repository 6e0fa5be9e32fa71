"""One scenario, one answer: under every shipped scenario, and under one that moves every
self-hosting input, a report run's tables state the same self-hosting monthly cost and the
same breakevens, and those equal the figures worked out here by hand from the CSV rows.

Each run executes the notebooks that state a self-hosting cost (02, 03, 04, 05, 06, 08) headless
through the report runner, as ``make report SCENARIO=...`` does.
"""
import math
import shutil

import pandas as pd
import pytest
import yaml

from helpers import data, paths, report

NOTEBOOKS = ("02-self-hosting", "03-breakeven", "04-hidden-costs", "05-hybrid-and-decision",
             "06-capacity", "08-what-if")
EVERY_SELFHOST_INPUT = {
    "description": "moves every self-hosting input",
    "tokens_per_day": 150_000_000, "input_share": 0.6, "hours_per_month": 500, "gpu_count": 2,
    "spot_discount": 0.3, "devops_hours_per_month": 10, "devops_usd_per_hour": 150,
    "infrastructure_usd_per_month": 200,
}
SCENARIOS = [p.name for p in sorted(paths.PARAMS_DIR.glob("*.yaml"))] + ["every-selfhost-input"]


def by_hand(values: dict) -> dict:
    """The self-hosting side worked out from the CSV rows, with no helper but the loader."""
    setup = data.row(data.load("selfhost_setups"), "setup", values.get("setup", "article_a100_llama70b"))
    gpu = data.row(data.load("gpu_cloud"), "gpu", values.get("gpu", setup["gpu"]))
    hidden = data.load("hidden_costs").set_index("parameter")["point"]
    hours = values.get("hours_per_month", 24 * 30)
    count = values.get("gpu_count", 1)
    replica = gpu["usd_per_hour"] * hours * count * (1 - values.get("spot_discount", 0.0))
    if values.get("acquisition") == "buy":
        replica = owned_by_hand(values, gpu, hours, count)
    capacity = setup["tokens_per_s_conservative"] * 3600 * hours * count
    fixed = (values.get("devops_hours_per_month", hidden["devops_hours_per_month"])
             * values.get("devops_usd_per_hour", hidden["devops_usd_per_hour"])
             + values.get("infrastructure_usd_per_month", hidden["infrastructure_usd_per_month"]))
    share = values.get("input_share", 0.5)
    # the article's models, at the scenario's price source (both shares of cache and batch 0)
    table = "api_prices_current" if values.get("price_source") == "current" else "api_prices"
    prices = data.load(table).set_index("model").loc[data.load("api_prices")["model"]]
    blended = {m: share * prices.loc[m, "usd_per_1m_input"] + (1 - share) * prices.loc[m, "usd_per_1m_output"]
               for m in prices.index}
    monthly = values.get("tokens_per_day", 10_000_000) * values.get("days_per_month", 30)
    replicas = max(1, math.ceil(monthly / capacity))
    tco = replicas * replica + fixed
    # the headline API (the article's first, GPT-5) at the scenario's volume, and who wins:
    # level within 1% of each other, else the cheaper
    headline = values.get("api_models", ["GPT-5"])[0]
    api_usd = monthly / 1e6 * blended[headline]
    if max(api_usd, tco) <= 1.01 * min(api_usd, tco):
        winner = "Breakeven"
    else:
        winner = "API" if api_usd < tco else "Self-host"
    return {"replica": replica, "capacity": capacity, "fixed": fixed, "blended": blended,
            "monthly": monthly, "replicas": replicas, "tco": tco, "headline": headline,
            "api_usd": api_usd, "winner": winner}


def owned_by_hand(values: dict, gpu, hours: float, count: int) -> float:
    """A bought replica from the rows of ownership_hardware.csv and ownership_facility.csv:
    its share of the server's capital (annuity, straight-line at a rate of 0), energy,
    colocation and maintenance."""
    hardware = data.load("ownership_hardware")
    row = (hardware[hardware["hardware"] == values["owned_hardware"]] if "owned_hardware" in values
           else hardware[hardware["gpu_model"] == gpu["gpu_model"]]).iloc[0]
    facility = data.load("ownership_facility").set_index(["parameter", "site"])["point"]
    price = values.get("purchase_usd", row["purchase_usd"])
    months = values.get("depreciation_years", row["depreciation_years"]) * 12
    resale = values.get("residual_share", row["residual_share"]) * price
    rate = (1 + values.get("cost_of_capital_per_year", 0.0)) ** (1 / 12) - 1
    capital = (price - resale) / months if rate == 0 else \
        (price - resale / (1 + rate) ** months) * rate / (1 - (1 + rate) ** -months)
    power = values.get("power_kw", row["power_kw"])
    energy = power * facility[("pue", row["site"])] * hours * values.get("utilisation", 1.0) \
        * facility[("usd_per_kwh", row["site"])]
    colocation = power * facility[("colocation_usd_per_kw_month", row["site"])]
    maintenance = price * row["maintenance_share_per_year"] / 12
    return (capital + energy + colocation + maintenance) * gpu["gpu_count"] * count / row["gpu_count"]


@pytest.fixture(scope="module", params=SCENARIOS)
def run(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("consistency")
    notebooks = base / "notebooks"
    notebooks.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(paths.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    if request.param in [p.name for p in paths.PARAMS_DIR.glob("*.yaml")]:
        scenario_path = paths.PARAMS_DIR / request.param
    else:
        scenario_path = base / f"{request.param}.yaml"
        scenario_path.write_text(yaml.safe_dump(EVERY_SELFHOST_INPUT))
    # Only some of the notebooks run: the tables they do not write are not expected.
    code, folder = report.run_report(scenario_path, "2026-03-01", base / "reports", notebooks, jobs=2,
                                     log=lambda line: None, contract={})
    assert code == report.EXIT_OK, f"{request.param}: the report failed ({folder})"
    values = yaml.safe_load(scenario_path.read_text()) or {}
    return request.param, folder / "tables", by_hand(values)


def read(tables, name):
    return pd.read_csv(tables / f"{name}.csv")


def test_every_table_states_the_same_self_hosting_bill(run):
    name, tables, expected = run
    volumes = read(tables, "breakeven_volumes")
    assert volumes["selfhost_usd_per_month"].tolist() == pytest.approx([expected["replica"]] * len(volumes)), name
    components = read(tables, "tco_components").set_index("component")["usd_per_month"]
    assert components["gpu_rental"] == pytest.approx(expected["replica"]), name
    assert components["true_monthly_cost"] == pytest.approx(expected["replica"] + expected["fixed"]), name
    stepped = read(tables, "breakeven_stepped")
    assert stepped["replica_usd_per_month"].tolist() == pytest.approx([expected["replica"]] * len(stepped)), name
    article_rows = stepped[stepped["throughput_source"] == "article"]
    assert (article_rows["replica_tokens_per_month"] == round(expected["capacity"])).all(), name


def test_every_table_states_the_same_breakevens(run):
    name, tables, expected = run
    summary = read(tables, "breakeven_summary").set_index("api_model")
    stepped = read(tables, "breakeven_stepped")
    article_rows = stepped[stepped["throughput_source"] == "article"].set_index("api_model")
    for model, row in summary.iterrows():
        blended = expected["blended"][model]
        assert row["blended_usd_per_1m"] == pytest.approx(blended), (name, model)
        flat = expected["replica"] / blended * 1e6
        assert row["breakeven_tokens_per_month"] == round(flat), (name, model)
        assert row["tco_breakeven_tokens_per_month"] == round((expected["replica"] + expected["fixed"]) / blended * 1e6)
        assert article_rows.loc[model, "flat_breakeven_tokens_per_month"] == pytest.approx(flat), (name, model)


def test_the_scenarios_own_answer_counts_its_replicas(run):
    name, tables, expected = run
    what_if = read(tables, "what_if").iloc[0]
    assert what_if["tokens_per_month"] == round(expected["monthly"]), name
    assert what_if["replicas"] == expected["replicas"], name
    assert what_if["tco_usd_per_month"] == pytest.approx(expected["tco"]), name
    assert what_if["api_model"] == expected["headline"], name
    assert what_if["api_usd_per_month"] == pytest.approx(expected["api_usd"]), name
    assert what_if["winner"] == expected["winner"], name
    own_team = read(tables, "decision_cases").set_index("team").loc["this scenario (parameters)"]
    assert own_team["selfhost_tco_usd_per_month"] == pytest.approx(expected["tco"]), name
