"""helpers.costs.tco against the Total Cost Adjustment table."""
import pytest

from helpers import data
from helpers.costs import selfhost, tco
from tests.conftest import within_print


def test_total_cost_adjustment_table_matches_article(printed, a100_usd_per_hour):
    parts = tco.tco_components(selfhost.gpu_usd_per_month(a100_usd_per_hour),
                               data.hidden_cost("devops_hours_per_month"),
                               data.hidden_cost("devops_usd_per_hour"),
                               data.hidden_cost("infrastructure_usd_per_month"))
    for component, figure_id in [("gpu_rental", "tco.gpu"), ("devops_time", "tco.devops"),
                                 ("infrastructure_overhead", "tco.infrastructure"),
                                 ("true_monthly_cost", "tco.total")]:
        assert within_print(parts[component], printed.loc[figure_id]), component


def test_devops_range_is_750_to_3000():
    low = tco.devops_usd_per_month(data.hidden_cost("devops_hours_per_month", "low"),
                                   data.hidden_cost("devops_usd_per_hour", "low"))
    high = tco.devops_usd_per_month(data.hidden_cost("devops_hours_per_month", "high"),
                                    data.hidden_cost("devops_usd_per_hour", "high"))
    assert (low, high) == (750, 3000)


def test_article_table_multiplier_lies_outside_its_rule_of_thumb():
    """3,240 / 1,440 = 2.25x, above the "1.3x to 2.0x" the article states."""
    multiplier = tco.tco_multiplier(3240, 1440)
    assert multiplier == pytest.approx(2.25)
    assert multiplier > data.hidden_cost("tco_multiplier", "high")


def test_bad_inputs_rejected():
    with pytest.raises(ValueError):
        tco.devops_usd_per_month(-1, 100)
    with pytest.raises(ValueError):
        tco.tco_components(1440, 15, 100, -300)
    with pytest.raises(ValueError):
        tco.tco_multiplier(3240, 0)
