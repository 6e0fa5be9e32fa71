"""Capacity: what a GPU holds and how fast it serves a model, from first principles.

The article assumes one number: a single A100 80GB serves Llama 3.3 70B at 1,500 output
tokens/s ("Breakeven Analysis"). This package derives capacity instead, from the GPU's
datasheet (``data/gpu_specs.csv``) and the model's published configuration
(``data/models.csv``). Read it in this order:

- :mod:`.specs`     the table look-ups and the parameters counted from a model's config
- :mod:`.memory`    weights, KV cache (its own precision), activations, the largest batch, the
                    minimum deployment (tensor- or expert-parallel)
- :mod:`.roofline`  the time of one step, calibrated on measured H200 steps (calibration points)
- :mod:`.serving`   one replica kept full by an engine: chunked prefill, tensor parallelism,
                    the engine's batch limits; the published results it is checked against
- :mod:`.queueing`  the M/D/1 queue: closed forms and a simulation that checks them
- :mod:`.latency`   Poisson arrivals, p99 time to first token and per output token, the
                    throughput-latency curve, :func:`slo_output_tokens_per_s`
- :mod:`.traffic`   hourly load profiles: replicas each hour, scaling, utilisation, the hybrid
- :mod:`.survey`    the tables of notebook 06

Every public name is re-exported here, so ``helpers.capacity.decode_tokens_per_s`` and the
like keep working.
"""
from __future__ import annotations

from helpers.capacity.latency import (  # noqa: F401
    operating_points, slo_operating_point, slo_output_tokens_per_s, throughput_latency_curve,
)
from helpers.capacity.memory import (  # noqa: F401
    ACTIVATION_TOKENS, BYTES_PER_GB, BYTES_PER_GIB, EMBEDDING_BITS, GROUP_OVERHEAD_BITS, LAYOUTS,
    MAX_TENSOR_PARALLEL, MEMORY_UTILIZATION, UNIFIED_MEMORY_GPU_SHARE, activation_bytes, cached_tokens, gpus_needed,
    kv_bytes_per_token, max_batch, memory_budget_bytes, minimum_deployment, weights_bytes, weights_bytes_per_gpu,
)
from helpers.capacity.roofline import (  # noqa: F401
    CALIBRATION, CALIBRATION_ERROR_BOUND, FIT_GRID, Calibration, calibration_table, compute_flops_per_s,
    decode_step_s, decode_tokens_per_s, expected_experts, prefill_tokens_per_s, refit, step_terms,
)
from helpers.capacity.serving import (  # noqa: F401
    DEFAULT_ENGINE, DEFAULT_MIN_SEQUENCE_TOKENS_PER_S, DEFAULT_PROMPT_TOKENS, Replica, batch_bounds,
    engine_defaults, interconnect, mean_decode_context, output_tokens_for, published_vs_model, replica,
    serving_capacity,
)
from helpers.capacity.specs import (  # noqa: F401
    _spec, attention_flops_per_context_token, attention_params_per_layer, gpu_spec, model_spec, param_counts,
    practical_bits_per_weight, quantisation_format, quantisation_overhead_bits, resolve_gpu,
)
from helpers.capacity.survey import (  # noqa: F401
    ARTICLE_MODELS, article_hardware, batch_for_tokens_per_s, fit_table, throughput_curve,
)

