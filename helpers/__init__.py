"""The workbook's calculations: every figure in the notebooks comes from a function here
applied to a row of a CSV file in ``data/``.

Modules follow the article's argument: ``api`` (what an API costs), ``selfhost`` (what a GPU
costs and serves), ``breakeven`` (where the two cross), ``tco`` (hidden costs), ``hybrid``,
``decision`` (the four-step framework), ``article`` (the article's printed figures and how we
compare against them), ``tables`` (each reproduced table), ``plots``; ``capacity`` (memory and
throughput from first principles) and ``probe`` (measure your own GPU); ``claims`` (the audit of
every checkable claim); ``widgets`` (the what-if panel); ``scenario`` and ``report`` (headless
report runs); ``data`` and ``paths`` (loading and validating ``data/``); ``nbtools`` (building
the committed notebooks).
"""
