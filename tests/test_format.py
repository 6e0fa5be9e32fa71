"""helpers.show.format: the one token and one dollar formatter, and the table style chosen by
column names. Expected texts are written out by hand from the article's figures."""
import math

import numpy as np
import pandas as pd
import pytest

from helpers.show import format as fmt


@pytest.mark.parametrize("tokens, text", [
    (256_000_000, "256M"), (3_888_000_000, "3.89B"), (8_533_333, "8.53M"), (300_000_000, "300M"),
    (1_440, "1.44k"), (12, "12"), (math.inf, "never"), (None, fmt.DASH), (float("nan"), fmt.DASH),
])
def test_tokens_text(tokens, text):
    assert fmt.tokens_text(tokens) == text


@pytest.mark.parametrize("usd, text", [
    (1440, "$1,440"), (1687.5, "$1,688"), (168.75, "$169"), (5.625, "$5.63"), (0.2, "$0.20"),
    (9.994, "$9.99"), (10, "$10"), (-5, "-$5.00"), (-1440, "-$1,440"), (pd.NA, fmt.DASH),
    (math.inf, "$\u221e"), (np.float64(1440.0), "$1,440"),
])
def test_usd_text_shows_cents_only_under_ten_dollars(usd, text):
    assert fmt.usd_text(usd) == text


@pytest.mark.parametrize("usd, text", [(1440, "$1,440"), (1687.5, "$1,687.50"), (5.625, "$5.625")])
def test_exact_dollars_keep_every_digit_of_the_arithmetic(usd, text):
    assert fmt.usd_text(usd, exact=True) == text


def test_share_and_plain_numbers():
    assert fmt.share_text(0.5) == "50%" and fmt.share_text(0.034) == "3.4%"
    assert fmt.number_text(2102189781.0218976) == "2,102,189,781"
    assert fmt.number_text(1.23456789) == "1.23" and fmt.number_text(np.int64(1500)) == "1,500"
    assert fmt.number_text(True) == "yes" and fmt.number_text(np.bool_(False)) == "no"


@pytest.mark.parametrize("column, kind", [
    ("usd_per_month", "usd"), ("api_usd_per_month", "usd"), ("blended_usd_per_1m", "usd"),
    ("usd_price", "usd"), ("monthly_tokens", "tokens"), ("breakeven_tokens_per_month", "tokens"),
    ("tokens_per_s", "number"), ("input_share", "share"), ("article_month_verdict", "verdict"),
    ("verdict", "verdict"), ("cost_ratio", "number"), ("api_model", "number"),
])
def test_column_kind_from_names(column, kind):
    assert fmt.column_kind(column) == kind


@pytest.fixture()
def frame():
    return pd.DataFrame({
        "api_model": ["GPT-5", "DeepSeek V3.2"],
        "usd_per_month": [1440.0, 5.625],
        "breakeven_tokens_per_month": [256_000_000.0, 2_102_189_781.0218976],
        "input_share": [0.5, 0.5],
        "article_value": [np.nan, 3.0],
        "article_month_verdict": ["erratum", "holds"],
    })


def test_styled_html_formats_by_column_and_hides_the_index(frame):
    html = fmt.frame_html(frame)
    for text in ("$1,440", "$5.63", "256M", "2.1B", "50%", fmt.DASH, "erratum"):
        assert text in html, text
    assert "NaN" not in html and "1440.0" not in html and "2102189781" not in html
    assert 'class="row_heading' not in html, "no index column"
    assert "#b00020" in html and "#176f2c" in html, "verdicts coloured"


def test_styled_html_is_the_same_text_every_time(frame):
    assert fmt.frame_html(frame) == fmt.frame_html(frame.copy())
    assert fmt.frame_html(frame) != fmt.frame_html(frame.iloc[:1])


def test_a_labelled_index_is_kept_as_a_column(frame):
    html = fmt.frame_html(frame.set_index("api_model"))
    assert "GPT-5" in html and ">api_model<" in html


def test_display_options_installs_the_html_view_in_ipython(frame):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        fmt.display_options()
        bundle, _ = shell.display_formatter.format(frame)
        assert "$1,440" in bundle["text/html"]
        assert "1440.0" in bundle["text/plain"], "the plain-text view stays pandas' own"
    finally:
        InteractiveShell.clear_instance()


def test_prose_escapes_dollar_signs_for_markdown():
    assert fmt.prose("**$1,440** against ~$168").data == r"**\$1,440** against ~\$168"
