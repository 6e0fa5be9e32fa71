"""Shared fixtures: the article's printed figures and the data rows they come from."""
import pytest

from helpers import article, data


@pytest.fixture(scope="session")
def printed():
    """The article's printed figures, indexed by figure_id (data/article_figures.csv)."""
    return article.figures()


@pytest.fixture(scope="session")
def prices():
    return data.load("api_prices").set_index("model")


@pytest.fixture(scope="session")
def a100_usd_per_hour():
    return float(data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")["usd_per_hour"])


def within_print(recomputed, figure):
    """True when the recomputed figure rounds to the printed one (half a unit of its last digit)."""
    return abs(recomputed - figure["value"]) <= figure["resolution"] / 2 + 1e-9 * abs(figure["value"])
