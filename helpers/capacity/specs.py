"""Look-ups of the tables the capacity model reads: a GPU's datasheet row (``data/gpu_specs.csv``),
a model's published configuration (``data/models.csv``) and the parameters counted from it."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers import data


def gpu_spec(gpu: str, data_dir: Path | None = None) -> pd.Series:
    """The row of ``data/gpu_specs.csv`` named ``gpu`` (first column or one of its aliases)."""
    try:
        return data.row_of("gpu_specs", "gpu", gpu, data_dir)
    except KeyError:  # not a first-column name: perhaps an alias
        pass
    specs = data.load("gpu_specs", data_dir)
    for _, spec in specs.iterrows():
        aliases = spec["aliases"] if isinstance(spec["aliases"], str) else ""
        if gpu in [a.strip() for a in aliases.split(";")]:
            return spec
    raise KeyError(f"data/gpu_specs.csv has no gpu (or alias) {gpu!r}; known: {', '.join(specs['gpu'])}")


def resolve_gpu(name: str, data_dir: Path | None = None) -> tuple[pd.Series, int]:
    """A GPU name as the article's tables write it -> (spec row, count).

    "2x A100 80GB" -> (row "NVIDIA A100 80GB", 2); "RTX 4090 24GB" -> (that row, 1).
    """
    match = re.match(r"^(\d+)x\s+(.*)$", name.strip())
    count, bare = (int(match.group(1)), match.group(2)) if match else (1, name.strip())
    return gpu_spec(bare, data_dir), count


def model_spec(model: str, data_dir: Path | None = None) -> pd.Series:
    """The row of ``data/models.csv`` named ``model``."""
    return data.row_of("models", "model", model, data_dir)


def _spec(value, loader, data_dir):
    return value if isinstance(value, pd.Series) else loader(value, data_dir)


def _check_bits(weight_bits: float) -> None:
    if weight_bits not in (4, 8, 16):
        raise ValueError(f"weight_bits must be 16, 8 or 4, got {weight_bits!r}")


# -------------------------------------------------------------------------- parameter counts

def param_counts(model) -> dict[str, float]:
    """Parameters of a model counted from its config (``models.csv`` row or name).

    attention per layer = hidden * heads * head_dim (Q) + 2 * hidden * kv_heads * head_dim (K, V)
                          + heads * head_dim * hidden (O)
    expert per layer    = 3 * hidden * ffn (gate, up, down); a dense model has one expert
    embedding           = vocab * hidden, and the LM head the same again unless tied.
    Llama 3.1 70B: 80 * (150,994,944 + 704,643,072) + 2 * 1,050,673,152 + norms = 70.55B.
    """
    m = _spec(model, model_spec, None)
    h, heads, kv, d = int(m["hidden_size"]), int(m["attention_heads"]), int(m["kv_heads"]), int(m["head_dim"])
    layers, ffn, vocab = int(m["layers"]), int(m["ffn_size"]), int(m["vocab_size"])
    experts, active_experts = int(m["experts"]), int(m["experts_per_token"])
    attention = h * heads * d + 2 * h * kv * d + heads * d * h
    expert = 3 * h * ffn
    router = h * experts if experts > 1 else 0
    embedding = vocab * h
    lm_head = 0 if m["tied_embeddings"] else vocab * h
    norms = layers * 2 * h + h
    return {
        "attention_per_layer": attention,
        "expert_per_layer": expert,
        "router_per_layer": router,
        "layer_linear": layers * (attention + experts * expert + router),
        "layer_linear_active": layers * (attention + active_experts * expert + router),
        "embedding": embedding,
        "lm_head": lm_head,
        "norms": norms,
        "total": layers * (attention + experts * expert + router) + embedding + lm_head + norms,
        "active": layers * (attention + active_experts * expert + router) + embedding + lm_head + norms,
    }


def quantisation_format(name: str, data_dir: Path | None = None):
    """One row of ``data/quantisation_formats.csv`` (label, nominal_bits, bits_per_weight, ...);
    KeyError naming the known formats if there is no such row."""
    formats = data.load("quantisation_formats", data_dir)
    if name not in set(formats["format"]):
        raise KeyError(f"data/quantisation_formats.csv has no format {name!r} "
                       f"(known: {', '.join(formats['format'])})")
    return data.row(formats, "format", name)


def practical_bits_per_weight(name: str, data_dir: Path | None = None) -> float:
    """Bits per weight a file in quantisation format ``name`` really stores, scales and zero
    points included (``data/quantisation_formats.csv``).

    A "4-bit" model is not 4 bits per weight: AWQ/GPTQ with groups of 128 store 4 + 20/128 =
    4.156 (an FP16 scale and a 4-bit zero per group), GGUF Q4_K_M 4.89 (llama.cpp's figure for
    Llama 3.1 8B); GGUF Q8_0 stores 8.5. So 13B at Q4_K_M is 13 * 4.8944 / 8 = 7.95 GB, not the
    13 * 4 / 8 = 6.5 GB of nominal 4 bits.
    """
    return float(quantisation_format(name, data_dir)["bits_per_weight"])


def quantisation_overhead_bits(name: str, data_dir: Path | None = None) -> float:
    """Bits per weight that format ``name`` stores beyond its nominal bits (its scales and zero
    points): practical_bits_per_weight - nominal_bits. AWQ/GPTQ 4-bit, group 128: 20/128."""
    row = quantisation_format(name, data_dir)
    return float(row["bits_per_weight"]) - float(row["nominal_bits"])
