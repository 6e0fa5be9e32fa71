"""Shared fixtures: the article's printed figures and the data rows they come from, and the
Chromium of the browser test."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import article, data


@pytest.fixture(scope="session")
def printed():
    """The article's printed figures, indexed by figure_id (data/article_figures.csv)."""
    return article.figures()


@pytest.fixture(scope="session")
def prices():
    return data.load("api_prices").set_index("model")


@pytest.fixture(scope="session")
def a100_usd_per_hour():
    return float(data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")["usd_per_hour"])


def within_print(recomputed, figure):
    """True when the recomputed figure rounds to the printed one (half a unit of its last digit)."""
    return abs(recomputed - figure["value"]) <= figure["resolution"] / 2 + 1e-9 * abs(figure["value"])


# ------------------------------------------------------------------------------------------
# The browser test's Chromium


CI_VALUES = ("1", "true")
PLAYWRIGHT_INSTALL = [sys.executable, "-m", "playwright", "install", "chromium"]
# Playwright's download is about 170 MB; without a network it fails in a few seconds.
PLAYWRIGHT_INSTALL_TIMEOUT_S = 600


def under_ci(environ=os.environ) -> bool:
    """CI sets CI=1 or CI=true (.ci/run installs Debian's Chromium first)."""
    return environ.get("CI", "").strip().lower() in CI_VALUES


def playwright_chromium() -> Path | None:
    """The Chromium Playwright downloads for itself (user space, no root), when it is there."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = Path(p.chromium.executable_path)
    return path if path.exists() else None


def find_chromium(system: Path, install: list[str] = PLAYWRIGHT_INSTALL,
                  timeout_s: float = PLAYWRIGHT_INSTALL_TIMEOUT_S) -> tuple[Path | None, str]:
    """(the Chromium to drive, where it comes from) or (None, why there is none): the system's
    (``system``, Debian's), else Playwright's own, downloaded now with ``install`` if missing."""
    if system.exists():
        return system, f"{system}"
    found = playwright_chromium()
    if found:
        return found, f"Playwright's own Chromium ({found})"
    try:
        done = subprocess.run(install, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None, (f"{system} is missing and `{' '.join(install[-3:])}` did not finish in "
                      f"{timeout_s:.0f} s")
    found = playwright_chromium() if done.returncode == 0 else None
    if found:
        return found, f"Playwright's own Chromium, installed now ({found})"
    said = (done.stderr or done.stdout).strip().splitlines()
    return None, (f"{system} is missing and `{' '.join(install[-3:])}` could not install "
                  f"Playwright's own (exit {done.returncode}: {said[0] if said else 'no output'}); "
                  f"run .ci/install-browser (apt-get install chromium) or install it by hand")


def skip_or_fail(reason: str, environ=os.environ) -> None:
    """Skip, saying why; under CI a skipped browser test is a failure."""
    if under_ci(environ):
        pytest.fail(f"CI: the browser test cannot be skipped: {reason}", pytrace=False)
    print(f"SKIP test_browser: {reason}", file=sys.stderr)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The Chromium the browser tests drive (see :func:`find_chromium`); skips without one,
    fails under CI."""
    from helpers.tools.browser import CHROMIUM

    found, reason = find_chromium(CHROMIUM)
    if found is None:
        skip_or_fail(reason)
    return found
