"""The what-if page in a real browser, for the browser test and the browser benchmark: Voila
serving ``notebooks/08-what-if.ipynb`` on a free localhost port (as ``make app`` does) and
Debian's Chromium (``/usr/bin/chromium``, no browser download) driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers import paths

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NOTEBOOK = paths.NOTEBOOKS_DIR / "08-what-if.ipynb"
# The jupytext lab extension installed beside JupyterLab fails to load inside Voila (a module
# federation error in the console); the page needs no extension but the widgets.
VOILA_ARGS = ["--no-browser", "--Voila.ip=127.0.0.1", '--VoilaConfiguration.extension_denylist=["jupyterlab-jupytext"]']
START_TIMEOUT_S = 120


class ServerError(RuntimeError):
    """Voila exited or did not answer; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def voila(log_path: Path, notebook: Path = NOTEBOOK, timeout_s: float = START_TIMEOUT_S):
    """Voila serving ``notebook`` on a free port; yields its URL, and kills it (with its
    kernels) on the way out. ``notebook`` may be a folder: Voila then serves each notebook in
    it at ``<url>voila/render/<name>``."""
    port = free_port()
    executable = Path(sys.executable).parent / "voila"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(executable), str(notebook), f"--port={port}", *VOILA_ARGS],
                                cwd=paths.ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise ServerError(f"voila exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "voila/static/", timeout=2):
                    break
            except OSError as err:
                if getattr(err, "code", None) is not None:  # an HTTP answer: the server is up
                    break
                if time.monotonic() > deadline:
                    raise ServerError(f"voila did not answer on {url} within {timeout_s} s:\n"
                                      f"{log_path.read_text()[-3000:]}") from None
                time.sleep(0.5)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
