"""What each CSV table of ``data/`` must hold: its pandera schema, its key, which columns are
numbers or booleans (:data:`SPECS`), and the cross-field rules pandera cannot express per
column (:data:`ROW_RULES`). A table added to ``data/`` gets one entry here."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
BOOL_TEXT = {"true": True, "false": False}

# Units a row of article_figures.csv or hidden_costs.csv may be expressed in.
UNITS = (
    "usd",
    "usd_per_month",
    "usd_per_hour",
    "usd_per_1m_tokens",
    "tokens",
    "tokens_per_month",
    "tokens_per_day",
    "tokens_per_s",
    "hours_per_month",
    "gb",
    "pct",
    "ratio",
    "share",
)


# How a GPU of data/gpu_specs.csv is built (its form_factor column).
FORM_FACTORS = ("SXM", "PCIe", "NVL", "OAM", "SoC")


@dataclass(frozen=True)
class TableSpec:
    """What one CSV file must hold: its schema, its key and which columns are numbers."""

    columns: dict[str, pa.Column]
    key: list[str]
    booleans: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> list[str]:
        """The columns declared as numbers (``_number``): parsed from text before validation."""
        return [name for name, column in self.columns.items() if str(column.dtype) == "float64"]

    def schema(self) -> pa.DataFrameSchema:
        return pa.DataFrameSchema(self.columns, strict=True, unique=self.key, ordered=False)


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, checks=[pa.Check.str_length(min_value=1), *checks], nullable=nullable)


def _number(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(float, checks=list(checks), nullable=nullable)


NON_NEGATIVE = pa.Check.ge(0)
POSITIVE = pa.Check.gt(0)
BOOL = pa.Check.isin(list(BOOL_TEXT), error="must be true or false")
PROVENANCE = {
    "source": _text(),
    "as_of": _text(pa.Check.str_matches(DATE_PATTERN, error="must be a date YYYY-MM-DD")),
}

SPECS: dict[str, TableSpec] = {
    "api_prices": TableSpec(
        columns={
            "model": _text(),
            "provider": _text(),
            "tier": _text(pa.Check.isin(["flagship", "premium", "budget"])),
            "usd_per_1m_input": _number(NON_NEGATIVE),
            "usd_per_1m_output": _number(NON_NEGATIVE),
            "open_weights": _text(BOOL),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["open_weights"],
    ),
    "gpu_cloud": TableSpec(
        columns={
            "gpu": _text(),
            "gpu_model": _text(),
            "gpu_count": _number(POSITIVE),
            "vram_gb": _number(POSITIVE),
            "usd_per_hour": _number(NON_NEGATIVE),
            "pricing": _text(pa.Check.isin(["on_demand", "spot", "reserved_1y", "reserved_3y"])),
            "best_for": _text(),
            **PROVENANCE,
        },
        key=["gpu", "pricing"],
    ),
    "consumer_hardware": TableSpec(
        columns={
            "hardware": _text(),
            "gpu_count": _number(POSITIVE),
            "memory_gb": _number(POSITIVE),
            "memory_kind": _text(pa.Check.isin(["dedicated", "unified"])),
            "usd_price": _number(NON_NEGATIVE),
            "condition": _text(pa.Check.isin(["new", "used"])),
            "what_it_runs": _text(),
            **PROVENANCE,
        },
        key=["hardware"],
    ),
    "model_sizes": TableSpec(
        columns={
            "params_billion": _number(POSITIVE),
            "vram_gb_fp16": _number(POSITIVE),
            "vram_gb_4bit": _number(POSITIVE),
            "minimum_hardware": _text(),
            **PROVENANCE,
        },
        key=["params_billion"],
    ),
    "selfhost_setups": TableSpec(
        columns={
            "setup": _text(),
            "gpu": _text(),
            "model": _text(),
            "params_billion": _number(POSITIVE),
            "quantization": _text(),
            "bits_per_weight": _number(POSITIVE, pa.Check.le(32)),
            "inference_engine": _text(),
            "tokens_per_s_low": _number(POSITIVE),
            "tokens_per_s_high": _number(POSITIVE),
            "tokens_per_s_conservative": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["setup"],
    ),
    "hidden_costs": TableSpec(
        columns={
            "parameter": _text(),
            "low": _number(NON_NEGATIVE),
            "high": _number(NON_NEGATIVE),
            "point": _number(NON_NEGATIVE, nullable=True),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})")),
            **PROVENANCE,
        },
        key=["parameter"],
    ),
    "model_quality": TableSpec(
        columns={
            "model": _text(),
            "mmlu_pct": _number(pa.Check.in_range(0, 100)),
            "humaneval_pct": _number(pa.Check.in_range(0, 100)),
            "reasoning_tasks": _text(),
            "self_hostable": _text(BOOL),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["self_hostable"],
    ),
    # The format of a scenario's task_evals file (helpers.data.task_evals checks any such file).
    "task_evals_example": TableSpec(
        columns={
            "model": _text(),
            "tasks": _number(pa.Check.gt(0)),
            "successes": _number(NON_NEGATIVE),
            "input_tokens_per_attempt": _number(NON_NEGATIVE),
            "output_tokens_per_attempt": _number(pa.Check.gt(0)),
            **PROVENANCE,
        },
        key=["model"],
    ),
    "decision_cases": TableSpec(
        columns={
            "team": _text(),
            "tokens_per_day": _number(NON_NEGATIVE),
            "privacy_required": _text(BOOL),
            "needs_flagship_quality": _text(BOOL),
            "has_ml_expertise": _text(BOOL),
            **PROVENANCE,
        },
        key=["team"],
        booleans=["privacy_required", "needs_flagship_quality", "has_ml_expertise"],
    ),
    "article_figures": TableSpec(
        columns={
            "figure_id": _text(),
            "section": _text(),
            "table": _text(),
            "row_key": _text(),
            "quantity": _text(),
            "printed_text": _text(),
            "value": _number(),
            "resolution": _number(POSITIVE),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})")),
            "label": _text(nullable=True),
            **PROVENANCE,
        },
        key=["figure_id"],
    ),
    # Capacity model (helpers/capacity/). Throughput columns are dense (no 2:4
    # sparsity); blank where the part has no such unit or the vendor publishes no figure.
    "gpu_specs": TableSpec(
        columns={
            "gpu": _text(),
            "aliases": _text(nullable=True),
            "memory_gb": _number(POSITIVE),
            "memory_kind": _text(pa.Check.isin(["dedicated", "unified"])),
            # How the part is built: SXM (NVSwitch baseboard), PCIe card, NVL (PCIe card paired by
            # an NVLink bridge), OAM (AMD's module), SoC (unified memory): an H100 is three parts.
            "form_factor": _text(pa.Check.isin(list(FORM_FACTORS),
                                               error=f"unknown form factor (known: {', '.join(FORM_FACTORS)})")),
            "memory_bandwidth_gb_per_s": _number(POSITIVE),
            "bf16_tflops": _number(POSITIVE, nullable=True),
            "fp16_tflops": _number(POSITIVE, nullable=True),
            "fp8_tflops": _number(POSITIVE, nullable=True),
            "int8_tops": _number(POSITIVE, nullable=True),
            **PROVENANCE,
        },
        key=["gpu"],
    ),
    "models": TableSpec(
        columns={
            "model": _text(),
            "hf_repo": _text(),
            "params_billion": _number(POSITIVE),
            "active_params_billion": _number(POSITIVE),
            "layers": _number(POSITIVE),
            "hidden_size": _number(POSITIVE),
            "attention_heads": _number(POSITIVE),
            "kv_heads": _number(POSITIVE),
            "head_dim": _number(POSITIVE),
            "ffn_size": _number(POSITIVE),
            "vocab_size": _number(POSITIVE),
            "experts": _number(pa.Check.ge(1)),
            "experts_per_token": _number(pa.Check.ge(1)),
            "tied_embeddings": _text(BOOL),
            "measured_shape": _text(nullable=True),
            # attention: gqa (grouped-query, also full multi-head) or mla (multi-head latent attention:
            # a compressed KV latent of kv_lora_rank plus a rope_head_dim key is cached per layer)
            "attention": _text(pa.Check.isin(["gqa", "mla"])),
            "kv_lora_rank": _number(POSITIVE, nullable=True),
            "q_lora_rank": _number(POSITIVE, nullable=True),
            "rope_head_dim": _number(POSITIVE, nullable=True),
            # mixture of experts: routed-expert FFN width (empty: ffn_size), experts every token runs,
            # leading layers with a dense FFN of ffn_size instead of experts
            "moe_ffn_size": _number(POSITIVE, nullable=True),
            "shared_experts": _number(NON_NEGATIVE, nullable=True),
            "dense_layers": _number(NON_NEGATIVE, nullable=True),
            # sliding-window attention: sliding_layers of the layers attend over sliding_window tokens
            "sliding_window": _number(POSITIVE, nullable=True),
            "sliding_layers": _number(NON_NEGATIVE, nullable=True),
            # whether the publisher's active_params_billion counts the input embedding
            "active_counts_embedding": _text(BOOL),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["tied_embeddings", "active_counts_embedding"],
    ),
    "measured_h200": TableSpec(
        columns={
            "gpu": _text(),
            "model": _text(),
            "model_shape": _text(),
            "weight_dtype": _text(),
            "weight_bits": _number(POSITIVE, pa.Check.le(32)),
            "phase": _text(pa.Check.isin(["decode", "prefill"])),
            "batch": _number(POSITIVE),
            "context_tokens": _number(POSITIVE),
            "tokens": _number(POSITIVE),
            "step_ms": _number(POSITIVE),
            "tokens_per_s": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["gpu", "model", "weight_bits", "phase", "batch", "context_tokens"],
    ),
    "published_benchmarks": TableSpec(
        columns={
            "benchmark_id": _text(),
            "engine": _text(),
            "engine_version": _text(),
            "gpu": _text(),
            "gpu_count": _number(POSITIVE),
            "model": _text(),
            "precision": _text(),
            "weight_bits": _number(POSITIVE, pa.Check.le(32)),
            "kv_cache_bits": _number(pa.Check.isin([4.0, 8.0, 16.0])),
            "input_tokens": _number(POSITIVE),
            "output_tokens": _number(POSITIVE),
            "concurrency": _number(POSITIVE, nullable=True),
            "output_tokens_per_s": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["benchmark_id"],
    ),
    # What a quantised file really stores per weight (scales and zero points included): the one
    # definition every memory claim and the capacity model use (helpers.costs.selfhost).
    "quantisation_formats": TableSpec(
        columns={
            "format": _text(pa.Check.str_matches(r"^[a-z0-9_]+$", error="must be a format name")),
            "label": _text(),
            "nominal_bits": _number(POSITIVE, pa.Check.le(32)),
            "bits_per_weight": _number(POSITIVE, pa.Check.le(32)),
            "storage": _text(),
            **PROVENANCE,
        },
        key=["format"],
    ),
    # Serving engines' documented batch defaults: the row with the largest min_memory_gib a GPU
    # reaches (and whose excluded_gpu_text its name does not contain) applies.
    "engine_defaults": TableSpec(
        columns={
            "engine": _text(),
            "min_memory_gib": _number(NON_NEGATIVE),
            "excluded_gpu_text": _text(nullable=True),
            "max_sequences": _number(POSITIVE),
            "chunk_tokens": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["engine", "min_memory_gib"],
    ),
    # Tensor-parallel all-reduce between the GPUs of one replica.
    "interconnects": TableSpec(
        columns={
            "gpu": _text(),
            "link": _text(),
            "allreduce_bus_gb_per_s": _number(POSITIVE),
            "allreduce_latency_us": _number(NON_NEGATIVE),
            **PROVENANCE,
        },
        key=["gpu"],
    ),
    # Hourly traffic shapes: relative_load is scaled to a mean of 1 by the code; a profile has 24
    # rows (one day, "00:00" to "23:00", repeated) or 168 (one week, "Mon 00:00" to "Sun 23:00").
    "load_profiles": TableSpec(
        columns={
            "profile": _text(),
            "hour": _text(pa.Check.str_matches(r"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?([01]\d|2[0-3]):00$",
                                               error="must be HH:00 or Ddd HH:00 (Mon 09:00)")),
            "relative_load": _number(NON_NEGATIVE),
            **PROVENANCE,
        },
        key=["profile", "hour"],
    ),
    # Claims audit (helpers/article/claims/): one row per checkable claim of the article.
    # ``check`` names a function of helpers.article.claims.CHECKS; ``given`` its inputs
    # ("key=value; key=value", lists joined by "|"); ``figure_id`` a row of article_figures.csv
    # that holds the article's value (then article_value stays empty).
    "claims": TableSpec(
        columns={
            "claim_id": _text(),
            "section": _text(),
            "claim_text": _text(),
            "check": _text(pa.Check.str_matches(r"^[a-z0-9_]+$", error="must be a check name")),
            "given": _text(pa.Check.str_matches(r"^\w+=[^;=]+(;\s*\w+=[^;=]+)*$",
                                                error="must be key=value; key=value"), nullable=True),
            "figure_id": _text(nullable=True),
            "article_value": _number(nullable=True),
            "resolution": _number(POSITIVE, nullable=True),
            "comparator": _text(pa.Check.isin(["eq", "le", "ge", "lt", "gt", "none"])),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})"),
                          nullable=True),
            "assumptions": _text(nullable=True),
            "note": _text(nullable=True),
            **PROVENANCE,
        },
        key=["claim_id"],
    ),
}

# Today's prices (helpers/tools/prices.py writes api_prices_current from the price database
# genai-prices; price_db_map names the database key of each of the article's models).
SPECS["api_prices_current"] = TableSpec(
    columns={
        "model": _text(),
        "name": _text(),
        "provider": _text(),
        "usd_per_1m_input": _number(NON_NEGATIVE),
        "usd_per_1m_output": _number(NON_NEGATIVE),
        "usd_per_1m_cached_input": _number(NON_NEGATIVE, nullable=True),
        "long_context_threshold_tokens": _number(POSITIVE, nullable=True),
        "usd_per_1m_input_long_context": _number(NON_NEGATIVE, nullable=True),
        "usd_per_1m_output_long_context": _number(NON_NEGATIVE, nullable=True),
        "price_db": _text(),
        "price_db_version": _text(),
        "price_db_key": _text(),
        "priced_at": _text(pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                                                error="must be an instant YYYY-MM-DDTHH:MM:SSZ")),
        "note": _text(nullable=True),
        **PROVENANCE,
    },
    key=["model"],
)
SPECS["price_db_map"] = TableSpec(
    columns={
        "model": _text(),
        "provider_id": _text(),
        "model_key": _text(),
        # other database keys the note weighs (provider/model, ";"-separated): their history is shown
        "related_keys": _text(nullable=True),
        "note": _text(),
        **PROVENANCE,
    },
    key=["model"],
)
SPECS["batch_discounts"] = TableSpec(
    columns={
        "provider": _text(),
        "batch_api": _text(BOOL),
        "batch_discount_share": _number(NON_NEGATIVE, pa.Check.lt(1)),
        "note": _text(),
        **PROVENANCE,
    },
    key=["provider"],
    booleans=["batch_api"],
)

# Where owned hardware runs: a data centre (PUE, colocation) or at home (no facility overhead).
SITES = ("data_centre", "home")
SPECS["ownership_hardware"] = TableSpec(
    columns={
        "hardware": _text(),
        "gpu_model": _text(),
        "gpu_count": _number(POSITIVE),
        "site": _text(pa.Check.isin(list(SITES))),
        "purchase_usd_low": _number(POSITIVE),
        "purchase_usd": _number(POSITIVE),
        "purchase_usd_high": _number(POSITIVE),
        "power_kw": _number(POSITIVE),
        "depreciation_years": _number(POSITIVE),
        "residual_share": _number(NON_NEGATIVE, pa.Check.lt(1)),
        "maintenance_share_per_year": _number(NON_NEGATIVE, pa.Check.le(1)),
        **PROVENANCE,
    },
    key=["hardware"],
)
# Facility inputs of owned hardware, one row per parameter and site.
FACILITY_PARAMETERS = ("pue", "usd_per_kwh", "colocation_usd_per_kw_month")
SPECS["ownership_facility"] = TableSpec(
    columns={
        "parameter": _text(pa.Check.isin(list(FACILITY_PARAMETERS))),
        "site": _text(pa.Check.isin(list(SITES))),
        "low": _number(NON_NEGATIVE),
        "point": _number(NON_NEGATIVE),
        "high": _number(NON_NEGATIVE),
        **PROVENANCE,
    },
    key=["parameter", "site"],
)
# What a data-centre GPU resells for by its age, a share of its price (the horizon of buying).
SPECS["ownership_resale"] = TableSpec(
    columns={
        "age_years": _number(POSITIVE),
        "residual_share": _number(NON_NEGATIVE, pa.Check.lt(1)),
        **PROVENANCE,
    },
    key=["age_years"],
)

# Cross-field rules pandera cannot express per column: (table, rule, columns, message).
ROW_RULES = {
    "hidden_costs": [(lambda df: df["low"] <= df["high"], "high", "high is below low")],
    "quantisation_formats": [(lambda df: df["bits_per_weight"] >= df["nominal_bits"], "bits_per_weight",
                              "bits_per_weight is below nominal_bits (scales only add bits)")],
    "selfhost_setups": [
        (
            lambda df: df["tokens_per_s_low"] <= df["tokens_per_s_high"],
            "tokens_per_s_high",
            "tokens_per_s_high is below tokens_per_s_low",
        )
    ],
    "batch_discounts": [
        (lambda df: (df["batch_api"] != "false") | (df["batch_discount_share"] == 0),
         "batch_discount_share", "a provider without a batch API has no batch discount"),
    ],
    "models": [
        (lambda df: df["active_params_billion"] <= df["params_billion"], "active_params_billion",
         "active_params_billion is above params_billion"),
        (lambda df: df["experts_per_token"] <= df["experts"], "experts_per_token",
         "experts_per_token is above experts"),
        (lambda df: (df["attention"] != "mla") | (df["kv_lora_rank"].notna() & df["rope_head_dim"].notna()),
         "kv_lora_rank", "attention mla needs kv_lora_rank and rope_head_dim"),
        (lambda df: df["dense_layers"].fillna(0) < df["layers"], "dense_layers",
         "dense_layers must be fewer than layers"),
        (lambda df: df["sliding_layers"].fillna(0) <= df["layers"], "sliding_layers",
         "sliding_layers is above layers"),
        (lambda df: df["sliding_layers"].fillna(0).eq(0) | df["sliding_window"].notna(), "sliding_window",
         "sliding_layers needs a sliding_window"),
    ],
    "ownership_hardware": [
        (lambda df: (df["purchase_usd_low"] <= df["purchase_usd"]) & (df["purchase_usd"] <= df["purchase_usd_high"]),
         "purchase_usd", "purchase_usd must lie between purchase_usd_low and purchase_usd_high"),
    ],
    "ownership_facility": [
        (lambda df: (df["low"] <= df["point"]) & (df["point"] <= df["high"]), "point",
         "point must lie between low and high"),
        (lambda df: (df["parameter"] != "pue") | (df["low"] >= 1), "low", "a PUE is at least 1"),
    ],
}
