"""The API / rent / buy chart draws the three bills derive priced."""
import dataclasses

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from helpers.derive import derive  # noqa: E402
from helpers.scenario import Scenario  # noqa: E402
from helpers.show.ownership_plots import api_rent_buy  # noqa: E402


def test_three_lines_hold_the_api_rented_and_bought_bills():
    node = Scenario(gpu="8x NVIDIA H100 SXM (Lambda)")
    volumes = np.array([1e8, 1e10, 1e11])
    rented = derive(node, tokens_per_month=volumes)
    bought = derive(dataclasses.replace(node, acquisition="buy"), tokens_per_month=volumes)
    ax = api_rent_buy(rented, bought)
    lines = ax.get_lines()
    assert len(lines) == 3
    assert np.allclose(lines[0].get_ydata(), volumes / 1e6 * (1.25 + 10.00) / 2)  # GPT-5 at 50/50
    assert np.allclose(lines[1].get_ydata(), rented.tco_usd_per_month)
    assert np.allclose(lines[2].get_ydata(), bought.tco_usd_per_month)
    assert "Buy" in lines[2].get_label() and ax.get_xscale() == "log"
    plt.close(ax.figure)
