"""The workbook's calculations, in layers; imports point down this list, never up.

- ``paths``, ``files``, ``data``, ``assumptions``: the ground floor (where files are, atomic
  writes, loading and validating ``data/*.csv``, the article's standing assumptions).
- ``costs/``: pure cost formulas on numbers (API bill, GPU bill, hidden costs, breakeven,
  hybrid split, the decision framework).
- ``capacity/``: memory and throughput from first principles (roofline, calibration, serving).
- ``scenario``: every input of the workbook, typed once; ``derive``: the one wiring point that
  turns a scenario and the data into every cost, capacity, breakeven and winner.
- ``article/``: the article's printed figures and verdicts, its tables rebuilt, the claims audit.
- ``show/``: formatting, figures and the what-if panel.
- ``report/``: the headless report runner.
- ``tools/``: measure your own GPU, benchmarks, building the committed notebooks.
"""
