"""Today's API prices from a maintained price database, written to ``data/api_prices_current.csv``.

    python -m helpers.tools.prices --at 2026-11-27T12:00:00Z     # or: make prices AT=...

The database is pydantic's ``genai-prices`` (MIT), whose price data ships inside the package.
It records dated price changes and time-of-day prices (DeepSeek's off-peak hours), so a price
belongs to an instant: the file always states the instant it was priced at (``priced_at``),
``--at`` when given, else the moment of the run. The same instant and the same database version
give the same file, byte for byte.

Rows:

- first, one per row of ``data/api_prices.csv`` (the article's ten models) under the
  workbook's own name, through the committed table ``data/price_db_map.csv``;
- then one per model the database prices with both an input and an output price per token at
  that instant (its chat and completion models; embeddings and audio-only models have no
  output price), named ``<provider id>/<model id>``, e.g. ``openai/gpt-5``, sorted by name.

Nothing reaches the network. The package can fetch newer prices (``genai_prices.UpdatePrices``
starts a thread that downloads a JSON file from GitHub, and ``genai_prices.calc_price`` uses
whatever such a fetch installed); this module never starts it and reads only the data bundled in
the installed package (``genai_prices.data.providers``), never the "current snapshot" a fetch
could replace.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

from helpers import data, paths
from helpers.files import atomic_write

PRICE_DB = "genai-prices"
OUTPUT_TABLE = "api_prices_current"
MAP_TABLE = "price_db_map"
COLUMNS = [
    "model", "name", "provider",
    "usd_per_1m_input", "usd_per_1m_output", "usd_per_1m_cached_input",
    "long_context_threshold_tokens", "usd_per_1m_input_long_context",
    "usd_per_1m_output_long_context",
    "price_db", "price_db_version", "price_db_key", "priced_at", "note", "source", "as_of",
]


def price_db_version() -> str:
    """The installed version of the price database (its data version: the data ships in it)."""
    return version(PRICE_DB)


def _providers():
    # The bundled data only: genai_prices.data_snapshot.get_snapshot() would return a snapshot
    # downloaded by UpdatePrices if anything in the process had started one.
    from genai_prices.data import providers

    return providers


def parse_at(text: str) -> datetime:
    """An ISO 8601 instant with an explicit offset ('Z' or '+00:00'), as an aware UTC datetime."""
    try:
        instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"--at: not an ISO 8601 instant: {text!r} (e.g. 2026-11-27T12:00:00Z)") from None
    if instant.tzinfo is None:
        raise ValueError(f"--at: {text!r} has no UTC offset; write it in UTC, e.g. {text}Z")
    return instant.astimezone(UTC)


def format_at(instant: datetime) -> str:
    """``2026-11-27T12:00:00Z``: the instant in UTC to the second."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal | None) -> str:
    """A price as plain decimal text, no exponent and no trailing zeros ('' for none)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def _base(price):
    return getattr(price, "base", price)


def _tiers(price) -> list:
    return list(getattr(price, "tiers", None) or [])


@dataclass(frozen=True)
class DbPrice:
    """One model's standard prices at one instant, per 1M tokens."""

    provider_id: str
    model_id: str
    name: str
    usd_per_1m_input: Decimal
    usd_per_1m_output: Decimal
    usd_per_1m_cached_input: Decimal | None
    long_context_threshold_tokens: int | None
    usd_per_1m_input_long_context: Decimal | None
    usd_per_1m_output_long_context: Decimal | None
    note: str
    pricing_url: str | None

    @property
    def key(self) -> str:
        return f"{self.provider_id}/{self.model_id}"


def model_price(provider, model, at: datetime) -> DbPrice | None:
    """The standard-tier prices of ``model`` at ``at``; None when it lacks an input or output price.

    Tiered ("long context") prices: the database applies a tier's price to every token of a
    request whose prompt holds more than ``start`` tokens; the first tier is kept in the
    ``long_context_*`` columns and any further tiers are described in ``note``.
    """
    prices = model.get_prices(at)
    inp, out = prices.input_mtok, prices.output_mtok
    if inp is None or out is None:
        return None
    cached = prices.cache_read_mtok
    threshold = input_long = output_long = None
    notes = []
    first = [(name, _tiers(p)) for name, p in (("input", inp), ("output", out), ("cached input", cached))
             if _tiers(p)]
    if first:
        threshold = first[0][1][0].start
        input_long = _tiers(inp)[0].price if _tiers(inp) else _base(inp)
        output_long = _tiers(out)[0].price if _tiers(out) else _base(out)
        for name, tiers in first:
            if any(t.start != threshold for t in tiers[:1]):
                notes.append(f"{name} tier starts above {tiers[0].start} tokens")
            for tier in tiers[1:]:
                notes.append(f"{name} {_number(tier.price)} above {tier.start} tokens")
    if isinstance(model.prices, list) and any(hasattr(c.constraint, "start_time") for c in model.prices):
        notes.append("the price depends on the time of day: this is the one at priced_at")
    if model.deprecated:
        notes.append("deprecated by the provider")
    return DbPrice(
        provider_id=provider.id, model_id=model.id, name=model.name or model.id,
        usd_per_1m_input=_base(inp), usd_per_1m_output=_base(out),
        usd_per_1m_cached_input=_base(cached) if cached is not None else None,
        long_context_threshold_tokens=threshold,
        usd_per_1m_input_long_context=input_long, usd_per_1m_output_long_context=output_long,
        note="; ".join(notes), pricing_url=(provider.pricing_urls or [None])[0],
    )


def db_prices(at: datetime) -> list[DbPrice]:
    """Every model of the database priced per input and output token at ``at``, sorted by key."""
    rows = []
    for provider in _providers():
        for model in provider.models:
            price = model_price(provider, model, at)
            if price is not None:
                rows.append(price)
    return sorted(rows, key=lambda r: r.key)


def _closest(word: str, candidates: list[str], n: int = 5) -> str:
    close = difflib.get_close_matches(word, candidates, n=n, cutoff=0.5)
    if not close:
        close = difflib.get_close_matches(word.lower(), [c.lower() for c in candidates], n=n, cutoff=0.0)
        close = [c for c in candidates if c.lower() in close][:n]
    return ", ".join(close) if close else "(none)"


def mapped_prices(at: datetime, data_dir: Path | None = None) -> list[tuple[str, DbPrice]]:
    """The article's models (``api_prices.csv``) with their database prices at ``at``, through
    ``price_db_map.csv``. Every bad row is reported at once, naming file, line and column, with
    the closest keys the database knows."""
    data_dir = data_dir or paths.DATA_DIR
    mapping = data.load(MAP_TABLE, data_dir)
    article = data.load("api_prices", data_dir)
    label = data.display_path(data_dir / f"{MAP_TABLE}.csv")
    providers = {p.id: p for p in _providers()}
    problems: list[data.Problem] = []
    out: list[tuple[str, DbPrice]] = []
    for index, row in mapping.iterrows():
        line = data.csv_line(index)
        provider = providers.get(row["provider_id"])
        if provider is None:
            problems.append(data.Problem(
                label, line, "provider_id",
                f"unknown provider {row['provider_id']!r} in {PRICE_DB} {price_db_version()}; "
                f"closest: {_closest(row['provider_id'], sorted(providers))}"))
            continue
        models = {m.id: m for m in provider.models}
        model = models.get(row["model_key"])
        if model is None:
            problems.append(data.Problem(
                label, line, "model_key",
                f"unknown model key {row['model_key']!r} for provider {provider.id!r} in "
                f"{PRICE_DB} {price_db_version()}; closest: {_closest(row['model_key'], sorted(models))}"))
            continue
        price = model_price(provider, model, at)
        if price is None:
            problems.append(data.Problem(
                label, line, "model_key",
                f"{provider.id}/{model.id} has no input and output price per token at {format_at(at)}"))
            continue
        out.append((row["model"], price))
        for key in _split_keys(row.get("related_keys")):
            provider_id, _, model_id = key.partition("/")
            other = providers.get(provider_id)
            if other is None or model_id not in {m.id for m in other.models}:
                every = sorted(f"{p.id}/{m.id}" for p in providers.values() for m in p.models)
                problems.append(data.Problem(
                    label, line, "related_keys",
                    f"unknown key {key!r} (provider/model) in {PRICE_DB} {price_db_version()}; "
                    f"closest: {_closest(key, every)}"))
    known = set(mapping["model"])
    for name in article["model"]:
        if name not in known:
            problems.append(data.Problem(label, None, "model",
                                         f"no row for {name!r} of data/api_prices.csv"))
    for index, name in mapping["model"].items():
        if name not in set(article["model"]):
            problems.append(data.Problem(
                label, data.csv_line(index), "model",
                f"{name!r} is not a model of data/api_prices.csv; "
                f"closest: {_closest(name, list(article['model']))}"))
    if problems:
        raise data.DataValidationError(problems)
    order = {name: i for i, name in enumerate(article["model"])}
    return sorted(out, key=lambda pair: order[pair[0]])


def _split_keys(text) -> list[str]:
    if text is None or text != text:
        return []
    return [key.strip() for key in str(text).split(";") if key.strip()]


def rows(at: datetime, data_dir: Path | None = None) -> list[dict[str, str]]:
    """The rows of ``api_prices_current.csv`` at ``at``: the article's models, then the database."""
    db_version = price_db_version()
    priced_at = format_at(at)

    def row(model: str, price: DbPrice) -> dict[str, str]:
        source = f"{PRICE_DB} {db_version} (bundled data)"
        if price.pricing_url:
            source += f"; provider pricing page {price.pricing_url}"
        return {
            "model": model, "name": price.name, "provider": price.provider_id,
            "usd_per_1m_input": _number(price.usd_per_1m_input),
            "usd_per_1m_output": _number(price.usd_per_1m_output),
            "usd_per_1m_cached_input": _number(price.usd_per_1m_cached_input),
            "long_context_threshold_tokens": ("" if price.long_context_threshold_tokens is None
                                              else str(price.long_context_threshold_tokens)),
            "usd_per_1m_input_long_context": _number(price.usd_per_1m_input_long_context),
            "usd_per_1m_output_long_context": _number(price.usd_per_1m_output_long_context),
            "price_db": PRICE_DB, "price_db_version": db_version, "price_db_key": price.key,
            "priced_at": priced_at, "note": price.note, "source": source, "as_of": priced_at[:10],
        }

    mapped = [row(name, price) for name, price in mapped_prices(at, data_dir)]
    return mapped + [row(price.key, price) for price in db_prices(at)]


def write(at: datetime, target: Path | None = None, data_dir: Path | None = None) -> Path:
    """Write the table atomically; it is validated as ``api_prices_current`` before it replaces
    the old file, so a reader never sees a half-written or invalid one."""
    target = Path(target) if target else paths.data_file(OUTPUT_TABLE)
    table = rows(at, data_dir)
    with atomic_write(target, newline="",
                      check=lambda tmp: data.read_table(tmp, OUTPUT_TABLE)) as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.prices", description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", help="the instant to price at, ISO 8601 in UTC (default: now)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"where to write (default: data/{OUTPUT_TABLE}.csv)")
    args = parser.parse_args(argv)
    try:
        at = parse_at(args.at) if args.at else datetime.now(UTC).replace(microsecond=0)
        target = write(at, args.output)
    except (ValueError, LookupError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    count = sum(1 for _ in open(target, encoding="utf-8")) - 1
    print(f"wrote {data.display_path(target)}: {count} rows priced at {format_at(at)} "
          f"({PRICE_DB} {price_db_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _window(constraint, daily: bool = False) -> str:
    if constraint is None:
        return "at other hours" if daily else "from the earliest record"
    if hasattr(constraint, "start_date"):
        return f"from {constraint.start_date.isoformat()}"
    return (f"daily {constraint.start_time.strftime('%H:%M')}-{constraint.end_time.strftime('%H:%M')} UTC")


def price_history(at: datetime, data_dir: Path | None = None) -> list[dict]:
    """The price records the database holds for each of the article's models and the related
    keys its mapping row weighs (``price_db_map.csv``), up to ``at``: one row per list-price
    record (from a date, or for daily hours as DeepSeek's standard hours) and per dated variant
    (batch, flex, priority), with whether it is the list price in force at ``at``."""
    mapping = data.load(MAP_TABLE, data_dir).set_index("model")
    providers = {p.id: p for p in _providers()}
    out = []
    for name, price in mapped_prices(at, data_dir):
        for key in [price.key, *_split_keys(mapping.loc[name, "related_keys"])]:
            provider_id, _, model_id = key.partition("/")
            model = next(m for m in providers[provider_id].models if m.id == model_id)
            in_force = model.get_prices(at)
            records = model.prices if isinstance(model.prices, list) else [None]
            daily = any(hasattr(getattr(r, "constraint", None), "start_time") for r in records)
            for record in records:
                constraint = getattr(record, "constraint", None)
                if getattr(constraint, "start_date", None) and constraint.start_date > at.date():
                    continue
                prices = record.prices if record is not None else model.prices
                out.append(_history_row(name, key, "list", _window(constraint, daily), prices,
                                        format_at(at) if prices is in_force else ""))
            for variant in model.price_variants or []:
                constraint = variant.constraint
                if getattr(constraint, "start_date", None) and constraint.start_date > at.date():
                    continue
                if variant.prices.input_mtok is None and variant.prices.output_mtok is None:
                    continue
                kind = ", ".join(f"{k} {v}" for k, v in sorted(variant.when.items()))
                out.append(_history_row(name, key, kind, _window(constraint), variant.prices, ""))
    return out


def _history_row(name, key, kind, applies, prices, in_force_at) -> dict:
    def usd(value):
        return None if value is None else float(_base(value))

    return {"model": name, "price_db_key": key, "price": kind, "applies": applies,
            "usd_per_1m_input": usd(prices.input_mtok), "usd_per_1m_output": usd(prices.output_mtok),
            "in_force_at": in_force_at}
