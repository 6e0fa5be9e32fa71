"""What a report run records about where its figures came from: the sha256 of every data file,
the package versions, the git commit, and times."""
from __future__ import annotations

import datetime as dt
import hashlib
import platform
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

from helpers import paths


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hashes(data_dir: Path = paths.DATA_DIR) -> dict[str, str]:
    """sha256 of every ``data/*.csv`` (the notebooks read them all through helpers.data)."""
    return {f"data/{p.name}": sha256_of(p) for p in sorted(Path(data_dir).glob("*.csv"))}


def package_versions() -> dict[str, str]:
    """Installed version of each dependency pinned in pyproject.toml, and Python's."""
    with open(paths.ROOT / "pyproject.toml", "rb") as handle:
        pins = tomllib.load(handle)["project"]["dependencies"]
    versions = {"python": platform.python_version()}
    for pin in pins:
        name = re.split(r"[=<>!~\[; ]", pin, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(root: Path = paths.ROOT) -> dict:
    """The checked-out commit and whether the working tree differs from it (None without git)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              timeout=30, check=True).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def display_path(path: Path) -> str:
    """``path`` relative to the project when it lies inside it (run.json stays portable)."""
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
