"""Sentences whose words depend on the numbers: each reads a table of :mod:`helpers.article.tables`
and says what it shows, so the logic of a notebook's prose is a tested function rather than an
f-string in a cell. Names of models, GPUs and options come from the tables (that is, from
``data/``), never typed in."""
from __future__ import annotations

import pandas as pd

from helpers import article
from helpers.costs.breakeven import API
from helpers.costs.decision import SELF_HOST
from helpers.derive.hardware import DOES_NOT_FIT, PRECISIONS, max_bits_per_weight, weights_vram_gb
from helpers.text import tokens_text, usd_text

AGREEING = (article.HOLDS, article.ROUNDING)
# "Total cost is a fraction of routing everything through an API": read as at most half.
HYBRID_FRACTION_AT_MOST = 0.5


def agreement(frame: pd.DataFrame, columns: list[str]) -> tuple[int, int]:
    """(figures that hold or differ only by rounding, figures) over the verdict ``columns``."""
    verdicts = frame[columns]
    return int(verdicts.isin(AGREEING).to_numpy().sum()), int(verdicts.size)


def names_or_none(names: list[str]) -> str:
    """"A, B" or "none"."""
    return ", ".join(names) or "none"


def breakeven_sentence(summary: pd.DataFrame, model: str) -> str:
    """One line for a row of :func:`~helpers.article.tables.breakeven_summary` (indexed by
    api_model): the recomputed breakeven beside the article's, with the verdicts."""
    row = summary.loc[model]
    return (f"Breakeven vs {model}: **{tokens_text(row['breakeven_tokens_per_month'])} tokens/month** "
            f"({tokens_text(row['breakeven_tokens_per_day'])}/day); the article prints "
            f"{row['article_month_text']} ({row['article_month_verdict']}) and {row['article_day_text']} "
            f"({row['article_day_verdict']}).")


def reachable_sentence(summary: pd.DataFrame) -> str:
    """Which APIs one deployment can break even against within its monthly capacity, on the
    GPU bill alone and with hidden costs."""
    raw = summary.loc[summary["within_single_gpu_capacity"], "api_model"].tolist()
    adjusted = summary.loc[summary["tco_within_single_gpu_capacity"], "api_model"].tolist()
    return (f"On raw GPU cost, one deployment can reach breakeven against {names_or_none(raw)}; "
            f"with hidden costs, only against {names_or_none(adjusted)}.")


def monthly_column_sentence(printed: pd.DataFrame, at_implied: pd.DataFrame, article_tokens_per_day: float,
                            implied_tokens_per_day: float) -> str:
    """What workload the article's monthly API column was computed for: ``printed`` is
    :func:`~helpers.article.tables.api_costs_vs_article` at the article's volume (printed rows
    only), ``at_implied`` the same rows judged at the volume the printed figures imply."""
    ratios = printed["article_over_recomputed"]
    factor = 1 / ratios.median()
    scale = ("matches this workload" if round(factor) == 1 else
             f"is about {factor:.0f}x too small" if factor > 1 else f"is about {1 / factor:.0f}x too large")
    agree, total = agreement(at_implied, ["article_verdict"])
    implied = printed["article_implied_tokens_per_day"]
    return (f"Every printed monthly cost is between {ratios.min():.3f} and {ratios.max():.3f} times the "
            f"cost at {tokens_text(article_tokens_per_day)} tokens/day: the printed column {scale}. "
            f"The printed figures imply {tokens_text(implied.min())}-{tokens_text(implied.max())} tokens/day; "
            f"recomputed at {tokens_text(implied_tokens_per_day)} tokens/day, {agree} of {total} printed figures "
            f"agree (hold, or differ only by rounding). The prices per million tokens are right; the "
            f"monthly column was computed for {tokens_text(implied_tokens_per_day)} tokens/day.")


def rule_of_thumb_sentence(ranges: pd.DataFrame, data_dir=None) -> str:
    """The article's "1.3x to 2.0x" rule against its own Total Cost Adjustment table and
    against its own hidden-cost ranges (:func:`~helpers.article.tables.tco_range`)."""
    total, gpu = article.figure("tco.total", data_dir), article.figure("tco.gpu", data_dir)
    printed_multiplier = total["value"] / gpu["value"]  # the article's own two printed figures
    rule_low, rule_high = ranges["rule_of_thumb_low"].iloc[0], ranges["rule_of_thumb_high"].iloc[0]
    low, high = ranges["tco_multiplier"].min(), ranges["tco_multiplier"].max()
    inside = rule_low <= printed_multiplier <= rule_high
    return (f"The article's own table gives {total['printed_text']} / {gpu['printed_text']} = "
            f"**{printed_multiplier:.2f}x**, {'inside' if inside else 'outside'} its rule of thumb of "
            f"{rule_low:g}x-{rule_high:g}x. Across its own ranges (DevOps hours and rate, infrastructure) the "
            f"multiple runs from {low:.2f}x to {high:.2f}x on this GPU bill "
            f"({ranges['within_rule_of_thumb'].sum()} of {len(ranges)} cases inside the rule)."
            + (" The rule of thumb understates the hidden costs the article itself lists." if high > rule_high else ""))


def hybrid_fraction_sentence(hybrid: pd.DataFrame) -> str:
    """Whether the hybrid costs "a fraction" of all-API (read as at most
    :data:`HYBRID_FRACTION_AT_MOST`) for the cheapest self-hosted option of
    :func:`~helpers.article.hybrid_decision.hybrid_table`, and what maintaining it and its GPU change."""
    self_hosted = hybrid[hybrid["small_model_fits"].notna()]
    best = self_hosted.sort_values("share_of_all_api").iloc[0]
    rented = self_hosted[self_hosted["option"].str.contains("rented")]
    holds = best.share_of_all_api <= HYBRID_FRACTION_AT_MOST
    text = (f"**\"A fraction of routing everything through an API\"** "
            f"{'holds' if holds else 'does not hold'} at this volume for the cheapest self-hosted option "
            f"({best.simple_tasks_on}, {best.option}: {best.share_of_all_api:.0%}, reading \"a fraction\" as at "
            f"most {HYBRID_FRACTION_AT_MOST:.0%}); a rented GPU costs {rented['share_of_all_api'].min():.1%}-"
            f"{rented['share_of_all_api'].max():.1%} of all-API.")
    if (self_hosted["share_with_hidden_of_all_api"] > 1).all():
        text += " Once someone's time to maintain the model is counted, every self-hosted hybrid costs more than all-API."
    if (self_hosted["simple_tasks_usd_per_month"] > self_hosted["api_usd_per_month"]).all():
        text += (" The GPU is not \"already running\" for free: in every self-hosted row it is a larger bill "
                 "than the API part.")
    return text


def selfhost_bill_sentence(r) -> str:
    """The scenario's deployment in one line: its GPU bill, with hidden costs, and what it
    serves (a :class:`helpers.derive.Result`)."""
    s = r.scenario
    return (f"Self-hosting: {s.gpu_count}x {s.gpu}, **{usd_text(r.replica_usd_per_month)}** a month for the GPU, "
            f"{usd_text(r.replica_tco_usd_per_month)} with hidden costs; one deployment serves "
            f"{tokens_text(r.replica_tokens_per_month)} tokens a month at {float(r.tokens_per_s):,.0f} tokens/s.")


# --- Notebook 02: what self-hosting costs, and what fits ---------------------------------------

def spot_sentence(gpus: pd.DataFrame, setup_gpu: str, hours_per_month: float) -> str:
    """How many monthly GPU prices of :func:`~helpers.article.tables.gpu_cloud_with_spot` agree
    with the article, and the set-up's GPU on spot."""
    agree, total = agreement(gpus, ["article_verdict"])
    gpu = gpus.set_index("gpu").loc[setup_gpu]
    return (f"{agree} of {total} monthly prices agree with the article at {hours_per_month:g} hours a month. "
            f"On spot, the set-up's {setup_gpu} would cost {usd_text(gpu.spot_usd_per_month_low)}-"
            f"{usd_text(gpu.spot_usd_per_month_high)} a month instead of {usd_text(gpu.usd_per_month)}, at the "
            "price of interruptions.")


def four_bit_card_sentence(consumer: pd.DataFrame, params_billion: float) -> str:
    """Whether the card the article says runs a model "at 4-bit" holds its weights
    (:func:`~helpers.article.tables.consumer_hardware` for ``params_billion``), and how few bits
    the cheapest machine would need."""
    size = f"{params_billion:g}b"
    card = consumer.sort_values("usd_price").iloc[0]
    claimed = consumer[consumer["what_it_runs"].str.contains("4-bit")].iloc[0]
    vram_gb = weights_vram_gb(params_billion, PRECISIONS["4-bit"])
    return (f"The article says the {claimed.hardware} runs \"{claimed.what_it_runs}\". A {params_billion:g}B model "
            f"at 4 bits needs {vram_gb:g} GB for its weights alone; the card has {claimed.memory_gb:g} GB, so it "
            f"holds at most {claimed[f'max_bits_per_weight_{size}']:.2f} bits per weight: the claim is "
            f"**{'right' if claimed[f'fits_{size}_4bit'] else 'wrong'}** for one card. The cheapest machine, the "
            f"{card.hardware} ({usd_text(card.usd_price)}), would need "
            f"{card[f'max_bits_per_weight_{size}']:.2f} bits per weight or fewer.")


def largest_model_sentence(fits: pd.DataFrame, consumer: pd.DataFrame) -> str:
    """Which machines of :func:`~helpers.article.tables.what_fits` hold the largest model size
    at 4 bits or more, and how many bits the largest consumer machine leaves it."""
    sizes = [c for c in fits.columns if c.endswith("B") and c[:-1].isdigit()]
    biggest = sizes[-1]
    holders = fits[fits[biggest] != DOES_NOT_FIT]["hardware"].tolist()
    largest = consumer.sort_values("memory_gb").iloc[-1]
    bits = max_bits_per_weight(largest.memory_gb, float(biggest[:-1]))
    return (f"Only {names_or_none(holders)} hold the weights of a {biggest} model at 4 bits or more. The largest "
            f"consumer machine, the {largest.hardware} ({largest.memory_gb:g} GB; the article: "
            f"\"{largest.what_it_runs}\"), holds {biggest} at no more than {bits:.2f} bits per weight.")


def vram_errata_sentence(vram: pd.DataFrame) -> str:
    """The printed VRAM figures of :func:`~helpers.article.tables.vram_by_model_size` that are
    errata, or that every one holds."""
    off = vram[(vram["fp16_verdict"] == article.ERRATUM) | (vram["4bit_verdict"] == article.ERRATUM)]
    lines = [f"{row.params_billion:g}B at 4 bits: {row.vram_gb_4bit:g} GB, the article prints "
             f"~{row.article_vram_gb_4bit:g} GB" for row in off.itertuples()]
    if not lines:
        return "Every printed VRAM figure holds."
    return ("Errata (weights only; a real 4-bit file carries some overhead, so the printed figure may be a "
            "generous estimate rather than a slip): " + "; ".join(lines) + ".")


def setup_capacity_sentence(r, data_dir=None) -> str:
    """The deployment's GPU bill and monthly capacity beside the article's printed set-up
    figures (a :class:`helpers.derive.Result`)."""
    s = r.scenario
    bill = article.compare(r.replica_usd_per_month, "setup.gpu.usd_per_month", data_dir)
    held = article.compare(r.replica_tokens_per_month, "setup.capacity.tokens_per_month", data_dir)
    return (f"{s.gpu_count}x {s.gpu} ({s.spot_discount:.0%} spot discount): **{usd_text(r.replica_usd_per_month)}** "
            f"a month; the article prints \"{bill['article_text']}\" ({bill['verdict']}). At "
            f"{float(r.tokens_per_s):,.0f} tokens/s it serves **{tokens_text(r.replica_tokens_per_month)} tokens a "
            f"month**; the article prints \"{held['article_text']}\" ({held['verdict']})."
            + ("" if r.gpu_matches_setup else f" Note: the throughput was quoted for the {r.setup_gpu}, not this GPU."))


# --- Notebook 05: the hybrid and the decision framework ------------------------------------------

def hybrid_parts_sentence(hybrid: pd.DataFrame) -> str:
    """The hybrid's API part beside the article's, what all-API would cost, and the range of
    the self-hosted and cheap-API options (:func:`~helpers.article.hybrid_decision.hybrid_table`)."""
    everything = hybrid.iloc[0]
    split = hybrid.iloc[1:]
    self_hosted = split[split["small_model_fits"].notna()]
    api_part = split.iloc[0]
    cheaper = self_hosted[self_hosted["share_of_all_api"] < 1]
    shares, with_hidden = self_hosted["share_of_all_api"], self_hosted["share_with_hidden_of_all_api"]
    return (f"The API part: {tokens_text(api_part.api_tokens_per_month)} tokens to {api_part.api_model} cost "
            f"**{usd_text(api_part.api_usd_per_month)}** a month; the article prints \"{api_part.article_text}\" "
            f"({api_part.article_verdict}). Routing all {tokens_text(everything.api_tokens_per_month)} tokens to "
            f"{everything.api_model} would cost {usd_text(everything.total_usd_per_month)}. The self-hosted options "
            f"cost {shares.min():.0%}-{shares.max():.0%} of that on hardware alone ({len(cheaper)} of "
            f"{len(self_hosted)} cheaper than all-API), and {with_hidden.min():.0%}-{with_hidden.max():.0%} with "
            f"the article's hidden costs. Sending the simple tasks to {split.iloc[-1].simple_tasks_on} instead costs "
            f"{split.iloc[-1].share_of_all_api:.0%} of all-API, with no hardware at all.")


def own_team_sentence(decisions: pd.DataFrame) -> str:
    """The last team of :func:`~helpers.article.hybrid_decision.decision_cases` (the scenario's own):
    its recommendation and what each option costs it; and how many teams told to self-host
    would pay less for the budget API."""
    mine = decisions.iloc[-1]
    selfhosters = decisions[decisions["recommendation"] == SELF_HOST]
    dearer = selfhosters[selfhosters["cheaper_at_open_model_quality"] == API]
    return (f"The parameters' team ({tokens_text(mine.tokens_per_day)} tokens/day): **{mine.recommendation}** "
            f"(step {mine.step}: {mine.reason}). At its volume {mine.flagship_api_model} costs "
            f"{usd_text(mine.flagship_api_usd_per_month)}, {mine.budget_api_model} "
            f"{usd_text(mine.budget_api_usd_per_month)}, and self-hosting {usd_text(mine.selfhost_tco_usd_per_month)} "
            f"a month with hidden costs. Of the {len(selfhosters)} teams told to self-host, {len(dearer)} would pay "
            f"less for {mine.budget_api_model} at open-model quality"
            + (": those answers rest on privacy or scale, not on price." if len(dearer) else "."))


def step_thresholds_sentence(at_low: pd.DataFrame, at_high: pd.DataFrame, low_tokens_per_day: float,
                             high_tokens_per_day: float) -> str:
    """What the APIs cost at the framework's step-1 and step-2 thresholds: ``at_low`` and
    ``at_high`` are :func:`~helpers.article.tables.api_costs` at those daily volumes."""
    budget = at_low.loc[at_low["tier"] == "budget", "usd_per_month"]
    flagship_low = at_low.loc[at_low["tier"] == "flagship", "usd_per_month"]
    flagship_high = at_high.loc[at_high["tier"] == "flagship", "usd_per_month"]
    return (f"At the step-1 threshold ({tokens_text(low_tokens_per_day)} tokens/day) the budget APIs cost "
            f"{usd_text(budget.min())}-{usd_text(budget.max())} a month; in step 2's band "
            f"({tokens_text(low_tokens_per_day)}-{tokens_text(high_tokens_per_day)} tokens/day) the flagship APIs "
            f"cost {usd_text(flagship_low.min())}-{usd_text(flagship_high.max())}. Compare them with the dollar "
            "figures the article prints in steps 1 and 2 (not in data/article_figures.csv, so not checked here).")
