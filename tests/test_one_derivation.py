"""One derivation: every table that states the stepped breakeven with hidden costs states the
same figure, whatever the scenario. The tornado's breakeven at the points (tables/tornado.csv),
the uncertainty notebook's crossings with every distribution collapsed to its point,
what_if.csv's stepped_tco_breakeven_tokens_per_month and breakeven_summary.csv's are each
built by the function that writes that table, under every shipped scenario and under the
scenario fields that change the breakeven's steps (spare replicas, a load profile, each
scaling) or that must not (the hybrid example's)."""
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.article import tables
from helpers.derive import derive, what_if_row
from helpers.scenario import Scenario
from helpers.uncertainty import montecarlo

SHIPPED = {path.stem: Scenario.load(path) for path in sorted(Path("params").glob("*.yaml"))}
FIELDS = {
    "spare_replicas: 1": Scenario(spare_replicas=1),
    "global_consumer, always_on": Scenario(load_profile="global_consumer", scaling="always_on"),
    "global_consumer, scheduled": Scenario(load_profile="global_consumer", scaling="scheduled"),
    "business_hours, scheduled, 1 spare": Scenario(load_profile="business_hours", scaling="scheduled",
                                                   spare_replicas=1, tokens_per_day=200_000_000),
    "hybrid example moved": Scenario(hybrid_monthly_tokens=2e9, hybrid_api_share=0.4),
    "spot, 2 GPUs, global_consumer": Scenario(spot_discount=0.5, gpu_count=2, load_profile="global_consumer",
                                              api_models=("DeepSeek V3.2", "GPT-5")),
}
SCENARIOS = {**SHIPPED, **FIELDS}


def whole_tokens(volume) -> float:
    """A table's volume as whole tokens; inf for never (an empty cell or an infinite float)."""
    if volume is None or pd.isna(volume) or not math.isfinite(float(volume)):
        return math.inf
    return float(round(float(volume)))


def test_the_scenarios_cover_every_scaling_and_a_shaped_load():
    assert {s.scaling for s in SCENARIOS.values()} == {"always_on", "scheduled"}
    assert {s.load_profile for s in SCENARIOS.values()} >= {"flat", "global_consumer", "business_hours"}
    assert all(s.api_price_change_per_year == 0 for s in SCENARIOS.values())  # flat prices: one figure


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_table_states_the_same_stepped_breakeven_with_hidden_costs(name):
    s = SCENARIOS[name]
    result = derive(s)
    summary = tables.breakeven_summary(result).set_index("api_model")
    mc = montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=20, inputs=montecarlo.collapsed(s))
    crossings = montecarlo.crossings_table(mc).set_index("api_model")
    for model in s.api_models:
        tornado = montecarlo.tornado(s, api_model=model)
        assert len(tornado), f"{name}: no uncertain input, so no tornado row to read"
        stated = {
            "tornado.csv at the points": whole_tokens(tornado["breakeven_tokens_per_month_at_point"].iloc[0]),
            "what_if.csv": whole_tokens(what_if_row(result, model)["stepped_tco_breakeven_tokens_per_month"]),
            "breakeven_summary.csv": whole_tokens(summary.loc[model, "stepped_tco_breakeven_tokens_per_month"]),
            **{f"crossing at {level:.0%}, collapsed":
               whole_tokens(crossings.loc[model, f"tokens_per_month_p{level * 100:.0f}"])
               for level in montecarlo.CROSSING_LEVELS},
        }
        assert len(set(stated.values())) == 1, f"{name}, {model}: {stated}"


def test_the_figure_follows_the_fields_that_shape_it():
    # Worked by hand against GPT-5 ($5.625 per 1M), one A100 ($1,440, 3.888B tokens a month) and
    # $1,800 of hidden costs: the article's (1,440 + 1,800) / 5.625 = 576M; one spare replica adds
    # its $1,440: 3,240 + 1,440 = 4,680 / 5.625 = 832M.
    assert derive(SCENARIOS["article"]).at("stepped_tco_breakeven_tokens_per_month", "GPT-5") == pytest.approx(576e6)
    assert derive(FIELDS["spare_replicas: 1"]).at("stepped_tco_breakeven_tokens_per_month", "GPT-5") \
        == pytest.approx(832e6)
    # DeepSeek V3.2 ($0.685 per 1M) against global_consumer, always on: one replica serves
    # 3.888B / peak load a month, so it earns less and the breakeven moves from 6.83B upwards.
    rows = pd.read_csv("data/load_profiles.csv").query("profile == 'global_consumer'")["relative_load"]
    peak = float(rows.max() / rows.mean())
    capacity = 3.888e9 / peak
    margin = capacity * 0.685 / 1e6 - 1440
    steps = max(1, math.ceil(1800 / margin))
    expected = (1800 + steps * 1440) / 0.685 * 1e6
    shaped = derive(FIELDS["global_consumer, always_on"]).at("stepped_tco_breakeven_tokens_per_month", "DeepSeek V3.2")
    assert shaped == pytest.approx(expected)
    assert shaped > 6.9e9 and np.isfinite(shaped)
