"""The what-if page in a real browser, for the browser test and the browser benchmark: Voila
serving ``notebooks/08-what-if.ipynb`` on a free localhost port (as ``make app`` does), or
JupyterLab (as ``make lab`` does), and Debian's Chromium
(``/usr/bin/chromium``, no browser download) driven by Playwright."""
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
    """The server (Voila, JupyterLab) exited or did not answer; the message ends with its log."""


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
    with _serving([str(executable), str(notebook), f"--port={port}", *VOILA_ARGS], log_path,
                  f"http://127.0.0.1:{port}/", "voila/static/", timeout_s) as url:
        yield url


@contextlib.contextmanager
def _serving(command: list[str], log_path: Path, url: str, probe: str, timeout_s: float):
    """Run ``command`` (a server) until ``url + probe`` answers; yield ``url``; kill it and its
    children on the way out. ServerError (ending with its log) when it exits or never answers."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=paths.ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    name = Path(command[0]).name
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise ServerError(f"{name} exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + probe, timeout=2):
                    break
            except OSError as err:
                if getattr(err, "code", None) is not None:  # an HTTP answer: the server is up
                    break
                if time.monotonic() > deadline:
                    raise ServerError(f"{name} did not answer on {url} within {timeout_s} s:\n"
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


@contextlib.contextmanager
def jupyter_lab(log_path: Path, folder: Path, timeout_s: float = START_TIMEOUT_S):
    """JupyterLab serving ``folder`` (give it a copy: JupyterLab saves the notebooks it runs)
    on a free port without a token; yields its URL, and kills it (with its kernels) on the way
    out."""
    port = free_port()
    executable = Path(sys.executable).parent / "jupyter"
    command = [str(executable), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               "--IdentityProvider.token=", f"--notebook-dir={folder}",
               *(["--allow-root"] if os.geteuid() == 0 else [])]
    with _serving(command, log_path, f"http://127.0.0.1:{port}/", "api", timeout_s) as url:
        yield url
