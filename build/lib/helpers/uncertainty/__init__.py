"""How sure is the answer: the Monte Carlo on the one derivation (``montecarlo``: draws of the
uncertain inputs through :func:`helpers.derive.derive`, P(self-hosting cheaper), crossings,
fan-chart quantiles, tornado, the reserved-term commitment view and the sentences the notebook,
the report's index and the what-if panel print) and its benchmark (``bench``).

Below it: ``helpers.distributions`` (the distributions and the ``uncertainty:`` block's form,
pure) and ``helpers.costs.horizon`` (a contract's cumulative cost, pure); above it:
``helpers.show.uncertainty_plots``.
"""
