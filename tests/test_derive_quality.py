"""Per-task costs at equal quality, worked by hand from the CSV rows: data/gpu_cloud.csv's A100
($2.00/h, 720 h: $1,440), data/hidden_costs.csv's points (15 h x $100 + $300 = $1,800),
data/api_prices.csv's GPT-5 ($1.25 / $10.00), data/model_quality.csv's MMLU (GPT-5 92%,
Llama 3.3 70B (4-bit) 79%, the article's set-up being 4-bit)."""
import dataclasses

import matplotlib
import numpy as np
import pandas as pd
import papermill
import pytest

from helpers import paths
from helpers.data.errors import DataValidationError
from helpers.data.task_evals import load_task_evals
from helpers.derive import derive
from helpers.derive.quality import Quality, cheapest_at_quality, drawn_rates, p_cheapest, per_task
from helpers.report import contract, pages
from helpers.scenario import Scenario
from helpers.show.quality_plots import quality_vs_cost

TCO = 2.00 * 720 + 15 * 100 + 300  # $3,240
GPT5_ATTEMPT = (1500 * 1.25 + 500 * 10.00) / 1e6  # $0.006875
TASKS = 1000 * 30


def _scenario(**changes):
    return dataclasses.replace(Scenario(api_models=("GPT-5",)), tasks_per_day=1000, input_tokens_per_attempt=1500,
                               output_tokens_per_attempt=500, **changes)


def _rows(result):
    return {row["kind"]: row for row in result.rows}


def test_retry_by_hand():
    rows = _rows(per_task(_scenario()))
    api, own = rows["API"], rows["self-hosted"]
    assert api["success_rate"] == 0.92 and "MMLU 92%" in api["success_rate_source"]
    assert api["attempts_per_success"] == pytest.approx(1 / 0.92)
    assert api["tokens_per_month"] == pytest.approx(TASKS * 2000 / 0.92)
    assert api["usd_per_month"] == pytest.approx(TASKS * GPT5_ATTEMPT / 0.92)  # $224.18
    assert api["usd_per_1k_successes"] == pytest.approx(GPT5_ATTEMPT / 0.92 * 1000)
    assert own["success_rate"] == 0.79 and own["replicas"] == 1
    assert own["usd_per_month"] == pytest.approx(TCO)
    # no marginal cost a task on the deployment: the breakeven is its bill over the API's cost a task
    assert api["breakeven_tasks_per_day"] == pytest.approx(TCO / (GPT5_ATTEMPT / 0.92) / 30)  # 14,452
    assert api["breakeven_selfhost_tokens_per_day"] == pytest.approx(api["breakeven_tasks_per_day"] * 2000 / 0.79)


def test_escalate_by_hand():
    rows = _rows(per_task(_scenario(on_failure="escalate", escalate_api_model="GPT-5")))
    hybrid = rows["escalate"]
    to_api = 0.21 / 0.92  # attempts a task on GPT-5
    assert hybrid["attempts_per_success"] == pytest.approx(1 + to_api)
    assert hybrid["tokens_per_month"] == pytest.approx(TASKS * 2000 * (1 + to_api))
    assert hybrid["usd_per_month"] == pytest.approx(TCO + TASKS * to_api * GPT5_ATTEMPT)  # $3,287.08
    saving = GPT5_ATTEMPT / 0.92 - to_api * GPT5_ATTEMPT
    assert rows["API"]["breakeven_tasks_per_day"] == pytest.approx(TCO / saving / 30)  # 18,294


def test_review_by_hand():
    rows = _rows(per_task(_scenario(on_failure="review", review_usd_per_failure=0.05)))
    api, own = rows["API"], rows["self-hosted"]
    assert api["attempts_per_success"] == 1 and api["tokens_per_month"] == TASKS * 2000
    assert api["usd_per_month"] == pytest.approx(TASKS * GPT5_ATTEMPT + TASKS * 0.08 * 0.05)  # $326.25
    assert own["usd_per_month"] == pytest.approx(TCO + TASKS * 0.21 * 0.05)  # $3,555
    saving = GPT5_ATTEMPT + 0.08 * 0.05 - 0.21 * 0.05
    assert saving > 0
    assert api["flat_breakeven_tasks_per_day"] == pytest.approx(TCO / saving / 30)  # 288,000 on one deployment
    # with steps: a full A100 (1,500 tokens/s: 3.888B tokens, 1.944M tasks a month) saves
    # 1.944M x $0.000375 = $729 against its $1,440: no number of replicas pays for itself
    assert api["breakeven_tasks_per_day"] == np.inf


def test_with_equal_success_rates_every_per_task_figure_is_the_per_token_figure(tmp_path):
    evals = tmp_path / "evals.csv"
    evals.write_text("model,tasks,successes,input_tokens_per_attempt,output_tokens_per_attempt\n"
                     "GPT-5,200,160,1500,500\nClaude Sonnet 4.5,200,160,1500,500\nLlama 3.3 70B,200,160,1500,500\n")
    for tasks_per_day in (1000, 2_000_000):  # one deployment, then several
        s = dataclasses.replace(Scenario(api_models=("GPT-5", "Claude Sonnet 4.5")), tasks_per_day=tasks_per_day,
                                task_evals=str(evals))
        tokens = tasks_per_day * 30 * 2000 / 0.8
        by_token = derive(dataclasses.replace(s, input_share=0.75), tokens_per_month=tokens)
        rows = {row["option"]: row for row in per_task(s).rows}
        for model in s.api_models:
            assert rows[model]["tokens_per_month"] == pytest.approx(tokens)
            assert rows[model]["usd_per_month"] == pytest.approx(by_token.at("api_usd_per_month", model))
            assert rows[model]["breakeven_selfhost_tokens_per_day"] * 30 == pytest.approx(
                by_token.at("stepped_tco_breakeven_tokens_per_month", model))
            assert rows[model]["flat_breakeven_tasks_per_day"] * 30 * 2000 / 0.8 == pytest.approx(
                by_token.at("tco_breakeven_tokens_per_month", model))
        own = rows["Llama 3.3 70B (self-hosted)"]
        assert own["usd_per_month"] == pytest.approx(by_token.at("tco_usd_per_month"))
        assert own["replicas"] == by_token.at("replicas")
    assert own["replicas"] > 1


def test_the_example_evaluation_file_loads():
    frame = load_task_evals("data/task_evals_example.csv")
    assert frame.set_index("model").at["GPT-5", "success_rate"] == 184 / 200


def test_a_bad_evaluation_file_names_file_line_and_column(tmp_path):
    bad = tmp_path / "evals.csv"
    bad.write_text("model,tasks,successes,input_tokens_per_attempt,output_tokens_per_attempt\n"
                   "GPT-6,10,5,100,100\nGPT-5,10,11,100,100\nClaude Sonnet 4.5,0,0,100,100\n"
                   "DeepSeek V3.2,ten,5,100,100\n")
    with pytest.raises(DataValidationError) as raised:
        load_task_evals(bad)
    text = str(raised.value)
    assert "line 2, column model: unknown model 'GPT-6'" in text
    assert "line 3, column successes: 11 successes of 10 tasks" in text
    assert "line 4, column tasks: zero tasks" in text
    assert "line 5, column tasks: not a whole number" in text
    assert str(bad) in text
    assert len(raised.value.problems) == 4


def test_the_index_names_the_cheapest_option_per_successful_task(tmp_path):
    s = Scenario.load("params/tasks-escalate-example-evals.yaml")
    frame = per_task(s).frame()
    contract.save(frame, "quality", tmp_path)
    assert not contract.contract_problems(tmp_path, {"quality": contract.CONTRACT["quality"]})
    # by hand from the example file: Gemini 2.5 Flash, 158 of 200, 1,500 in and 500 out at
    # $0.15 / $0.60 per 1M (data/api_prices.csv): $0.000525 an attempt / 0.79 = $0.66 per 1,000 tasks
    line = pages.quality_html(tmp_path)
    assert "(20,000 tasks/day), the cheapest option is <b>Gemini 2.5 Flash</b>: $0.66 per 1,000" in line
    # the self-hosted Llama (150 of 200, 1,800 + 500 tokens): one A100 with hidden costs, $3,240
    # for 600,000 tasks: $5.40 per 1,000
    assert "best self-hosted option, Llama 3.3 70B (self-hosted), costs $5.40 per 1,000" in line
    assert "task_evals data/task_evals_example.csv: 158 of 200 tasks)" in line
    # Gemini's dearest draw is far below every other option's cheapest: the cheapest in every draw
    assert "the cheapest in 100% of draws of the evaluated success rates" in line
    assert pages.quality_html(tmp_path / "nothing") == ""


def test_evaluated_rates_are_drawn_from_their_beta_and_benchmark_rates_stay_fixed():
    found = {"A": Quality("A", 0.9, "eval", 100, 100, successes=90, tasks=100),
             "B": Quality("B", 0.8, "MMLU stand-in", 100, 100)}
    rates = drawn_rates(found, draws=20_000, seed=1)
    # Beta(91, 11): mean 91 / 102 = 0.892, sd sqrt(91 * 11 / (102^2 * 103)) = 0.0305
    assert rates["A"].mean() == pytest.approx(91 / 102, abs=0.002)
    assert rates["A"].std() == pytest.approx((91 * 11 / (102 ** 2 * 103)) ** 0.5, rel=0.05)
    assert np.all(rates["B"] == 0.8)
    assert p_cheapest({"x": [1.0, 3.0, 2.0, 3.0], "y": [2.0, 1.0, 3.0, 4.0]}) == {"x": 0.75, "y": 0.25}


def test_close_evaluations_leave_the_cheapest_uncertain(tmp_path):
    """Two APIs at the same price and rates 0.80 and 0.81 after 100 tasks each: either may be the
    cheaper; with 100,000 tasks each the better one is, nearly always."""
    for tasks, low, high in ((100, 0.2, 0.8), (100_000, 0.99, 1.0)):
        evals = tmp_path / f"evals{tasks}.csv"
        evals.write_text("model,tasks,successes,input_tokens_per_attempt,output_tokens_per_attempt\n"
                         f"GPT-5,{tasks},{tasks * 80 // 100},1000,1000\n"
                         f"Claude Sonnet 4.5,{tasks},{tasks * 81 // 100},1000,1000\n"
                         "Llama 3.3 70B,100,1,1000,1000\n")  # out of the running: ~50 attempts a task
        s = dataclasses.replace(Scenario(api_models=("GPT-5", "Claude Sonnet 4.5")), task_evals=str(evals),
                                usd_per_1m_input=3.0, usd_per_1m_output=15.0)  # GPT-5 at Claude's prices
        rows = {row["option"]: row for row in per_task(s).rows}
        assert low <= rows["Claude Sonnet 4.5"]["p_cheapest"] <= high
        assert sum(row["p_cheapest"] for row in rows.values()) == pytest.approx(1.0)


def test_the_cheapest_at_each_quality_level():
    frame = pd.DataFrame({"success_rate": [0.92, 0.90, 0.79, 0.75], "usd_per_1k_successes": [12.0, 20.0, 0.7, 5.4]})
    # 0.90 at $20 is beaten by 0.92 at $12; 0.75 at $5.40 by 0.79 at $0.70
    assert cheapest_at_quality(frame).tolist() == [True, False, True, False]


def test_the_quality_chart_marks_the_frontier():
    matplotlib.use("Agg")
    frame = per_task(Scenario.load("params/tasks-escalate-example-evals.yaml")).frame()
    ax = quality_vs_cost(frame)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:len(frame)] == frame["option"].tolist() and labels[-1] == "cheapest at its quality"
    assert ax.get_xscale() == "log"


def test_a_model_that_never_succeeded_is_left_out_with_a_note(tmp_path):
    evals = tmp_path / "evals.csv"
    evals.write_text("model,tasks,successes,input_tokens_per_attempt,output_tokens_per_attempt\n"
                     "GPT-5,50,0,1000,1000\nLlama 3.3 70B,50,40,1000,1000\n")
    result = per_task(dataclasses.replace(Scenario(api_models=("GPT-5",)), task_evals=str(evals)))
    assert [row["option"] for row in result.rows] == ["Llama 3.3 70B (self-hosted)"]
    assert any("GPT-5: no success in task_evals" in note for note in result.notes)


@pytest.mark.parametrize("mode, option, expected_usd", [
    ("retry", "GPT-5", TASKS * GPT5_ATTEMPT / 0.92),
    ("escalate", "Llama 3.3 70B (self-hosted) escalating to GPT-5", TCO + TASKS * 0.21 / 0.92 * GPT5_ATTEMPT),
    ("review", "Llama 3.3 70B (self-hosted)", TCO + TASKS * 0.21 * 0.05),
])
def test_the_reports_quality_table_states_the_hand_worked_figures(tmp_path, mode, option, expected_usd):
    """Notebook 04 run as a report runs it writes tables/quality.csv with the figures above."""
    overrides = {"api_models": ["GPT-5"], "tasks_per_day": 1000, "input_tokens_per_attempt": 1500,
                 "output_tokens_per_attempt": 500, "on_failure": mode, "escalate_api_model": "GPT-5",
                 "review_usd_per_failure": 0.05}
    papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "04-hidden-costs.ipynb"), str(tmp_path / "out.ipynb"),
                               cwd=str(tmp_path), progress_bar=False, kernel_name="python3",
                               parameters={"scenario": overrides, "tables_dir": str(tmp_path / "tables")})
    table = pd.read_csv(tmp_path / "tables" / "quality.csv").set_index("option")
    assert table.at[option, "usd_per_month"] == pytest.approx(expected_usd)
    assert table.at[option, "usd_per_1k_successes"] == pytest.approx(expected_usd / TASKS * 1000)


def test_without_an_evaluation_nothing_is_drawn_and_the_index_claims_no_odds(tmp_path):
    """Benchmark stand-ins are fixed rates: no share of draws is stated (it would always read 0%
    or 100%), in the table or on the index."""
    result = per_task(Scenario())
    assert all(np.isnan(row["p_cheapest"]) for row in result.rows)
    tables = tmp_path / "tables"
    tables.mkdir()
    pd.DataFrame(result.rows).to_csv(tables / "quality.csv", index=False)
    line = pages.quality_html(tables)
    assert "the cheapest option is" in line and "draws" not in line
