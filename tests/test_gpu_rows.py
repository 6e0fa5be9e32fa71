"""The GPUs clouds rent today (data/gpu_specs.csv, data/gpu_cloud.csv, data/interconnects.csv).

Expected figures are worked by hand from what the rows cite: nvidia-smi's MiB (rocm-smi's bytes)
over 1,024 (2**30) for the memory a device exposes, and half the data sheet's 2:4-sparse figure
for a dense one. The CSVs are read here with the csv module, not through helpers.data."""
import csv
import dataclasses
import math

import pytest

from helpers import capacity, data, paths
from helpers.article import tables
from helpers.capacity.memory import MEMORY_UTILIZATION, memory_budget_bytes
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.uncertainty.montecarlo import reserved_rows

NEW_GPUS = ("NVIDIA L40S", "NVIDIA RTX 6000 Ada", "NVIDIA H100 NVL", "NVIDIA H200 NVL", "NVIDIA B200",
            "AMD Instinct MI300X")


def _csv(table):
    with open(paths.data_file(table), newline="") as handle:
        return {row[next(iter(row))]: row for row in csv.DictReader(handle)}


SPECS = _csv("gpu_specs")
CLOUD = _csv("gpu_cloud")
# Rows priced from a named provider's page: neither the article's nor the aggregator's midpoints.
PROVIDER_ROWS = {gpu: row for gpu, row in CLOUD.items()
                 if not row["source"].startswith(("article:", "No named provider"))}


# What the device reports: nvidia-smi's memory.total (MiB) or rocm-smi's VRAM total (bytes).
@pytest.mark.parametrize("gpu, exposed_gib", [
    ("NVIDIA L4", 23034 / 1024),
    ("NVIDIA L40S", 46068 / 1024),
    ("NVIDIA RTX 6000 Ada", 49140 / 1024),
    ("NVIDIA H100 NVL", 95830 / 1024),
    ("NVIDIA H200 NVL", 143771 / 1024),
    ("NVIDIA B200", 183359 / 1024),
    ("AMD Instinct MI300X", 205822885888 / 2**30),
])
def test_memory_is_what_the_device_exposes(gpu, exposed_gib):
    assert float(SPECS[gpu]["memory_gb"]) == pytest.approx(exposed_gib, abs=0.0005)


def test_the_l4_budget_is_its_23034_mib_not_24_gib():
    assert memory_budget_bytes("NVIDIA L4") == pytest.approx(23034 * 2**20 * MEMORY_UTILIZATION, rel=1e-4)
    # 24 GiB would have given the engine 24 * 1024 / 23034 - 1 = 6.7% more memory in all, most of
    # it KV cache once the 8B model's 16 GB of weights are in.
    assert memory_budget_bytes("NVIDIA L4") < 24 * 2**30 * MEMORY_UTILIZATION


# Dense = half the 2:4-sparse figure of the data sheet the row cites.
@pytest.mark.parametrize("gpu, column, sparse", [
    ("NVIDIA B200", "bf16_tflops", 4500),     # HGX B200: FP16/BF16 4.5 PFLOPS with sparsity
    ("NVIDIA B200", "fp8_tflops", 9000),      # FP8 9 PFLOPS with sparsity
    ("NVIDIA L40S", "fp8_tflops", 1466),      # L40S: FP8 1,466 TFLOPS with sparsity
    ("NVIDIA H100 NVL", "fp8_tflops", 3341),  # H100 NVL: FP8 3,341 TFLOPS with sparsity
    ("NVIDIA H200 NVL", "bf16_tflops", 1671),
    ("NVIDIA RTX 6000 Ada", "fp8_tflops", 1457),
])
def test_dense_tensor_figures_are_half_the_sparse_data_sheet_figure(gpu, column, sparse):
    assert float(SPECS[gpu][column]) == pytest.approx(sparse / 2, abs=0.51)


def test_bandwidths_from_the_data_sheets():
    assert float(SPECS["NVIDIA L40S"]["memory_bandwidth_gb_per_s"]) == 864
    assert float(SPECS["NVIDIA RTX 6000 Ada"]["memory_bandwidth_gb_per_s"]) == 960
    assert float(SPECS["NVIDIA H100 NVL"]["memory_bandwidth_gb_per_s"]) == 3900
    assert float(SPECS["AMD Instinct MI300X"]["memory_bandwidth_gb_per_s"]) == 5300


def test_an_h100_is_three_parts_and_the_article_row_names_its_form_factor():
    forms = {gpu: SPECS[gpu]["form_factor"] for gpu in ("NVIDIA H100 SXM", "NVIDIA H100 PCIe", "NVIDIA H100 NVL")}
    assert forms == {"NVIDIA H100 SXM": "SXM", "NVIDIA H100 PCIe": "PCIe", "NVIDIA H100 NVL": "NVL"}
    article, sxm = SPECS["NVIDIA H100 80GB"], SPECS["NVIDIA H100 SXM"]
    assert article["form_factor"] == "SXM" and "SXM" in article["source"]
    for column in ("memory_gb", "memory_bandwidth_gb_per_s", "bf16_tflops", "fp8_tflops"):
        assert article[column] == sxm[column]


def test_the_articles_rows_keep_their_names_and_prices():
    assert CLOUD["NVIDIA A100 80GB"]["usd_per_hour"] == "2.00"
    assert CLOUD["NVIDIA H100 80GB"]["usd_per_hour"] == "3.50"
    assert CLOUD["NVIDIA H100 80GB"]["gpu_model"] == "NVIDIA H100 80GB"
    assert float(SPECS["NVIDIA A100 80GB"]["memory_gb"]) == 80


def test_every_price_row_names_a_gpu_row_and_every_new_one_a_provider_and_date():
    assert all(row["gpu_model"] in SPECS for row in CLOUD.values())
    assert len(PROVIDER_ROWS) >= 10
    for gpu, row in PROVIDER_ROWS.items():
        provider = gpu[gpu.index("(") + 1:gpu.index(")")].split(",")[0].replace(" spot", "").split()[0]
        assert provider in row["source"], gpu  # the provider the row's name gives is the one cited
        assert row["as_of"] >= "2026-08-01", gpu


def test_new_price_rows_per_gpu_hour_as_the_page_gives_them():
    # Lambda lists 8x B200 at $6.69 per GPU-hour; the row prices the eight.
    assert float(CLOUD["8x NVIDIA B200 (Lambda)"]["usd_per_hour"]) == pytest.approx(8 * 6.69)
    assert float(CLOUD["8x NVIDIA H100 SXM (Lambda)"]["usd_per_hour"]) == pytest.approx(8 * 3.99)
    # AWS p5.48xlarge: $55.04 an hour for eight, $6.88 each.
    assert float(CLOUD["8x NVIDIA H100 SXM (AWS p5.48xlarge)"]["usd_per_hour"]) / 8 == pytest.approx(6.88)
    assert {row["pricing"] for row in PROVIDER_ROWS.values()} == {"on_demand", "spot"}


def test_the_a100_reserved_rows_say_no_provider_is_named():
    for gpu in ("NVIDIA A100 80GB (1-year reserved)", "NVIDIA A100 80GB (3-year reserved)"):
        assert CLOUD[gpu]["source"].startswith("No named provider")


@pytest.mark.parametrize("gpu", NEW_GPUS)
def test_the_capacity_model_serves_llama_8b_on_every_new_gpu(gpu):
    for bits in (16, 8):
        served = capacity.serving_capacity(gpu, "Llama 3.1 8B", weight_bits=bits)
        assert served["gpu_count"] == 1 and served["batch"] >= 1 and served["output_tokens_per_s"] > 0


@pytest.mark.parametrize("gpu", NEW_GPUS)
def test_every_new_gpu_has_an_interconnect_so_tensor_parallelism_runs(gpu):
    assert data.row_of("interconnects", "gpu", gpu)["allreduce_bus_gb_per_s"] > 0
    served = capacity.serving_capacity(gpu, "Llama 3.3 70B", weight_bits=8, gpu_count=2)
    assert served["output_tokens_per_s"] > 0


def test_more_memory_and_bandwidth_serve_more_on_the_same_die():
    # H200 NVL is the H100 NVL's die with 141 GB at 4.8 TB/s: it must serve 70B at FP8 faster.
    h100 = capacity.serving_capacity("NVIDIA H100 NVL", "Llama 3.3 70B", weight_bits=8)
    h200 = capacity.serving_capacity("NVIDIA H200 NVL", "Llama 3.3 70B", weight_bits=8)
    assert h200["output_tokens_per_s"] > h100["output_tokens_per_s"] > 0


@pytest.mark.parametrize("gpu", ["8x NVIDIA B200 (Lambda)", "AMD Instinct MI300X (DigitalOcean)",
                                 "NVIDIA H100 NVL (RunPod)"])
def test_a_scenario_can_rent_a_new_row_and_the_bill_is_price_times_hours(gpu):
    s = dataclasses.replace(Scenario(), gpu=gpu, throughput_source="model")
    result = derive(s)
    assert float(result.replica_usd_per_month) == pytest.approx(float(CLOUD[gpu]["usd_per_hour"]) * 720)
    assert result.tokens_per_s > 0 and math.isfinite(result.tokens_per_s)


def test_the_hybrid_examples_small_gpu_is_still_the_articles_l4():
    # The claims pick the cheapest on-demand row that holds 7B at FP16 (14 GB of weights): a new
    # row under $0.70 an hour would change the article's hybrid example.
    on_demand = [row for row in CLOUD.values() if row["pricing"] == "on_demand" and float(row["vram_gb"]) >= 16]
    cheapest = min(on_demand, key=lambda row: float(row["usd_per_hour"]))
    assert cheapest["gpu"] == "NVIDIA L4"


def test_the_articles_cloud_table_keeps_its_seven_rows_and_the_providers_rows_are_their_own_table():
    printed = tables.gpu_cloud(Scenario())
    assert list(printed["gpu"]) == [gpu for gpu, row in CLOUD.items() if row["source"].startswith("article:")]
    offers = tables.cloud_offers(Scenario()).set_index("gpu")
    assert set(offers.index) == set(CLOUD) - set(printed["gpu"])
    # A spot row is billed at its listed price: no second discount on top.
    row = offers.loc["NVIDIA L40S (Verda spot)"]
    assert row["usd_per_month"] == pytest.approx(0.941 * 720)
    assert (row["form_factor"], row["memory_gib_per_gpu"]) == ("PCIe", pytest.approx(46068 / 1024, abs=0.0005))
    assert offers.loc["8x NVIDIA B200 (Lambda)", "usd_per_month"] == pytest.approx(8 * 6.69 * 720)


def test_a_commitment_compares_the_scenarios_own_price_not_other_providers():
    article_rows = reserved_rows(Scenario())
    assert list(article_rows["gpu"]) == ["NVIDIA A100 80GB", "NVIDIA A100 80GB (1-year reserved)",
                                         "NVIDIA A100 80GB (3-year reserved)"]
    # Three providers rent one H100 SXM on demand; the scenario's row is the one it pays.
    assert sum(row["gpu_model"] == "NVIDIA H100 SXM" and row["gpu_count"] == "1" for row in CLOUD.values()) == 3
    rows = reserved_rows(dataclasses.replace(Scenario(), gpu="NVIDIA H100 SXM (RunPod)"))
    assert list(rows["gpu"]) == ["NVIDIA H100 SXM (RunPod)"]
