"""Running one notebook of a report: papermill in a fresh kernel (started again when it dies
before it answers), then the page, exported without code and without any script from the
network."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.files import atomic_write

CELL_TIMEOUT_S = 600
# A kernel that dies before it replies (two kernels racing for a port: zmq "Address already in
# use", "Kernel died before replying to kernel_info") is started again this many times in all.
KERNEL_START_ATTEMPTS = 3
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Address already in use",
                         "Kernel didn't respond in")
TEMPLATES = Path(__file__).resolve().parent / "templates"
OFFLINE_TEMPLATE = "offline"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="widget-note"><em>Interactive control: live in JupyterLab '
               '(<code>make lab</code>) or the what-if app (<code>make app</code>); this static '
               'page shows the result of its default setting.</em></p>')


@dataclass
class NotebookResult:
    name: str
    status: str = "pending"  # "passed" or "failed"
    seconds: float = 0.0
    error: str | None = None
    parameters: dict = field(default_factory=dict)
    html: str | None = None
    ipynb: str | None = None
    kernel_restarts: int = 0
    # Where the seconds went: the cells' own run time (papermill's per-cell durations), the page
    # export; the rest of ``seconds`` is starting the kernel and papermill's own work.
    cells_s: float = 0.0
    figures_s: float = 0.0  # of cells_s: the cells that drew a figure (building and rendering it)
    figures: int = 0
    export_s: float = 0.0
    slowest_cells: list = field(default_factory=list)


def first_error(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        where = f" (cell [{cell}])" if cell is not None else ""
        return f"{ename}: {getattr(exc, 'evalue', '')}{where}"
    return f"{type(exc).__name__}: {exc}"


def kernel_start_failure(exc: BaseException) -> bool:
    """True when the kernel died or never answered before the first cell ran: a fault of the
    machine (a port taken by another kernel starting at the same moment), not of the notebook."""
    text = f"{type(exc).__name__}: {exc}"
    return any(sign in text for sign in KERNEL_START_FAILURES) or type(exc).__name__ == "ZMQError"


def static_widgets(nb) -> None:
    """Make widget outputs static, in place: drop the widget state and views (they would render
    as broken placeholders without a kernel) and say where the control is live."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data or WIDGET_MIME not in data:
                continue
            data.pop(WIDGET_MIME)
            # What remains beside the view is the widget's repr, e.g. "VBox(children=...)".
            data.pop("text/plain", None)
            if not data:
                data["text/html"] = WIDGET_NOTE


_local = threading.local()


def exporter():
    """nbconvert's lab HTML without code cells, prompts, or scripts loaded from a CDN; one per
    thread (building one loads and compiles its templates: more than half an export's time)."""
    if getattr(_local, "exporter", None) is None:
        _local.exporter = _new_exporter()
    return _local.exporter


def _new_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=OFFLINE_TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(executed: Path, target: Path) -> None:
    """The executed notebook as a self-contained HTML page (images inline, no network)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    static_widgets(nb)
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    with atomic_write(target) as handle:
        handle.write(body)


def _execute(notebook: Path, executed: Path, parameters: dict, timeout: int) -> None:
    import papermill

    papermill.execute_notebook(
        str(notebook), str(executed), parameters=parameters,
        # The kernel starts in the notebook's folder. Not papermill's cwd=, which os.chdir()s
        # the whole process: with notebooks run in threads that races, and can leave this
        # process in another run's (deleted) build folder.
        resources={"metadata": {"path": str(notebook.parent)}},
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        execution_timeout=timeout,
        # The kernel's start-up warnings (e.g. "running over TCP") would drown the progress
        # lines; a kernel that dies still fails its notebook.
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        # Every output and file is in by the last cell's reply; a graceful shutdown would wait
        # about a second per notebook for the kernel to wind down (history, atexit hooks).
        shutdown_kernel="immediate",
    )


def cell_timings(executed: Path, result: NotebookResult, keep: int = 3) -> None:
    """The cells' total run time, the part of it in cells that drew figures, and the ``keep``
    slowest (seconds, first line of the source), from the durations papermill writes into
    each cell's metadata."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    timed = [(float(c.metadata.get("papermill", {}).get("duration") or 0.0),
              c.source.strip().splitlines()[0][:70] if c.source.strip() else "") for c in code]
    pictures = [sum("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in code]
    result.cells_s = round(sum(t for t, _ in timed), 2)
    result.figures_s = round(sum(t for (t, _), n in zip(timed, pictures) if n), 2)
    result.figures = sum(pictures)
    result.slowest_cells = [[round(t, 2), line] for t, line in sorted(timed, reverse=True)[:keep]]


def run_notebook(notebook: Path, build: Path, parameters: dict, timeout: int = CELL_TIMEOUT_S,
                 log=lambda line: None, attempts: int = KERNEL_START_ATTEMPTS) -> NotebookResult:
    """Execute one notebook in a fresh kernel into ``build`` and export its page. Never raises:
    a failure is recorded in the result. A kernel that dies before it replies is started again,
    up to ``attempts`` starts in all, each logged."""
    result = NotebookResult(notebook.stem, parameters=parameters)
    executed = build / notebook.name
    start = time.perf_counter()
    for attempt in range(1, attempts + 1):
        try:
            _execute(notebook, executed, parameters, timeout)
            result.status, result.error = "passed", None
            break
        except Exception as exc:  # a failing notebook must not stop the others
            result.status, result.error = "failed", first_error(exc)
            if not kernel_start_failure(exc):
                break
            if attempt < attempts:
                result.kernel_restarts += 1
                log(f"  retry    {notebook.stem}: the kernel died before it replied ({result.error}); "
                    f"starting it again ({attempt + 1} of {attempts})")
            else:
                result.error += f" (the kernel was started {attempts} times)"
    if executed.exists():
        result.ipynb = executed.name
        export_start = time.perf_counter()
        try:
            cell_timings(executed, result)
            export_html(executed, build / f"{notebook.stem}.html")
            result.html = f"{notebook.stem}.html"
        except Exception as exc:
            result.status = "failed"
            result.error = (result.error + "; " if result.error else "") + f"HTML export: {first_error(exc)}"
        result.export_s = round(time.perf_counter() - export_start, 2)
    result.seconds = round(time.perf_counter() - start, 2)
    return result
