"""Every path the workbook uses, anchored on this package's own location, so a notebook
works whatever directory papermill or JupyterLab starts it in."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
PARAMS_DIR = ROOT / "params"


def data_file(name: str) -> Path:
    """Path of ``data/<name>.csv`` (``name`` without the extension)."""
    return DATA_DIR / f"{name}.csv"
