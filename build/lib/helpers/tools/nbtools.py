"""Build the committed notebooks from their jupytext ``py:percent`` sources.

    python -m helpers.tools.nbtools build notebooks/01-api-costs.py [...]   # or: build --all
    python -m helpers.tools.nbtools check                                 # pairs in sync, metadata clean

``build`` reads the ``.py`` source, executes it in a fresh kernel with ``notebooks/`` as the
working directory, strips volatile metadata (timings, cell ids, widget state) and
writes the paired ``.ipynb`` next to it, atomically. The committed outputs are what nbval
compares against, so building is deterministic by construction: no clock, no randomness
without a seed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from helpers import paths
from helpers.files import atomic_write

KEEP_NOTEBOOK_METADATA = ("kernelspec", "jupytext", "language_info")
KEEP_CELL_METADATA = ("tags",)
KERNEL_NAME = "python3"


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove volatile metadata in place and return the notebook."""
    nb.metadata = nbformat.NotebookNode(
        {k: v for k, v in nb.metadata.items() if k in KEEP_NOTEBOOK_METADATA}
    )
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": nb.metadata["language_info"].get("name", "python")}
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    for cell in nb.cells:
        cell.metadata = nbformat.NotebookNode(
            {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA}
        )
        cell.pop("id", None)
        if cell.cell_type == "code":
            # Execution counts stay: a fresh kernel numbers the cells 1, 2, 3 ... every time,
            # and nbval treats a cell without one as never run.
            for output in cell.get("outputs", []):
                if isinstance(output.get("metadata"), dict):
                    output["metadata"].clear()
                if "data" in output:
                    output["data"].pop("application/vnd.jupyter.widget-view+json", None)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def execute(nb: nbformat.NotebookNode, timeout: int = 600) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, in notebooks/."""
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}})
    client.execute()
    return nb


def write_atomic(nb: nbformat.NotebookNode, target: Path) -> None:
    with atomic_write(target) as handle:
        nbformat.write(nb, handle)


def build(source: Path) -> Path:
    """Execute ``notebooks/NN-name.py`` and write ``notebooks/NN-name.ipynb``."""
    source = Path(source).resolve()
    if source.suffix != ".py":
        source = source.with_suffix(".py")
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    execute(nb)
    target = source.with_suffix(".ipynb")
    write_atomic(strip(nb), target)
    return target


def sources() -> list[Path]:
    return sorted(p for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))


def check() -> list[str]:
    """Problems with the committed notebooks: a source without its .ipynb (or the reverse),
    code that differs between the pair, volatile metadata left in, a missing parameters cell."""
    problems = []
    for source in sources():
        target = source.with_suffix(".ipynb")
        if not target.exists():
            problems.append(f"{target.name}: missing (run python -m helpers.tools.nbtools build {source.name})")
            continue
        built = nbformat.read(target, as_version=4)
        paired = jupytext.read(source)
        code_built = [c.source for c in built.cells if c.cell_type == "code"]
        code_source = [c.source for c in paired.cells if c.cell_type == "code"]
        if code_built != code_source:
            problems.append(f"{target.name}: code differs from {source.name} (rebuild it)")
        counts = [c.get("execution_count") for c in built.cells if c.cell_type == "code"]
        if counts != list(range(1, len(counts) + 1)):
            problems.append(f"{target.name}: not the output of one fresh run in order (execution counts {counts})")
        if set(built.metadata) - set(KEEP_NOTEBOOK_METADATA):
            problems.append(f"{target.name}: volatile notebook metadata {sorted(set(built.metadata) - set(KEEP_NOTEBOOK_METADATA))}")
        tagged = [c for c in built.cells if "parameters" in c.metadata.get("tags", [])]
        if len(tagged) != 1:
            problems.append(f"{target.name}: needs exactly one cell tagged 'parameters', has {len(tagged)}")
    for target in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")):
        if not target.with_suffix(".py").exists():
            problems.append(f"{target.name}: no paired .py source")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.nbtools", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute sources and write the paired .ipynb")
    b.add_argument("sources", nargs="*", type=Path)
    b.add_argument("--all", action="store_true", help="every notebooks/NN-*.py")
    sub.add_parser("check", help="report pairs out of sync or with volatile metadata")
    args = parser.parse_args(argv)
    if args.command == "build":
        targets = sources() if args.all else args.sources
        if not targets:
            parser.error("name sources or pass --all")
        for source in targets:
            print(f"building {Path(source).name} ...", flush=True)
            print(f"  wrote {build(source).relative_to(paths.ROOT)}")
        return 0
    problems = check()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
