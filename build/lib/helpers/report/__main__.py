"""``python -m helpers.report``: run every notebook into a dated report (see the package)."""
import sys

from helpers.report import main

sys.exit(main())
