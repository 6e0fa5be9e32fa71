"""How sure is the answer: distributions of the uncertain inputs, the Monte Carlo on the one
derivation, sensitivity (tornado), and the breakeven over a contract's life.

- ``distributions``: fixed, triangular, uniform and truncated-normal inputs, the YAML form of a
  scenario's ``uncertainty:`` block, and a seeded sampler. Pure; reads no data.
- ``horizon``: cumulative cost of each option over ``horizon_months`` with API prices moving by
  ``api_price_change_per_year``, and the volume above which a commitment pays off. Pure.
"""
