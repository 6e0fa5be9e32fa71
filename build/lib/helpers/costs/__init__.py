"""Pure cost formulas on numbers, one module per step of the article's argument: what an API
costs (``api``), what a GPU costs and holds (``selfhost``), hidden costs (``tco``), where the
two cross (``breakeven``), the hybrid split (``hybrid``), the four-step framework
(``decision``) and a contract's life with moving API prices (``horizon``). Nothing here reads
``data/`` or knows about scenarios."""
