"""``python -m helpers.probe``, as the README has always documented it: measure your own GPU
(the tool lives in :mod:`helpers.tools.probe`)."""
import sys

from helpers.tools.probe import main

if __name__ == "__main__":
    sys.exit(main())
