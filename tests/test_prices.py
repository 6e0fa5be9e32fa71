"""Today's API prices (helpers.tools.prices, data/api_prices_current.csv) and the arithmetic of
prompt caching and batching (helpers.costs.api).

The pinned prices were read by hand from the data of genai-prices 0.2.3 (its
``genai_prices/data.py``), at 2026-11-27T12:00:00Z; the cost examples are worked by hand here."""
import ast
import csv
import shutil
import socket
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from helpers import data, paths
from helpers.costs import api
from helpers.tools import prices

AT = "2026-11-27T12:00:00Z"
AT_DT = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

# model: (input, output, cached input or None, long-context threshold, input and output above it)
TODAY = {
    "GPT-5": (1.25, 10.00, 0.125, None),
    "Claude Sonnet 4.5": (3.00, 15.00, 0.30, (200_000, 6.00, 22.50)),
    "Gemini 2.5 Pro": (1.25, 10.00, 0.125, (200_000, 2.50, 15.00)),
    "Grok 3": (3.00, 15.00, 0.75, None),
    "Claude Opus 4.5": (5.00, 25.00, 0.50, None),
    "DeepSeek V3.2": (0.2288, 0.3432, None, None),      # fell from the article's 0.27 / 1.10
    "Gemini 2.5 Flash": (0.30, 2.50, 0.03, None),         # rose from the article's 0.15 / 0.60
    "GPT-4.1 Nano": (0.10, 0.40, 0.025, None),
    "Mistral Small 3.1": (0.351, 0.555, None, None),
    "Llama 3.3 70B (hosted)": (0.88, 0.88, None, None),  # Together AI
}


def _by_model(rows):
    return {r["model"]: r for r in rows}


def _num(text):
    return None if text == "" else float(text)


@pytest.fixture(scope="module")
def today_rows():
    return prices.rows(AT_DT)


@pytest.mark.parametrize("model", sorted(TODAY))
def test_todays_prices_of_the_article_models(model, today_rows):
    row = _by_model(today_rows)[model]
    usd_input, usd_output, usd_cached, tier = TODAY[model]
    assert float(row["usd_per_1m_input"]) == pytest.approx(usd_input)
    assert float(row["usd_per_1m_output"]) == pytest.approx(usd_output)
    assert _num(row["usd_per_1m_cached_input"]) == (pytest.approx(usd_cached) if usd_cached else None)
    if tier is None:
        assert row["long_context_threshold_tokens"] == ""
    else:
        threshold, long_input, long_output = tier
        assert int(row["long_context_threshold_tokens"]) == threshold
        assert float(row["usd_per_1m_input_long_context"]) == pytest.approx(long_input)
        assert float(row["usd_per_1m_output_long_context"]) == pytest.approx(long_output)
    assert row["priced_at"] == AT and row["as_of"] == "2026-11-27"
    assert row["price_db"] == "genai-prices" and row["price_db_version"] == prices.price_db_version()


def test_committed_table_holds_the_same_figures():
    committed = data.load("api_prices_current").set_index("model")
    for model, (usd_input, usd_output, _, _) in TODAY.items():
        assert committed.loc[model, "usd_per_1m_input"] == pytest.approx(usd_input), model
        assert committed.loc[model, "usd_per_1m_output"] == pytest.approx(usd_output), model
    # the article's ten models first, under the workbook's names, then the database's own keys
    article = list(data.load("api_prices")["model"])
    assert list(committed.index[:10]) == article
    assert committed.loc["GPT-5", "price_db_key"] == "openai/gpt-5"
    assert committed.loc["openai/gpt-5", "usd_per_1m_input"] == pytest.approx(1.25)


def test_one_row_per_model_priced_both_ways(today_rows):
    db_rows = today_rows[10:]
    assert 1500 <= len(db_rows) <= 4000  # about 2,000 in genai-prices 0.2.3
    assert all(r["model"] == r["price_db_key"] for r in db_rows)
    assert all(r["usd_per_1m_input"] != "" and r["usd_per_1m_output"] != "" for r in db_rows)
    keys = [r["model"] for r in today_rows]
    assert len(keys) == len(set(keys))
    # an embedding model has no output price, so it is not a row
    assert "openai/text-embedding-3-small" not in keys


def test_price_depends_on_the_instant():
    """DeepSeek's off-peak hours (16:30-00:30 UTC) halve deepseek-chat; Mistral's
    mistral-small-latest alias moved to Small 4 on 2026-03-16 (0.10/0.30 -> 0.15/0.60)."""
    def price(key, when):
        return _by_model(prices.rows(prices.parse_at(when)))[key]

    day, night = price("deepseek/deepseek-chat", AT), price("deepseek/deepseek-chat", "2026-11-27T20:00:00Z")
    assert (float(day["usd_per_1m_input"]), float(day["usd_per_1m_output"])) == (0.27, 1.10)
    assert (float(night["usd_per_1m_input"]), float(night["usd_per_1m_output"])) == (0.135, 0.55)
    before = price("mistral/mistral-small-latest", "2026-02-24T12:00:00Z")
    assert (float(before["usd_per_1m_input"]), float(before["usd_per_1m_output"])) == (0.10, 0.30)
    assert night["priced_at"] == "2026-11-27T20:00:00Z"
    assert "depends on the time of day" in day["note"]


def test_parse_at_needs_an_explicit_utc_offset():
    assert prices.parse_at("2026-11-27T12:00:00Z") == AT_DT
    assert prices.parse_at("2026-11-27T14:00:00+02:00") == AT_DT
    assert prices.format_at(prices.parse_at("2026-11-27T14:00:00+02:00")) == AT
    with pytest.raises(ValueError, match="no UTC offset"):
        prices.parse_at("2026-11-27T12:00:00")
    with pytest.raises(ValueError, match="not an ISO 8601 instant"):
        prices.parse_at("yesterday")


def test_make_prices_rebuilds_the_committed_file_byte_for_byte(tmp_path):
    out = tmp_path / "api_prices_current.csv"
    subprocess.run(["make", "-s", "prices", f"AT={AT}", f"PRICES_OUTPUT={out}"], cwd=paths.ROOT,
                   check=True, capture_output=True, text=True)
    assert out.read_bytes() == paths.data_file("api_prices_current").read_bytes()
    again = tmp_path / "again.csv"
    prices.write(AT_DT, again)
    assert again.read_bytes() == out.read_bytes()


def test_nothing_reaches_the_network(tmp_path, monkeypatch):
    """The database can download newer prices (genai_prices.UpdatePrices); writing the table
    must neither open a socket nor start that updater, nor use a snapshot one installed."""
    import genai_prices.data_snapshot as snapshot
    import genai_prices.update_prices as update

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # A downloaded snapshot holding nothing: our figures must not come from it.
    monkeypatch.setattr(snapshot, "_custom_snapshot", snapshot.DataSnapshot([], from_auto_update=True))
    target = prices.write(AT_DT, tmp_path / "prices.csv")
    assert target.read_bytes() == paths.data_file("api_prices_current").read_bytes()
    assert update._shared_updater.thread is None and update._shared_updater.ref_count == 0
    tree = ast.parse((paths.ROOT / "helpers" / "tools" / "prices.py").read_text())
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    used |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not used & {"UpdatePrices", "calc_price", "get_snapshot", "update_prices", "httpx2"}


def _data_copy(tmp_path):
    for table in ("api_prices", "price_db_map"):
        shutil.copy(paths.data_file(table), tmp_path / f"{table}.csv")
    return tmp_path


def _edit_map(path, line, column, value):
    with open(path / "price_db_map.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with open(path / "price_db_map.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_misspelt_model_key_names_file_line_column_and_closest_keys(tmp_path):
    data_dir = _data_copy(tmp_path)
    _edit_map(data_dir, 2, "model_key", "gtp-5")         # line 2 is GPT-5
    _edit_map(data_dir, 5, "provider_id", "xai")          # line 5 is Grok 3
    with pytest.raises(data.DataValidationError) as caught:
        prices.mapped_prices(AT_DT, data_dir)
    message = str(caught.value)
    assert "price_db_map.csv, line 2, column model_key: unknown model key 'gtp-5'" in message
    closest_line = next(line for line in message.splitlines() if "gtp-5" in line)
    assert "closest: gpt-5" in closest_line
    assert "line 5, column provider_id: unknown provider 'xai'" in message
    assert "x-ai" in next(line for line in message.splitlines() if "'xai'" in line)


def test_an_article_model_without_mapping_is_named(tmp_path):
    data_dir = _data_copy(tmp_path)
    _edit_map(data_dir, 11, "model", "Llama 3.3 70B")  # the last row, renamed
    with pytest.raises(data.DataValidationError) as caught:
        prices.mapped_prices(AT_DT, data_dir)
    message = str(caught.value)
    assert "no row for 'Llama 3.3 70B (hosted)'" in message
    assert "line 11, column model: 'Llama 3.3 70B' is not a model of data/api_prices.csv" in message


def test_cli_reports_a_bad_instant_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "helpers.tools.prices", "--at", "2026-11-27 noon",
                             "--output", str(tmp_path / "x.csv")], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "not an ISO 8601 instant" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_batch_discounts_agree_with_the_databases_batch_prices():
    """Where the database holds a model's batch price, it is list * (1 - the provider's
    discount) in data/batch_discounts.csv."""
    import genai_prices.data as db

    discounts = data.load("batch_discounts").set_index("provider")
    checked = 0
    for provider_id, model_id in [("openai", "gpt-5"), ("openai", "gpt-4.1-nano"),
                                  ("anthropic", "claude-opus-4-5"), ("google", "gemini-2.5-flash"),
                                  ("mistral", "mistral-small-2603")]:
        provider = next(p for p in db.providers if p.id == provider_id)
        model = next(m for m in provider.models if m.id == model_id)
        standard = model.get_prices(AT_DT)
        batch = model.get_prices(AT_DT, {"processing": "batch"})
        share = discounts.loc[provider_id, "batch_discount_share"]
        assert float(batch.input_mtok) == pytest.approx(float(standard.input_mtok) * (1 - share))
        assert float(batch.output_mtok) == pytest.approx(float(standard.output_mtok) * (1 - share))
        checked += 1
    assert checked == 5
    assert not discounts.loc["deepseek", "batch_api"] and discounts.loc["deepseek", "batch_discount_share"] == 0
    # every provider of the article's models says whether it has a batch API
    mapped = set(data.load("price_db_map")["provider_id"])
    assert mapped <= set(discounts.index)


def test_provider_without_batch_api_cannot_claim_a_discount(tmp_path):
    rows = list(csv.reader(open(paths.data_file("batch_discounts"), newline="")))
    line = next(i for i, r in enumerate(rows) if r[0] == "deepseek") + 1
    rows[line - 1][rows[0].index("batch_discount_share")] = "0.5"
    with open(tmp_path / "batch_discounts.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(data.DataValidationError, match=f"line {line}, column batch_discount_share"):
        data.read_table(tmp_path / "batch_discounts.csv", "batch_discounts")


# --- the arithmetic of caching and batching, worked by hand --------------------------------

def test_cached_input_price_by_hand():
    # GPT-5: 1.25 list, 0.125 cached; 60% of input from the cache: 0.4*1.25 + 0.6*0.125 = 0.575
    assert api.cached_usd_per_1m_input(1.25, 0.125, 0.6) == pytest.approx(0.575)
    # all cached: the cached rate; none cached: list
    assert api.cached_usd_per_1m_input(1.25, 0.125, 1.0) == pytest.approx(0.125)
    assert api.cached_usd_per_1m_input(1.25, 0.125, 0.0) == pytest.approx(1.25)
    # a model without a cached rate pays list for every input token
    assert api.cached_usd_per_1m_input(0.88, None, 0.9) == pytest.approx(0.88)
    assert api.cached_usd_per_1m_input(0.88, float("nan"), 0.9) == pytest.approx(0.88)


def test_blended_paid_price_by_hand():
    # GPT-5 at 50/50, 60% of input cached, a quarter of traffic batched at 50% off:
    # input 0.575; blended 0.5*0.575 + 0.5*10 = 5.2875; times 1 - 0.25*0.5 = 0.875 -> 4.6265625
    assert api.blended_usd_per_1m_paid(1.25, 10.0, 0.5, usd_per_1m_cached_input=0.125,
                                       cached_input_share=0.6, batch_share=0.25,
                                       batch_discount_share=0.5) == pytest.approx(4.6265625)
    # Gemini 2.5 Flash today (0.30 / 2.50 / 0.03), 80% input, half the input cached, no batch:
    # input 0.5*0.30 + 0.5*0.03 = 0.165; 0.8*0.165 + 0.2*2.50 = 0.132 + 0.5 = 0.632
    assert api.blended_usd_per_1m_paid(0.30, 2.50, 0.8, usd_per_1m_cached_input=0.03,
                                       cached_input_share=0.5) == pytest.approx(0.632)
    # all traffic batched at xAI's 20%: Grok 3 (3 + 15) / 2 = 9 -> 7.2
    assert api.blended_usd_per_1m_paid(3.0, 15.0, 0.5, batch_share=1.0,
                                       batch_discount_share=0.2) == pytest.approx(7.2)
    # both shares 0 is the article's blended price: GPT-5 (1.25 + 10) / 2 = 5.625
    assert api.blended_usd_per_1m_paid(1.25, 10.0, 0.5, usd_per_1m_cached_input=0.125) == pytest.approx(5.625)
    # a provider without a batch API (discount 0) is not discounted whatever the share
    assert api.blended_usd_per_1m_paid(0.27, 1.10, 0.5, batch_share=1.0) == pytest.approx(0.685)


@pytest.mark.parametrize("kwargs", [{"cached_input_share": 1.5}, {"batch_share": -0.1},
                                    {"batch_discount_share": 2.0}])
def test_shares_outside_0_1_are_refused(kwargs):
    with pytest.raises(ValueError, match="must lie in 0..1"):
        api.blended_usd_per_1m_paid(1.0, 2.0, 0.5, usd_per_1m_cached_input=0.1, **kwargs)


# --- the scenario's price source, cache and batch shares, through derive ---------------------

def _derive(**changes):
    import dataclasses

    from helpers.derive import derive
    from helpers.scenario import Scenario

    return derive(dataclasses.replace(Scenario(), **changes))


def test_article_scenario_keeps_the_article_prices():
    r = _derive()
    assert r.blended_usd_per_1m["GPT-5"] == 5.625               # (1.25 + 10.00) / 2
    assert r.blended_usd_per_1m["Gemini 2.5 Flash"] == 0.375    # (0.15 + 0.60) / 2
    assert r.breakeven_tokens_per_month["Gemini 2.5 Flash"] == pytest.approx(3.84e9)  # the article's


def test_current_prices_move_the_gemini_flash_breakeven():
    r = _derive(price_source="current")
    assert r.replica_usd_per_month == pytest.approx(1440)  # the article's A100 on demand, 24/7
    # today's Gemini 2.5 Flash: (0.30 + 2.50) / 2 = 1.40; breakeven 1440 / 1.40 * 1e6 = 1.0286B
    assert r.blended_usd_per_1m["Gemini 2.5 Flash"] == pytest.approx(1.40)
    assert r.breakeven_tokens_per_month["Gemini 2.5 Flash"] == pytest.approx(1440 / 1.40 * 1e6)
    # DeepSeek V3.2: (0.2288 + 0.3432) / 2 = 0.286; GPT-5 unchanged at 5.625
    assert r.blended_usd_per_1m["DeepSeek V3.2"] == pytest.approx(0.286)
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(5.625)


def test_cache_and_batch_shares_through_derive():
    # today's GPT-5, half the input cached (0.125), half the traffic batched at OpenAI's 50%:
    # input 0.5*1.25 + 0.5*0.125 = 0.6875; 0.5*0.6875 + 0.5*10 = 5.34375; * (1 - 0.25) = 4.0078125
    r = _derive(price_source="current", cached_input_share=0.5, batch_share=0.5)
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(4.0078125)
    # DeepSeek has no batch API and V3.2 no cached rate in the database: unchanged, 0.286
    assert r.blended_usd_per_1m["DeepSeek V3.2"] == pytest.approx(0.286)
    # at the article's prices there is no cached rate, but the batch discount applies
    # (GPT-5 -> openai through price_db_map.csv): 5.625 * 0.75 = 4.21875
    r = _derive(cached_input_share=0.5, batch_share=0.5)
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(4.21875)
    assert r.api_usd_per_month["GPT-5"][0] == pytest.approx(300e6 / 1e6 * 4.21875)


def test_any_model_of_the_current_table():
    from helpers.scenario import Scenario, ScenarioError

    s = Scenario.from_dict({"price_source": "current",
                            "api_models": ["groq/llama-3.3-70b-versatile", "Llama 3.3 70B (hosted)"]})
    from helpers.derive import derive

    r = derive(s)
    # Groq's Llama 3.3 70B: (0.59 + 0.79) / 2 = 0.69 against Together's 0.88 the article quoted
    assert r.blended_usd_per_1m["groq/llama-3.3-70b-versatile"] == pytest.approx(0.69)
    assert r.blended_usd_per_1m["Llama 3.3 70B (hosted)"] == pytest.approx(0.88)
    with pytest.raises(ScenarioError, match="has no article price .* set price_source: current"):
        Scenario.from_dict({"api_models": ["groq/llama-3.3-70b-versatile"]})
    with pytest.raises(ScenarioError, match="did you mean 'groq/llama-3.3-70b-versatile'"):
        Scenario.from_dict({"price_source": "current", "api_models": ["groq/llama-3.3-70b-versatil"]})


def test_shipped_current_prices_scenario():
    from helpers.scenario import Scenario

    s = Scenario.load(paths.PARAMS_DIR / "current-prices.yaml")
    assert s.price_source == "current" and s.cached_input_share == 0 and s.batch_share == 0


def test_price_history_of_the_article_models():
    history = prices.price_history(AT_DT)
    by_key = {}
    for row in history:
        by_key.setdefault(row["price_db_key"], []).append(row)
    # mistral-small-latest moved to Small 4 on 2026-03-16: 0.10/0.30 -> 0.15/0.60 (in force)
    latest = [r for r in by_key["mistral/mistral-small-latest"] if r["price"] == "list"]
    assert [(r["applies"], r["usd_per_1m_input"], r["usd_per_1m_output"]) for r in latest] == [
        ("from the earliest record", 0.10, 0.30), ("from 2026-03-16", 0.15, 0.60)]
    assert latest[1]["in_force_at"] == AT and latest[0]["in_force_at"] == ""
    # DeepSeek's deepseek-chat: 0.27/1.10 in its standard hours, 0.135/0.55 at other hours
    chat = {r["applies"]: (r["usd_per_1m_input"], r["usd_per_1m_output"]) for r in by_key["deepseek/deepseek-chat"]}
    assert chat == {"at other hours": (0.135, 0.55), "daily 00:30-16:30 UTC": (0.27, 1.10)}
    # GPT-5's batch variant at half price from 2026-10-14
    batch = next(r for r in by_key["openai/gpt-5"] if r["price"] == "processing batch")
    assert (batch["applies"], batch["usd_per_1m_input"], batch["usd_per_1m_output"]) == ("from 2026-10-14", 0.625, 5.0)
    # nothing dated after the instant: at the article's date Mistral's alias had not moved yet
    early = prices.price_history(prices.parse_at("2026-02-24T12:00:00Z"))
    assert not any(r["applies"] == "from 2026-03-16" for r in early)


def test_misspelt_related_key_is_named(tmp_path):
    data_dir = _data_copy(tmp_path)
    _edit_map(data_dir, 7, "related_keys", "deepseek/deepseek-chatt")  # line 7 is DeepSeek V3.2
    with pytest.raises(data.DataValidationError) as caught:
        prices.mapped_prices(AT_DT, data_dir)
    message = str(caught.value)
    assert "price_db_map.csv, line 7, column related_keys: unknown key 'deepseek/deepseek-chatt'" in message
    assert "closest: deepseek/deepseek-chat" in message


# --- the drift table and its sentence ----------------------------------------------------------

def test_price_drift_of_the_article_models():
    from helpers.article import drift

    frame = drift.price_drift().set_index("model")
    assert len(frame) == 10
    flash = frame.loc["Gemini 2.5 Flash"]
    # article (0.15 + 0.60) / 2 = 0.375; today (0.30 + 2.50) / 2 = 1.40; 1.40 / 0.375 - 1 = 2.7333
    assert flash["blended_change"] == pytest.approx(1.40 / 0.375 - 1)
    # breakeven against the $1,440 A100: 3.84B (the article's) -> 1,440 / 1.40 * 1e6 = 1.029B;
    # with hidden costs ($3,240): 8.64B -> 3,240 / 1.40 * 1e6 = 2.314B
    assert flash["article_breakeven_tokens_per_month"] == pytest.approx(3.84e9)
    assert flash["current_breakeven_tokens_per_month"] == pytest.approx(1440 / 1.40 * 1e6)
    assert flash["current_tco_breakeven_tokens_per_month"] == pytest.approx(3240 / 1.40 * 1e6)
    # DeepSeek V3.2: (0.2288 + 0.3432) / 2 = 0.286 against 0.685
    assert frame.loc["DeepSeek V3.2", "blended_change"] == pytest.approx(0.286 / 0.685 - 1)
    assert frame.loc["GPT-5", "blended_change"] == 0
    from helpers.report.contract import CONTRACT

    assert set(CONTRACT["price_drift"]) <= set(frame.reset_index().columns)


def test_moved_most_sentence():
    from helpers.article import drift

    sentence = drift.moved_most_sentence(drift.price_drift())
    assert sentence.startswith("Since the article, Gemini 2.5 Flash moved most: blended +273% "
                               "($0.375 to $1.40 per 1M tokens), then DeepSeek V3.2 -58% and "
                               "Mistral Small 3.1 +13%; 7 of 10 unchanged")
    assert sentence.endswith("(prices of 2026-11-27T12:00:00Z).")
    import pandas as pd

    still = pd.DataFrame({"model": ["A", "B"], "blended_change": [0.0, 0.0]})
    assert drift.moved_most_sentence(still) == "No API price of the article's models has moved since the article."


def test_notebook_09_writes_the_price_drift_table(tmp_path):
    import pandas as pd
    import papermill

    from helpers.article import drift
    from helpers.report.contract import CONTRACT, contract_problems

    out = tmp_path / "tables"
    papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "09-price-drift.ipynb"), str(tmp_path / "09.ipynb"),
                               cwd=str(tmp_path), progress_bar=False, kernel_name="python3",
                               parameters={"tables_dir": str(out), "scenario": {"spot_discount": 0.5}})
    frame = pd.read_csv(out / "price_drift.csv")
    assert not contract_problems(out, {"price_drift": CONTRACT["price_drift"]})
    assert list(frame.columns[:1]) == ["model"]
    flash = frame.set_index("model").loc["Gemini 2.5 Flash"]
    # at half-price spot the A100 costs 720 a month: 720 / 1.40 * 1e6 against 720 / 0.375 * 1e6
    assert flash["current_breakeven_tokens_per_month"] == pytest.approx(720 / 1.40 * 1e6)
    assert flash["article_breakeven_tokens_per_month"] == pytest.approx(720 / 0.375 * 1e6)
    assert drift.moved_most_sentence(frame).startswith("Since the article, Gemini 2.5 Flash moved most")


def test_report_index_line_on_the_drift(tmp_path):
    from helpers import report
    from helpers.article import drift

    assert report.drift_html(tmp_path) == ""  # no drift table, no line
    drift.price_drift().to_csv(tmp_path / "price_drift.csv", index=False)
    line = report.drift_html(tmp_path)
    assert line.startswith("<p><b>API prices since the article:</b> Since the article, Gemini 2.5 Flash moved most")
    assert "$0.375 to $1.40" in line


def test_api_model_choices_for_a_searchable_picker():
    from helpers.derive import api_model_choices

    assert api_model_choices("article") == list(data.load("api_prices")["model"])
    assert api_model_choices("article", "gemini") == ["Gemini 2.5 Pro", "Gemini 2.5 Flash"]
    every = api_model_choices("current")
    assert len(every) == len(data.load("api_prices_current")) and every[0] == "GPT-5"
    # every word must match, in the key, the provider or the display name
    groq = api_model_choices("current", "LLAMA 3.3 70b groq")
    assert "groq/llama-3.3-70b-versatile" in groq and all("groq" in m for m in groq)
    assert api_model_choices("current", "flash 2.5", limit=2) == ["Gemini 2.5 Flash", "google/gemini-2.5-flash"]
    assert api_model_choices("current", "no such model") == []


def test_breakeven_move_sentence():
    from helpers.article import drift

    # Gemini 2.5 Flash: 1,440 / 0.375 = 3.84B -> 1,440 / 1.40 = 1.03B; with hidden costs
    # 3,240 / 0.375 = 8.64B -> 3,240 / 1.40 = 2.31B; one A100 at 1,500 tokens/s: 3.89B a month
    assert drift.breakeven_move_sentence(drift.price_drift(), 1500 * 3600 * 720) == (
        "Against Gemini 2.5 Flash the breakeven moves from 3.84B to **1.03B** tokens a month on the "
        "GPU bill alone, and from 8.64B to 2.31B with hidden costs; one deployment serves 3.89B tokens a month.")


def test_without_at_the_run_time_is_written(tmp_path, capsys):
    before = datetime.now(UTC).replace(microsecond=0)
    assert prices.main(["--output", str(tmp_path / "now.csv")]) == 0
    after = datetime.now(UTC)
    stamps = {row["priced_at"] for row in csv.DictReader(open(tmp_path / "now.csv", newline=""))}
    (stamp,) = stamps
    assert before <= prices.parse_at(stamp) <= after
    assert f"priced at {stamp}" in capsys.readouterr().out


# --- the what-if panel: price source, any priced model, cache and batch shares ------------------

def test_panel_switches_price_source_and_picks_any_priced_model(tmp_path):
    from helpers.scenario import Scenario
    from helpers.show import widgets

    panel = widgets.build(save_dir=tmp_path)
    c = panel.controls
    assert c["price_source"].value == "article" and len(c["api_model"].options) == 10
    c["price_source"].value = "current"
    assert len(c["api_model"].options) == len(data.load("api_prices_current"))
    c["api_model"].value = "Gemini 2.5 Flash"
    assert (c["usd_per_1m_input"].value, c["usd_per_1m_output"].value) == (0.30, 2.50)
    assert panel.results["blended_usd_per_1m"] == pytest.approx(1.40)
    c["api_model"].value = "groq/llama-3.3-70b-versatile"  # (0.59 + 0.79) / 2 = 0.69
    assert panel.results["api_model"] == "groq/llama-3.3-70b-versatile" and panel.error is None
    assert panel.results["blended_usd_per_1m"] == pytest.approx(0.69)
    c["batch_share"].value = 1.0  # all through Groq's batch API at 50%: 0.345
    assert panel.results["blended_usd_per_1m"] == pytest.approx(0.345)
    c["api_model"].value = "groq/llam"  # a search being typed: nothing recomputed
    assert panel.results["api_model"] == "groq/llama-3.3-70b-versatile" and panel.error is None
    c["api_model"].value = "groq/llama-3.3-70b-versatile"
    saved = Scenario.load(panel.save("groq-batch"))
    assert (saved.price_source, saved.api_model, saved.batch_share) == ("current", "groq/llama-3.3-70b-versatile", 1.0)
    # back to the article's prices: a model the article never priced gives way to the starting one
    c["price_source"].value = "article"
    assert c["api_model"].value == "GPT-5" and len(c["api_model"].options) == 10
    assert panel.results["blended_usd_per_1m"] == pytest.approx(5.625 * 0.5)  # OpenAI batch, all traffic


def test_article_tables_at_todays_prices_are_not_judged_against_the_article():
    """At today's prices (or with cache or batch shares) a figure that depends on an API price
    differs from the article's for that reason alone: other_scenario, never erratum."""
    from helpers.article import tables
    from helpers.derive import derive
    from helpers.scenario import Scenario

    for changes in ({"price_source": "current"}, {"batch_share": 0.5}, {"cached_input_share": 0.5}):
        s = Scenario(**changes)
        r = derive(s)
        summary = tables.breakeven_summary(r).set_index("api_model")
        assert set(summary["article_month_verdict"]) <= {"other_scenario", "not_checkable"}, changes
        assert set(tables.api_costs(s)["article_verdict"]) <= {"other_scenario", "not_checkable"}, changes
        volumes = tables.breakeven_volumes(r, "GPT-5")
        assert set(volumes["article_api_verdict"]) <= {"other_scenario", "not_checkable"}, changes
    # at the article's prices GPT-5's breakeven is judged, and holds
    summary = tables.breakeven_summary(derive(Scenario())).set_index("api_model")
    assert summary.loc["GPT-5", "article_month_verdict"] == "holds"


def test_every_table_states_todays_prices_under_the_current_prices_scenario():
    """params/current-prices.yaml: the API tables, the breakeven summary, the what-if row and the
    drift table all price Gemini 2.5 Flash at (0.30 + 2.50) / 2 = 1.40 per 1M tokens, and the
    breakeven against the $1,440 A100 at 1,440 / 1.40 * 1e6 = 1.029B tokens a month."""
    import dataclasses

    from helpers.article import drift, tables
    from helpers.derive import derive
    from helpers.scenario import Scenario

    s = Scenario.load(paths.PARAMS_DIR / "current-prices.yaml")
    flash = dataclasses.replace(s, api_models=("Gemini 2.5 Flash", *s.api_models[1:]))
    r = derive(flash)
    costs = tables.api_costs(s).set_index("model")
    summary = tables.breakeven_summary(r).set_index("api_model")
    what_if = tables.what_if(r).iloc[0]
    drifted = drift.price_drift(s).set_index("model")
    assert costs.loc["Gemini 2.5 Flash", "blended_usd_per_1m"] == pytest.approx(1.40)
    assert costs.loc["Gemini 2.5 Flash", "usd_per_month"] == pytest.approx(300 * 1.40)  # 10M/day, 30 days
    assert summary.loc["Gemini 2.5 Flash", "blended_usd_per_1m"] == pytest.approx(1.40)
    expected = 1440 / 1.40 * 1e6
    assert summary.loc["Gemini 2.5 Flash", "breakeven_tokens_per_month"] == pytest.approx(expected, abs=1)
    assert what_if["api_model"] == "Gemini 2.5 Flash"
    assert what_if["api_usd_per_month"] == pytest.approx(300 * 1.40)
    assert what_if["breakeven_tokens_per_month"] == pytest.approx(expected)
    assert drifted.loc["Gemini 2.5 Flash", "current_breakeven_tokens_per_month"] == pytest.approx(expected)
