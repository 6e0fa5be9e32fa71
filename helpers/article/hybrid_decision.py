"""The article's hybrid example and its Quick Decision Framework as tables (notebook 05), every
figure read from :func:`helpers.derive.derive` and :mod:`helpers.derive.hybrid`, with the
article's printed figures beside them where it printed any."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import article
from helpers.article.tables import with_article
from helpers.assumptions import INPUT_SHARE
from helpers.derive import Result, derive
from helpers.derive.hybrid import ALL_API, hybrid_options


def hybrid_table(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """The scenario's hybrid example, every option of :func:`helpers.derive.hybrid.hybrid_options`
    (all API; the scenario's deployment, which is the panel's hybrid; the small rented GPUs;
    the bought hardware at two electricity bills; a cheap API), against routing everything to
    ``hybrid_api_model``, with the article's printed API part beside each split row.

    share_of_all_api = total / all-API total; ``total_with_hidden_usd_per_month`` adds the
    scenario's DevOps + infrastructure to the self-hosted options; ``small_model_fits`` says
    whether the small model's weights fit the hardware at its bits."""
    s = r.scenario
    options = hybrid_options(r, data_dir)
    frame = pd.DataFrame([{
        "option": o.option, "simple_tasks_on": o.simple_tasks_on, "api_model": o.api_model,
        "api_tokens_per_month": int(round(o.api_tokens_per_month)),
        "simple_tokens_per_month": int(round(o.simple_tokens_per_month)),
        "api_usd_per_month": o.api_usd_per_month,
        "simple_tasks_usd_per_month": o.simple_tasks_usd_per_month,
        "total_usd_per_month": o.total_usd_per_month,
        "share_of_all_api": o.share_of_all_api,
        "total_with_hidden_usd_per_month": o.total_with_hidden_usd_per_month,
        "small_model_fits": o.small_model_fits,
        "share_with_hidden_of_all_api": o.share_with_hidden_of_all_api,
    } for o in options])
    ids = [None if o == ALL_API else "hybrid.api.usd_per_month" for o in frame["option"]]
    article_api_model = article.figure("hybrid.api.usd_per_month", data_dir)["row_key"].removeprefix("API: ")
    comparable = s.hybrid_api_model == article_api_model and article.article_prices(s) and article.same_inputs(
        (s.hybrid_api_share * s.hybrid_monthly_tokens, article.value("hybrid.api.tokens_per_month", data_dir)),
        (s.input_share, INPUT_SHARE))
    return with_article(frame, ids, "api_usd_per_month", data_dir=data_dir, comparable=comparable)


def decision_cases(r: Result, cases: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    """The four-step framework applied to each team of ``cases`` (columns team, tokens_per_day,
    privacy_required, needs_flagship_quality, has_ml_expertise), with what the options cost at
    that team's volume: each team is the scenario with the team's answers, priced by
    :func:`helpers.derive.derive` (its ``decision``, bills and ``winner``):

    flagship / budget API   tokens_per_month / 1e6 * blended price (scenario's flagship and
                            budget API models)
    selfhost_gpu_count      units of the replicas the volume needs (at least one deployment)
    selfhost_usd_per_month  mean replicas * one deployment's GPU bill
    selfhost_tco            + DevOps + infrastructure (per month, whatever the replicas)
    cheaper_at_open_model_quality  derive's winner against the budget API ("Breakeven" within 1%)
    """
    s = r.scenario
    flagship, budget = s.flagship_api_model, s.budget_api_model
    rows = []
    for case in cases.to_dict("records"):
        team = dataclasses.replace(s, tokens_per_day=float(case["tokens_per_day"]),
                                   privacy_required=bool(case["privacy_required"]),
                                   needs_flagship_quality=bool(case["needs_flagship_quality"]),
                                   has_ml_expertise=bool(case["has_ml_expertise"]))
        at = derive(team, data_dir=data_dir, api_models=list(dict.fromkeys([flagship, budget])))
        rows.append({
            "team": case["team"],
            "tokens_per_day": int(round(case["tokens_per_day"])),
            "tokens_per_month": int(round(at.at("tokens_per_month"))),
            "privacy_required": team.privacy_required,
            "needs_flagship_quality": team.needs_flagship_quality,
            "has_ml_expertise": team.has_ml_expertise,
            "recommendation": at.decision.recommendation,
            "step": at.decision.step,
            "reason": at.decision.reason,
            "flagship_api_model": flagship,
            "flagship_api_usd_per_month": at.at("api_usd_per_month", flagship),
            "budget_api_model": budget,
            "budget_api_usd_per_month": at.at("api_usd_per_month", budget),
            "selfhost_gpu_count": int(at.at("replicas")) * s.gpu_count,
            "selfhost_usd_per_month": at.at("gpu_usd_per_month"),
            "selfhost_tco_usd_per_month": at.at("tco_usd_per_month"),
            "cheaper_at_open_model_quality": str(np.asarray(at.winner[budget]).ravel()[0]),
        })
    return pd.DataFrame(rows)
