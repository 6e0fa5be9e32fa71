"""Where a report run writes: the lock on the output folder, the repair of an interrupted run,
the swap of a complete folder into place, the installed runs, and the order of the notebooks
(slowest of the last run first)."""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from pathlib import Path

from helpers.files import atomic_write, current_umask
from helpers.report.provenance import now

FAILED_SUFFIX = ".failed"
RUN_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}(\.failed)?$")
LOCK_NAME = ".lock"


class LockedError(Exception):
    """Another run holds the output folder's lock."""


class RunLock:
    """An exclusive, non-blocking fcntl lock on ``<out>/.lock``; released when the process ends,
    however it ends. The file holds the holder's pid and start time for the refusal message."""

    def __init__(self, out: Path):
        self.path = out / LOCK_NAME
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown process"
            self.handle.close()
            raise LockedError(f"another report run is writing to {self.path.parent} ({holder}); "
                              f"wait for it to finish, or use another --out") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}, started {now()}\n")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.seek(0)
        self.handle.truncate()
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def recover(out: Path) -> list[str]:
    """Repair what an interrupted run left (called under the lock, so no run is active): a
    previous folder set aside but never replaced goes back in place; half-built folders and
    leftovers go. Returns what was done."""
    done = []
    for aside in sorted(out.glob(".*.previous-*")):
        target = out / aside.name[1:].split(".previous-")[0]
        if not target.exists():
            os.replace(aside, target)
            done.append(f"restored {target.name} from an interrupted run")
        else:
            shutil.rmtree(aside, ignore_errors=True)
            done.append(f"removed {aside.name}")
    for building in sorted(out.glob(".*.building-*")):
        shutil.rmtree(building, ignore_errors=True)
        done.append(f"removed half-built {building.name}")
    return done


def install(build: Path, target: Path) -> None:
    """Put the complete folder ``build`` at ``target``; a folder already there is set aside
    first and deleted only once the new one is in place."""
    aside = None
    if target.exists():
        aside = target.parent / f".{target.name}.previous-{os.getpid()}"
        os.replace(target, aside)
    try:
        os.replace(build, target)
    except BaseException:
        if aside is not None:
            os.replace(aside, target)
        raise
    if aside is not None:
        shutil.rmtree(aside)


def make_readable(folder: Path) -> None:
    """Give a built folder the permissions of an ordinary ``mkdir``/``open`` (temporary files and
    folders are created private), so a web server or a colleague can read the report."""
    mask = current_umask()
    os.chmod(folder, 0o777 & ~mask)
    for path in folder.rglob("*"):
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_write(path) as handle:
        handle.write(text)


def run_folders(out: Path) -> list[Path]:
    """The installed runs under ``out``, newest date first; for one date the good report before
    its failed attempt."""
    if not Path(out).is_dir():
        return []
    folders = [p for p in Path(out).iterdir() if p.is_dir() and RUN_FOLDER.match(p.name)]
    return sorted(folders, key=lambda p: (p.name[:10], not p.name.endswith(FAILED_SUFFIX)), reverse=True)


def previous_seconds(out: Path) -> dict[str, float]:
    """Seconds each notebook took in the newest run recorded under ``out`` ({} if none)."""
    for folder in run_folders(out):
        try:
            notebooks = json.loads((folder / "run.json").read_text())["notebooks"]
            return {nb["name"]: float(nb["seconds"]) for nb in notebooks}
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {}


def schedule(notebooks: list[Path], out: Path) -> list[Path]:
    """Longest first, so that a slow notebook does not start last and run alone: by the seconds
    of the previous run where known, else by file size (committed outputs, mostly plots, go
    with running time); unknown notebooks before known ones. Results keep reading order."""
    seconds = previous_seconds(out)

    def key(notebook: Path):
        if notebook.stem in seconds:
            return (1, -seconds[notebook.stem])
        return (0, -notebook.stat().st_size)
    return sorted(notebooks, key=key)


# Notebooks run at once by default, per core. A notebook's kernel spends part of its time
# waiting (starting up, handing results to this runner, which drives every kernel from one
# process), so one notebook per core leaves the cores idle a fifth of the run. Measured on a
# 2-core machine, 10 notebooks (make bench): 1 per core 10.7-11.3 s, 1.5 per core 10.0-10.8 s,
# 2 per core 9.7-10.2 s, 3 or more per core slower again (10.0-10.8 s).
JOBS_PER_CORE = 2


def default_jobs(count: int) -> int:
    return max(1, min(count, JOBS_PER_CORE * (os.cpu_count() or 1)))

