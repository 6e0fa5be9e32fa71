"""The checks, grouped as the article's sections are; importing this package registers every
one of them in :data:`helpers.article.claims.registry.CHECKS`."""
from helpers.article.claims.checks import api_prices, breakeven, crossings, hardware, hidden_costs, hybrid
from helpers.article.claims.registry import CHECKS

__all__ = ["CHECKS", "api_prices", "breakeven", "crossings", "hardware", "hidden_costs", "hybrid"]
