"""What an API costs: section "The Cost of API Access" of the article."""
from __future__ import annotations

import numpy as np

from helpers.assumptions import DAYS_PER_MONTH, INPUT_SHARE, TOKENS_PER_MILLION


def _check_share(input_share: float) -> None:
    if not np.all((0.0 <= np.asarray(input_share)) & (np.asarray(input_share) <= 1.0)):
        raise ValueError(f"input_share must lie in 0..1, got {input_share!r}")


def blended_usd_per_1m(usd_per_1m_input: float, usd_per_1m_output: float,
                       input_share: float = INPUT_SHARE) -> float:
    """Price of one million tokens of which ``input_share`` are input tokens.

    blended = input_share * usd_per_1m_input + (1 - input_share) * usd_per_1m_output

    At the article's 50/50 split this is (input + output) / 2, e.g. GPT-5:
    (1.25 + 10.00) / 2 = 5.625 USD per 1M tokens.
    """
    _check_share(input_share)
    if np.any(np.asarray(usd_per_1m_input) < 0) or np.any(np.asarray(usd_per_1m_output) < 0):
        raise ValueError("prices per 1M tokens must not be negative")
    return input_share * usd_per_1m_input + (1.0 - input_share) * usd_per_1m_output


def tokens_per_month(tokens_per_day: float, days_per_month: float = DAYS_PER_MONTH) -> float:
    """Monthly volume of a daily volume: tokens_per_day * days_per_month (30 in the article)."""
    if np.any(np.asarray(tokens_per_day) < 0):
        raise ValueError(f"tokens_per_day must not be negative, got {tokens_per_day!r}")
    return tokens_per_day * days_per_month


def tokens_per_day(tokens_per_month_: float, days_per_month: float = DAYS_PER_MONTH) -> float:
    """Daily volume of a monthly volume: tokens_per_month / days_per_month."""
    return tokens_per_month_ / days_per_month


def api_usd_per_month(monthly_tokens: float, blended_usd_per_1m_: float) -> float:
    """API bill for a month: monthly_tokens / 1e6 * blended USD per 1M tokens.

    Linear in volume, zero at zero volume ("No idle cost").
    """
    if np.any(np.asarray(monthly_tokens) < 0):
        raise ValueError(f"monthly_tokens must not be negative, got {monthly_tokens!r}")
    return monthly_tokens / TOKENS_PER_MILLION * blended_usd_per_1m_


def api_usd_per_month_at_daily(tokens_per_day_: float, blended_usd_per_1m_: float,
                               days_per_month: float = DAYS_PER_MONTH) -> float:
    """API bill for a month at a daily volume: tokens_per_day * days_per_month / 1e6 * blended."""
    return api_usd_per_month(tokens_per_month(tokens_per_day_, days_per_month), blended_usd_per_1m_)


def _check_unit_share(name: str, value: float) -> None:
    if not np.all((0.0 <= np.asarray(value)) & (np.asarray(value) <= 1.0)):
        raise ValueError(f"{name} must lie in 0..1, got {value!r}")


def cached_usd_per_1m_input(usd_per_1m_input: float, usd_per_1m_cached_input: float | None,
                            cached_input_share: float = 0.0) -> float:
    """Average price of one million input tokens when ``cached_input_share`` of them are read
    from the provider's prompt cache:

        input_effective = (1 - cached_input_share) * usd_per_1m_input
                          + cached_input_share * usd_per_1m_cached_input

    A model without a cached rate (``None``) pays list price for every input token. E.g. GPT-5
    (1.25 list, 0.125 cached) with 60% of input cached: 0.4 * 1.25 + 0.6 * 0.125 = 0.575.
    Cache writes (Anthropic charges 1.25x input to write) are not counted: the share is of reads.
    """
    _check_unit_share("cached_input_share", cached_input_share)
    if usd_per_1m_cached_input is None or np.isnan(usd_per_1m_cached_input):
        return usd_per_1m_input
    if np.any(np.asarray(usd_per_1m_input) < 0) or usd_per_1m_cached_input < 0:
        raise ValueError("prices per 1M tokens must not be negative")
    return (1.0 - cached_input_share) * usd_per_1m_input + cached_input_share * usd_per_1m_cached_input


def batch_factor(batch_share: float = 0.0, batch_discount_share: float = 0.0) -> float:
    """What a token costs relative to list when ``batch_share`` of traffic goes through a batch
    API that is ``batch_discount_share`` cheaper:

        factor = 1 - batch_share * batch_discount_share

    E.g. a quarter of the traffic at OpenAI's 50% batch discount: 1 - 0.25 * 0.5 = 0.875.
    """
    _check_unit_share("batch_share", batch_share)
    _check_unit_share("batch_discount_share", batch_discount_share)
    return 1.0 - batch_share * batch_discount_share


def blended_usd_per_1m_paid(usd_per_1m_input: float, usd_per_1m_output: float,
                            input_share: float = INPUT_SHARE, *,
                            usd_per_1m_cached_input: float | None = None,
                            cached_input_share: float = 0.0,
                            batch_share: float = 0.0, batch_discount_share: float = 0.0) -> float:
    """The blended price per 1M tokens that is actually paid, with prompt caching and batching:

        blended = (1 - batch_share * batch_discount_share)
                  * [input_share * input_effective + (1 - input_share) * usd_per_1m_output]

    with ``input_effective`` from :func:`cached_usd_per_1m_input`. The batch discount applies to
    the whole bill, cached input included, as Anthropic, Mistral and xAI document; Google keeps
    cached input at the standard rate in batch mode and Groq does not stack the two, so there
    this slightly overstates the saving when both shares are large.

    With both shares 0 this is the article's :func:`blended_usd_per_1m`. Worked example (GPT-5,
    1.25 / 10.00 / 0.125 cached, 50/50, 60% of input cached, a quarter of traffic batched at 50%):
    0.875 * (0.5 * 0.575 + 0.5 * 10.00) = 0.875 * 5.2875 = 4.6265625 USD per 1M tokens.
    """
    effective_input = cached_usd_per_1m_input(usd_per_1m_input, usd_per_1m_cached_input,
                                              cached_input_share)
    blended = blended_usd_per_1m(effective_input, usd_per_1m_output, input_share)
    return batch_factor(batch_share, batch_discount_share) * blended
