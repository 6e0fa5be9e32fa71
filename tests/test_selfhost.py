"""helpers.costs.selfhost against the Cloud GPU table, the set-up's capacity and the VRAM table."""
import pytest

from helpers import capacity, data
from helpers.costs import selfhost
from tests.conftest import within_print


def test_every_cloud_row_monthly_bill_matches_article(printed):
    cloud = data.load("gpu_cloud")
    printed_rows = (cloud["pricing"] == "on_demand") & cloud["source"].str.startswith("article:")
    assert printed_rows.sum() == 7  # the article's Cloud GPU Pricing table; providers' rows have no printed bill
    for row in cloud[printed_rows].itertuples():
        bill = selfhost.gpu_usd_per_month(row.usd_per_hour)
        assert within_print(bill, printed.loc[f"gpu.{row.gpu}.usd_per_month"]), row.gpu


def test_gpu_bill_scales_with_count_hours_and_spot():
    assert selfhost.gpu_usd_per_month(2.0) == pytest.approx(1440)
    assert selfhost.gpu_usd_per_month(2.0, gpu_count=2) == pytest.approx(2880)
    assert selfhost.gpu_usd_per_month(2.0, hours_per_month=730) == pytest.approx(1460)
    # 40-60% spot discount on an A100: $864 to $576 a month
    assert selfhost.gpu_usd_per_month(2.0, spot_discount=0.4) == pytest.approx(864)
    assert selfhost.gpu_usd_per_month(2.0, spot_discount=0.6) == pytest.approx(576)


@pytest.mark.parametrize("kwargs", [dict(usd_per_hour=-1), dict(usd_per_hour=1, hours_per_month=800),
                                    dict(usd_per_hour=1, gpu_count=0), dict(usd_per_hour=1, spot_discount=1.0)])
def test_gpu_bill_rejects_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        selfhost.gpu_usd_per_month(**kwargs)


def test_single_gpu_capacity_matches_article(printed):
    setup = data.row(data.load("selfhost_setups"), "setup", "article_a100_llama70b")
    capacity = selfhost.tokens_per_month_capacity(setup["tokens_per_s_conservative"])
    assert capacity == pytest.approx(1500 * 3600 * 720)  # 3.888e9
    assert within_print(capacity, printed.loc["setup.capacity.tokens_per_month"])


def test_vram_fp16_column_of_article_holds_for_every_size():
    for row in data.load("model_sizes").itertuples():
        assert selfhost.vram_gb(row.params_billion, 16) == pytest.approx(row.vram_gb_fp16)


def test_vram_4bit_by_hand():
    assert selfhost.vram_gb(70, 4) == pytest.approx(35)
    assert selfhost.vram_gb(13, 4) == pytest.approx(6.5)  # the article prints ~8 GB
    assert selfhost.vram_gb(405, 4) == pytest.approx(202.5)  # the article prints ~200 GB
    assert selfhost.vram_gb(7, 16, overhead_share=0.2) == pytest.approx(16.8)


def test_what_fits_where():
    assert not selfhost.fits(70, 4, 24)  # 70B at 4 bits on one RTX 4090: 35 GB > 24 GB
    assert selfhost.fits(70, 4, 48)  # on two
    assert selfhost.fits(70, 4, 80)  # on one A100 80GB
    assert not selfhost.fits(405, 16, 640)  # 405B FP16 on 8x A100 80GB: 810 > 640
    assert selfhost.max_bits_per_weight(24, 70) == pytest.approx(24 * 8 / 70)


def test_amortized_hardware():
    assert selfhost.amortized_usd_per_month(1600, 36, 30) == pytest.approx(1600 / 36 + 30)
    with pytest.raises(ValueError):
        selfhost.amortized_usd_per_month(1600, 0)


def test_practical_bits_per_weight_of_real_formats():
    """Scales and zero points by hand: AWQ/GPTQ groups of 128 weights carry a 16-bit scale and a
    4-bit zero (4 + 20/128); GGUF Q8_0 blocks of 32 carry a 16-bit scale (8 + 16/32)."""
    assert capacity.practical_bits_per_weight("awq_gptq_4bit_g128") == pytest.approx(4 + 20 / 128)
    assert capacity.quantisation_overhead_bits("awq_gptq_4bit_g128") == pytest.approx(20 / 128)
    assert capacity.practical_bits_per_weight("gguf_q8_0") == pytest.approx(8 + 16 / 32, abs=0.01)
    assert capacity.practical_bits_per_weight("nominal_4bit") == 4
    # a 13B model at a common 4-bit format is about 7.9 GB, not 13 x 4 / 8 = 6.5 GB
    assert selfhost.vram_gb(13, capacity.practical_bits_per_weight("gguf_q4_k_m")) == pytest.approx(7.95, abs=0.01)
    # llama.cpp's 70B Q4_K_M file is 43.1 GB for Llama 3.1 70B's 70.6B parameters
    assert selfhost.vram_gb(70.6, capacity.practical_bits_per_weight("gguf_q4_k_m")) == pytest.approx(43.1, rel=0.01)


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(KeyError, match="no format 'int3'.*known: fp16"):
        capacity.practical_bits_per_weight("int3")
