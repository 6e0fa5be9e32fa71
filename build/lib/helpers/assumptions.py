"""The article's standing assumptions, named once. Every function that depends on one takes it
as a parameter with this default, so a scenario can change it.

- 30-day months: "10 million tokens per day (roughly 5M input + 5M output, 30 days)".
- 720 GPU-hours a month: "Monthly (24/7)" in the Cloud GPU Pricing table is 24 x 30 hours.
- 50/50 input share: "we use a 50/50 input-to-output ratio".
"""

DAYS_PER_MONTH = 30
HOURS_PER_DAY = 24
HOURS_PER_MONTH = HOURS_PER_DAY * DAYS_PER_MONTH  # 720
INPUT_SHARE = 0.5
TOKENS_PER_MILLION = 1_000_000
SECONDS_PER_HOUR = 3600
