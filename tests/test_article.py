"""helpers.article: the verdict rule."""
import pytest

from helpers import article


@pytest.mark.parametrize("recomputed, printed, resolution, expected", [
    (5.625, 5.63, 0.01, "holds"),          # rounds to the printed figure
    (25.6, 26, 1, "holds"),
    (3.5, 4, 1, "holds"),                  # half-up
    (1.855208, 1.85, 0.01, "rounding"),    # truncated
    (202.5, 200, 1, "rounding"),           # rounded to a round number (within 5%)
    (6.5, 8, 1, "erratum"),
    (1687.5, 168, 1, "erratum"),
])
def test_verdict(recomputed, printed, resolution, expected):
    assert article.verdict(recomputed, printed, resolution) == expected


def test_unknown_figure_id_names_the_file():
    with pytest.raises(KeyError, match="article_figures.csv"):
        article.figure("no.such.figure")


def test_volumes_of_article_tables():
    assert article.volumes_of_table("Breakeven vs DeepSeek V3.2") == [
        100_000_000, 500_000_000, 1_000_000_000, 2_100_000_000, 3_900_000_000]
