"""What bought hardware costs a month: the article's consumer "one-time purchase" with "zero
recurring cost after purchase (besides electricity, roughly $30-80/month)", and a data-centre
server priced in full (capital, energy, colocation, maintenance).

    usd_per_month = capital + energy + colocation + maintenance

Every function works elementwise on numpy arrays (the Monte Carlo draws its inputs), and
returns a float for scalar inputs.
"""
from __future__ import annotations

import numpy as np

MONTHS_PER_YEAR = 12


def _out(value):
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value


def capital_usd_per_month(purchase_usd, depreciation_years, residual_share=0.0, cost_of_capital_per_year=0.0):
    """The level monthly payment that repays the purchase, less the discounted resale value,
    over the depreciation period at the cost of capital (an annuity):

        n        = depreciation_years * 12                      (months)
        r        = (1 + cost_of_capital_per_year) ** (1/12) - 1 (monthly rate)
        financed = purchase_usd - residual_share * purchase_usd / (1 + r) ** n
        capital  = financed * r / (1 - (1 + r) ** -n)
                 = (purchase_usd - residual_share * purchase_usd) / n   when the rate is 0
                                                                        (straight-line)

    The article's RTX 4090 ($1,600, written off over 36 months, nothing resold, no interest):
    1,600 / 36 = $44.44 a month. An 8x H100 server at $199,000 resold at 35% after 4 years:
    straight-line (199,000 - 69,650) / 48 = $2,694.79; at 10% a year (r = 1.1 ** (1/12) - 1,
    (1 + r) ** 48 = 1.4641) financed = 199,000 - 69,650 / 1.4641 = 151,428.1 and the payment
    151,428.1 * r / (1 - 1 / 1.4641) = $3,809.34.
    """
    purchase = np.asarray(purchase_usd, dtype=float)
    years = np.asarray(depreciation_years, dtype=float)
    residual = np.asarray(residual_share, dtype=float)
    rate = np.asarray(cost_of_capital_per_year, dtype=float)
    if np.any(purchase < 0):
        raise ValueError(f"purchase_usd must not be negative, got {purchase_usd!r}")
    if np.any(years <= 0):
        raise ValueError(f"depreciation_years must be positive, got {depreciation_years!r}")
    if np.any((residual < 0) | (residual >= 1)):
        raise ValueError(f"residual_share must lie in 0..1 (1 excluded), got {residual_share!r}")
    if np.any(rate <= -1):
        raise ValueError(f"cost_of_capital_per_year must be above -1, got {cost_of_capital_per_year!r}")
    months = years * MONTHS_PER_YEAR
    monthly = (1.0 + rate) ** (1.0 / MONTHS_PER_YEAR) - 1.0
    growth = (1.0 + monthly) ** months
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = (purchase - residual * purchase / growth) * monthly / (1.0 - 1.0 / growth)
    straight = (purchase - residual * purchase) / months
    return _out(np.where(np.abs(monthly) < 1e-12, straight, annuity))


def energy_usd_per_month(power_kw, usd_per_kwh, hours_per_month, utilisation=1.0, pue=1.0):
    """Electricity for hardware drawing ``power_kw`` at full load, in a facility of ``pue``:

        energy = power_kw * pue * hours_per_month * utilisation * usd_per_kwh

    The draw is weighted by the utilisation (a GPU idle half the month draws about half its
    full-load energy). The article's RTX 4090 workstation, the card's 450 W around the clock at
    the U.S. residential 15.45 cents: 0.45 * 1.0 * 720 * 1.0 * 0.1545 = $50.06 a month, inside
    its "$30-80". An 8x H100 server (10.2 kW) in a PUE 1.58 facility at 8.95 cents, fully used:
    10.2 * 1.58 * 720 * 0.0895 = $1,038.52.
    """
    for name, value in (("power_kw", power_kw), ("usd_per_kwh", usd_per_kwh), ("hours_per_month", hours_per_month)):
        if np.any(np.asarray(value, dtype=float) < 0):
            raise ValueError(f"{name} must not be negative, got {value!r}")
    if np.any((np.asarray(utilisation, dtype=float) < 0) | (np.asarray(utilisation, dtype=float) > 1)):
        raise ValueError(f"utilisation must lie in 0..1, got {utilisation!r}")
    if np.any(np.asarray(pue, dtype=float) < 1):
        raise ValueError(f"pue must be at least 1 (facility power over IT power), got {pue!r}")
    return _out(np.asarray(power_kw, dtype=float) * pue * hours_per_month * utilisation * usd_per_kwh)


def colocation_usd_per_month(power_kw, colocation_usd_per_kw_month):
    """Rack space, power delivery and cooling capacity rented by the kW of the hardware's
    full-load draw (energy is billed apart, :func:`energy_usd_per_month`):

        colocation = power_kw * colocation_usd_per_kw_month

    An 8x H100 server (10.2 kW) at $196 per kW-month: 10.2 * 196 = $1,999.20. At home: 0.
    """
    if np.any(np.asarray(power_kw, dtype=float) < 0) or np.any(np.asarray(colocation_usd_per_kw_month) < 0):
        raise ValueError("power_kw and colocation_usd_per_kw_month must not be negative")
    return _out(np.asarray(power_kw, dtype=float) * colocation_usd_per_kw_month)


def maintenance_usd_per_month(purchase_usd, maintenance_share_per_year):
    """Support and repairs as a yearly share of the purchase price:

        maintenance = purchase_usd * maintenance_share_per_year / 12

    NVIDIA's DGX support at about 20% of the $199,000 base a year: 199,000 * 0.2 / 12 =
    $3,316.67 a month. The article's consumer card: 0 ("zero recurring cost").
    """
    if np.any(np.asarray(purchase_usd, dtype=float) < 0) or np.any(np.asarray(maintenance_share_per_year) < 0):
        raise ValueError("purchase_usd and maintenance_share_per_year must not be negative")
    return _out(np.asarray(purchase_usd, dtype=float) * maintenance_share_per_year / MONTHS_PER_YEAR)


def breakeven_utilisation(fixed_usd_per_month, energy_usd_per_month_at_full_use, rent_usd_per_month_at_full_use):
    """The utilisation above which owning is cheaper than renting the same hardware for only
    the hours it is used. Owning costs fixed + energy_at_full * u a month, renting rent_at_full
    * u, so they meet at

        u* = fixed / (rent_at_full - energy_at_full)

    (infinite when the rent does not even cover the energy). Above 1 buying never wins within
    the month's hours. The 8x H100 server (fixed $2,694.79 + $1,999.20 + $3,316.67 =
    $8,010.66, energy $1,038.52 at full use) against Lambda's $31.92 an hour (720 hours:
    $22,982.40): 8,010.66 / (22,982.40 - 1,038.52) = 0.365.
    """
    fixed = np.asarray(fixed_usd_per_month, dtype=float)
    margin = np.asarray(rent_usd_per_month_at_full_use, dtype=float) - np.asarray(
        energy_usd_per_month_at_full_use, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(margin > 0, fixed / np.where(margin > 0, margin, 1.0), np.inf)
    return _out(share)
