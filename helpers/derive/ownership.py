"""Rent, reserve or buy: what one replica of the scenario's deployment costs a month under its
``acquisition``, and the ownership table (rent against buy for each GPU).

    rent     replica = usd_per_hour * hours_per_month * gpu_count * (1 - spot_discount)
    reserve  the same, on a reserved row of gpu_cloud.csv (pricing reserved_1y / reserved_3y)
    buy      replica = share * (capital + energy + colocation + maintenance) of the owned row,
             share   = GPUs in the replica (the gpu row's gpu_count * the scenario's gpu_count)
                       / GPUs of the owned row

A bought replica goes through the same replicas, capacity steps and hidden costs as a rented
one (``helpers.derive.derive``); the spot discount applies to rented hardware only. Empty
scenario figures come from the owned row of ``data/ownership_hardware.csv`` and the point of
its site's rows of ``data/ownership_facility.csv``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from helpers import data
from helpers.costs import ownership
from helpers.scenario import Scenario

RESERVED = ("reserved_1y", "reserved_3y")
# Inputs of a bought replica the Monte Carlo may draw (one value per draw).
OWNERSHIP_DRAWABLE = ("usd_per_kwh", "pue", "residual_share", "utilisation")


@dataclass(frozen=True)
class OwnedInputs:
    """Every figure that prices one owned row: the scenario's, or its data rows' where empty."""

    hardware: str
    gpu_model: str
    gpu_count: int  # GPUs of the owned row
    site: str
    purchase_usd: float
    depreciation_years: float
    residual_share: float
    cost_of_capital_per_year: float
    power_kw: float
    utilisation: float
    pue: float
    usd_per_kwh: float
    colocation_usd_per_kw_month: float
    maintenance_share_per_year: float


@dataclass(frozen=True)
class OwnedBill:
    """A month of owned hardware, by component (scalars, or arrays over draws)."""

    capital_usd_per_month: float | np.ndarray
    energy_usd_per_month: float | np.ndarray
    colocation_usd_per_month: float | np.ndarray
    maintenance_usd_per_month: float | np.ndarray

    @property
    def usd_per_month(self):
        """capital + energy + colocation + maintenance."""
        return (self.capital_usd_per_month + self.energy_usd_per_month + self.colocation_usd_per_month
                + self.maintenance_usd_per_month)

    def scaled(self, share) -> "OwnedBill":
        """The bill of ``share`` of the hardware (a replica's GPUs over the row's)."""
        return OwnedBill(*(value * share for value in asdict(self).values()))


def owned_row(scenario: Scenario, data_dir: Path | None = None) -> dict:
    """The row of ``ownership_hardware.csv`` the scenario buys: ``owned_hardware``, or the row
    holding the GPU model of the scenario's gpu row."""
    if scenario.owned_hardware is not None:
        return data.lookup("ownership_hardware", "hardware", scenario.owned_hardware, data_dir)
    gpu_model = data.lookup("gpu_cloud", "gpu", scenario.gpu, data_dir)["gpu_model"]
    table = data.load("ownership_hardware", data_dir)
    rows = table[table["gpu_model"] == gpu_model]
    if rows.empty:
        raise ValueError(f"acquisition 'buy': data/ownership_hardware.csv has no row for {gpu_model!r} (the GPU "
                         f"model of gpu {scenario.gpu!r}); set owned_hardware to one of: "
                         f"{', '.join(table['hardware'])}")
    return rows.iloc[0].to_dict()


def _facility_point(parameter: str, site: str, data_dir: Path | None) -> float:
    table = data.load("ownership_facility", data_dir)
    rows = table[(table["parameter"] == parameter) & (table["site"] == site)]
    if rows.empty:
        raise ValueError(f"data/ownership_facility.csv has no row for parameter {parameter!r} at site {site!r}")
    return float(rows.iloc[0]["point"])


def owned_inputs(scenario: Scenario, data_dir: Path | None = None, row: dict | None = None) -> OwnedInputs:
    """The scenario's ownership figures, each empty one from the owned row (``row``, default
    :func:`owned_row`) or the point of its site's facility rows."""
    row = row if row is not None else owned_row(scenario, data_dir)
    site = str(row["site"])

    def pick(name, fallback):
        value = getattr(scenario, name)
        return float(fallback() if value is None else value)

    return OwnedInputs(
        hardware=str(row["hardware"]), gpu_model=str(row["gpu_model"]), gpu_count=int(row["gpu_count"]), site=site,
        purchase_usd=pick("purchase_usd", lambda: row["purchase_usd"]),
        depreciation_years=pick("depreciation_years", lambda: row["depreciation_years"]),
        residual_share=pick("residual_share", lambda: row["residual_share"]),
        cost_of_capital_per_year=float(scenario.cost_of_capital_per_year),
        power_kw=pick("power_kw", lambda: row["power_kw"]),
        utilisation=float(scenario.utilisation),
        pue=pick("pue", lambda: _facility_point("pue", site, data_dir)),
        usd_per_kwh=pick("usd_per_kwh", lambda: _facility_point("usd_per_kwh", site, data_dir)),
        colocation_usd_per_kw_month=pick("colocation_usd_per_kw_month",
                                         lambda: _facility_point("colocation_usd_per_kw_month", site, data_dir)),
        maintenance_share_per_year=pick("maintenance_share_per_year", lambda: row["maintenance_share_per_year"]),
    )


def owned_bill(inputs: OwnedInputs, hours_per_month, drawn: Callable | None = None) -> OwnedBill:
    """The month of the whole owned row (:mod:`helpers.costs.ownership`); ``drawn(name, value)``
    swaps in the draws of :data:`OWNERSHIP_DRAWABLE`."""
    drawn = drawn or (lambda name, value: value)
    return OwnedBill(
        capital_usd_per_month=ownership.capital_usd_per_month(
            inputs.purchase_usd, inputs.depreciation_years, drawn("residual_share", inputs.residual_share),
            inputs.cost_of_capital_per_year),
        energy_usd_per_month=ownership.energy_usd_per_month(
            inputs.power_kw, drawn("usd_per_kwh", inputs.usd_per_kwh), hours_per_month,
            drawn("utilisation", inputs.utilisation), drawn("pue", inputs.pue)),
        colocation_usd_per_month=ownership.colocation_usd_per_month(inputs.power_kw,
                                                                    inputs.colocation_usd_per_kw_month),
        maintenance_usd_per_month=ownership.maintenance_usd_per_month(inputs.purchase_usd,
                                                                      inputs.maintenance_share_per_year),
    )


def replica_usd_per_month(scenario: Scenario, gpu_row: dict, rented_usd_per_month, hours_per_month,
                          drawn: Callable | None = None, data_dir: Path | None = None):
    """One replica's monthly bill under the scenario's acquisition (see the module docstring):
    the rented bill as given for 'rent' and 'reserve' (which must name a reserved row), the
    owned bill's share for 'buy'."""
    if scenario.acquisition == "rent":
        return rented_usd_per_month
    if scenario.acquisition == "reserve":
        if gpu_row["pricing"] not in RESERVED:
            table = data.load("gpu_cloud", data_dir)
            reserved = table[table["pricing"].isin(RESERVED)]["gpu"]
            raise ValueError(f"acquisition 'reserve': gpu {scenario.gpu!r} is priced {gpu_row['pricing']}, not "
                             f"reserved; reserved rows of data/gpu_cloud.csv: {', '.join(reserved)}")
        return rented_usd_per_month
    inputs = owned_inputs(scenario, data_dir)
    share = float(gpu_row["gpu_count"]) * scenario.gpu_count / inputs.gpu_count
    return owned_bill(inputs, hours_per_month, drawn).scaled(share).usd_per_month


def ownership_table(scenario: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """``tables/ownership.csv``: for each row of ``ownership_hardware.csv``, the month of
    buying it (at the scenario's hours, utilisation, cost of capital and any figure it sets) and
    of renting each ``gpu_cloud.csv`` row of the same GPU model for as many GPUs, with per
    GPU-hour figures (usd_per_month / (GPUs * hours_per_month)). ``breakeven_utilisation_vs_rent``
    is the utilisation above which buying beats that rent
    (:func:`helpers.costs.ownership.breakeven_utilisation`); on the buy row, against the
    cheapest on-demand rent of the model (empty when the model rents nowhere). Spot rows: that
    cheapest on-demand rent at the article's spot discount, low and high of
    ``hidden_costs.csv`` (40% and 60%)."""
    hours = scenario.hours_per_month
    rented = data.load("gpu_cloud", data_dir)
    spot = data.lookup("hidden_costs", "parameter", "spot_discount", data_dir)
    rows = []
    for _, hardware in data.load("ownership_hardware", data_dir).iterrows():
        inputs = owned_inputs(scenario, data_dir, hardware.to_dict())
        gpus = inputs.gpu_count
        full_use = owned_bill(inputs, hours, lambda name, value: 1.0 if name == "utilisation" else value)
        bill = owned_bill(inputs, hours)
        fixed = full_use.usd_per_month - full_use.energy_usd_per_month
        rent_rows = []
        for _, rent in rented[rented["gpu_model"] == inputs.gpu_model].iterrows():
            rent_usd = float(rent["usd_per_hour"]) / float(rent["gpu_count"]) * gpus * hours
            rent_rows.append({
                "option": rent["gpu"], "acquisition": "reserve" if rent["pricing"] in RESERVED else "rent",
                "pricing": rent["pricing"], "gpu": inputs.gpu_model, "gpu_count": gpus,
                "usd_per_month": rent_usd, "usd_per_gpu_hour": rent_usd / (gpus * hours),
                "breakeven_utilisation_vs_rent": ownership.breakeven_utilisation(
                    fixed, full_use.energy_usd_per_month, rent_usd),
            })
        on_demand = [r for r in rent_rows if r["pricing"] == "on_demand"]
        cheapest = min(on_demand, key=lambda r: r["usd_per_month"]) if on_demand else None
        if cheapest is not None:
            for level in ("low", "high"):
                discount = spot[level]
                spot_usd = cheapest["usd_per_month"] * (1.0 - discount)
                rent_rows.append({
                    **cheapest, "option": f"{cheapest['option']} at a {discount:.0%} spot discount",
                    "pricing": "spot", "usd_per_month": spot_usd, "usd_per_gpu_hour": spot_usd / (gpus * hours),
                    "breakeven_utilisation_vs_rent": ownership.breakeven_utilisation(
                        fixed, full_use.energy_usd_per_month, spot_usd),
                })
        rows.append({
            "option": inputs.hardware, "acquisition": "buy", "pricing": "purchase", "gpu": inputs.gpu_model,
            "gpu_count": gpus, **asdict(bill), "usd_per_month": bill.usd_per_month,
            "usd_per_gpu_hour": bill.usd_per_month / (gpus * hours),
            "breakeven_utilisation_vs_rent": cheapest["breakeven_utilisation_vs_rent"] if cheapest else np.nan,
            "breakeven_rent_option": cheapest["option"] if cheapest else None,
            **{name: value for name, value in asdict(inputs).items()
               if name not in ("hardware", "gpu_model", "gpu_count")},
            "hours_per_month": hours,
        })
        rows.extend(rent_rows)
    return pd.DataFrame(rows)


def horizon_table(scenario: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """Rent against buy over each horizon of ``ownership_resale.csv``: for each data-centre row
    of ``ownership_hardware.csv``, bought and sold after ``years`` at that age's resale share
    (the scenario's utilisation, cost of capital and facility figures), against renting the
    cheapest on-demand row of the same GPU model for the hours used (rent at full use *
    utilisation). ``buy_cheaper`` marks the horizons where owning costs less a month."""
    hours = scenario.hours_per_month
    rented = data.load("gpu_cloud", data_dir)
    resale = data.load("ownership_resale", data_dir)
    rows = []
    for _, hardware in data.load("ownership_hardware", data_dir).iterrows():
        if hardware["site"] != "data_centre":
            continue
        on_demand = rented[(rented["gpu_model"] == hardware["gpu_model"]) & (rented["pricing"] == "on_demand")]
        if on_demand.empty:
            continue
        inputs = owned_inputs(scenario, data_dir, hardware.to_dict())
        per_gpu_hour = on_demand["usd_per_hour"] / on_demand["gpu_count"]
        cheapest = on_demand.loc[per_gpu_hour.idxmin()]
        rent_usd = float(per_gpu_hour.min()) * inputs.gpu_count * hours * inputs.utilisation
        for _, age in resale.iterrows():
            held = dataclasses.replace(inputs, depreciation_years=float(age["age_years"]),
                                       residual_share=float(age["residual_share"]))
            owned = owned_bill(held, hours).usd_per_month
            rows.append({"option": inputs.hardware, "years": float(age["age_years"]),
                         "residual_share": held.residual_share, "utilisation": inputs.utilisation,
                         "buy_usd_per_month": owned, "rent_option": cheapest["gpu"],
                         "rent_usd_per_month": rent_usd, "buy_cheaper": bool(owned < rent_usd)})
    return pd.DataFrame(rows)


def electricity_readings(power_kw: float, site: str = "home", hours_per_month: float = 720,
                         data_dir: Path | None = None) -> dict[str, float]:
    """Monthly electricity of ``power_kw`` run flat out at the low, point and high price and PUE
    of ``site`` (``ownership_facility.csv``): the readings of the article's "$30-80/month"."""
    table = data.load("ownership_facility", data_dir).set_index(["parameter", "site"])
    price, pue = table.loc[("usd_per_kwh", site)], table.loc[("pue", site)]
    return {level: ownership.energy_usd_per_month(power_kw, float(price[level]), hours_per_month, 1.0,
                                                  float(pue[level])) for level in ("low", "point", "high")}
