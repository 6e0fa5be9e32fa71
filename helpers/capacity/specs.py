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

def _count(m, column: str, default: int) -> int:
    """An optional whole-number column of a ``models.csv`` row; ``default`` where it is empty."""
    value = m.get(column, default)
    return default if pd.isna(value) else int(value)


def attention_params_per_layer(model) -> int:
    """Weights of one attention block.

    gqa: hidden * heads * head_dim (Q) + 2 * hidden * kv_heads * head_dim (K, V)
         + heads * head_dim * hidden (O)
    mla: hidden * q_lora (Q down) + q_lora * heads * (head_dim + rope) (Q up)
         + hidden * (kv_lora + rope) (KV down) + kv_lora * heads * 2 * head_dim (K, V up)
         + heads * head_dim * hidden (O); without q_lora the query is hidden * heads * (head_dim + rope).
    DeepSeek V3: 7168 * 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 * 128 * 256 + 128 * 128 * 7168
    = 187,105,280.
    """
    m = _spec(model, model_spec, None)
    h, heads, kv, d = int(m["hidden_size"]), int(m["attention_heads"]), int(m["kv_heads"]), int(m["head_dim"])
    if m.get("attention", "gqa") != "mla":
        return h * heads * d + 2 * h * kv * d + heads * d * h
    kv_lora, rope, q_lora = int(m["kv_lora_rank"]), int(m["rope_head_dim"]), _count(m, "q_lora_rank", 0)
    query = h * q_lora + q_lora * heads * (d + rope) if q_lora else h * heads * (d + rope)
    return query + h * (kv_lora + rope) + kv_lora * heads * 2 * d + heads * d * h


def attention_flops_per_context_token(model) -> int:
    """Attention flops one query token spends per token of context it attends over, all layers.

    gqa: 4 * heads * head_dim * layers (Q.K and P.V, 2 flops a multiply-add)
    mla: 2 * heads * (2 * kv_lora + rope) * layers (the absorbed form engines decode with: scores
         over the kv_lora + rope latent, values over the kv_lora latent).
    """
    m = _spec(model, model_spec, None)
    heads, layers = int(m["attention_heads"]), int(m["layers"])
    if m.get("attention", "gqa") != "mla":
        return 4 * heads * int(m["head_dim"]) * layers
    return 2 * heads * (2 * int(m["kv_lora_rank"]) + int(m["rope_head_dim"])) * layers


def param_counts(model) -> dict[str, float]:
    """Parameters of a model counted from its config (``models.csv`` row or name).

    attention per layer = :func:`attention_params_per_layer`
    expert per layer    = 3 * hidden * moe_ffn (gate, up, down; moe_ffn = ffn_size when empty);
                          a dense model has one expert
    dense FFN           = 3 * hidden * ffn_size in each of the ``dense_layers`` leading layers
    MoE layer           = (routed experts + shared experts) * expert + router (hidden * experts)
    embedding           = vocab * hidden, and the LM head the same again unless tied.
    total  = layers * attention + dense_layers * dense FFN + MoE layers * MoE layer + embeddings
    active = the same with experts_per_token routed experts in place of all of them.
    Llama 3.1 70B: 80 * (150,994,944 + 704,643,072) + 2 * 1,050,673,152 + norms = 70.55B.
    DeepSeek V3: 61 * 187.1M + 3 * 396.4M + 58 * (257 * 44.04M + 1.84M) + 2 * 926.7M = 671.0B.
    """
    m = _spec(model, model_spec, None)
    h, layers, ffn, vocab = int(m["hidden_size"]), int(m["layers"]), int(m["ffn_size"]), int(m["vocab_size"])
    experts, active_experts = int(m["experts"]), int(m["experts_per_token"])
    shared, dense_layers = _count(m, "shared_experts", 0), _count(m, "dense_layers", 0)
    moe_layers = layers - dense_layers
    attention = attention_params_per_layer(m)
    expert = 3 * h * _count(m, "moe_ffn_size", ffn)
    dense_ffn = 3 * h * ffn
    router = h * experts if experts > 1 else 0
    embedding = vocab * h
    lm_head = 0 if m["tied_embeddings"] else vocab * h
    norms = layers * 2 * h + h
    layer_linear = layers * attention + dense_layers * dense_ffn + moe_layers * ((experts + shared) * expert + router)
    layer_linear_active = (layers * attention + dense_layers * dense_ffn
                           + moe_layers * ((active_experts + shared) * expert + router))
    return {
        "attention_per_layer": attention,
        "expert_per_layer": expert,
        "router_per_layer": router,
        "moe_layers": moe_layers,
        "always_active_ffn": dense_layers * dense_ffn + moe_layers * shared * expert,
        "layer_linear": layer_linear,
        "layer_linear_active": layer_linear_active,
        "embedding": embedding,
        "lm_head": lm_head,
        "norms": norms,
        "total": layer_linear + embedding + lm_head + norms,
        "active": layer_linear_active + embedding + lm_head + norms,
        "active_without_embedding": layer_linear_active + lm_head + norms,
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
