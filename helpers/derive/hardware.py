"""What holds a model's weights: memory at each precision, whether they fit, the most
precise format that fits. The article's Consumer GPU and model-size tables and notebook 02 read
these; the formulas are :mod:`helpers.costs.selfhost`'s (weights only: KV cache comes on top).

    vram_gb             = params_billion * bits / 8
    fits                = vram_gb <= memory_gb
    max_bits_per_weight = memory_gb * 8 / params_billion
"""
from __future__ import annotations

from helpers.costs import selfhost

# The precisions the article's tables name, most precise first: name -> bits per weight.
PRECISIONS = {"fp16": 16, "8-bit": 8, "4-bit": 4}
DOES_NOT_FIT = "does not fit"


def weights_vram_gb(params_billion: float, bits_per_weight: float) -> float:
    """Memory of a model's weights at ``bits_per_weight``: params_billion * bits / 8 (70B at
    4 bits: 35 GB)."""
    return selfhost.vram_gb(params_billion, bits_per_weight)


def weights_fit(params_billion: float, bits_per_weight: float, memory_gb: float) -> bool:
    """Whether the weights at ``bits_per_weight`` fit in ``memory_gb``."""
    return selfhost.fits(params_billion, bits_per_weight, memory_gb)


def max_bits_per_weight(memory_gb: float, params_billion: float) -> float:
    """The most bits per weight at which the weights fit: memory_gb * 8 / params_billion (24 GB,
    70B: 2.74)."""
    return selfhost.max_bits_per_weight(memory_gb, params_billion)


def best_precision(params_billion: float, memory_gb: float) -> str:
    """The most precise of :data:`PRECISIONS` at which the weights fit in ``memory_gb``
    (:data:`DOES_NOT_FIT` when even 4-bit does not)."""
    for name, bits in PRECISIONS.items():
        if weights_fit(params_billion, bits, memory_gb):
            return name
    return DOES_NOT_FIT
