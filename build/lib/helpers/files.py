"""Writing files so that nothing already written is lost or half-overwritten."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def current_umask() -> int:
    """The process's umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(target: str | os.PathLike, *, newline: str | None = None,
                 check: Callable[[Path], object] | None = None) -> Iterator:
    """Open a temporary file beside ``target`` for writing text; when the block ends without an
    error (and ``check(temporary_path)``, if given, raises nothing), it replaces ``target`` in
    one rename, with the permissions a plain ``open()`` would give. On any error ``target`` is
    left as it was and the temporary file removed: a reader never sees half a file.

        with atomic_write(path) as handle:
            handle.write(text)
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        if check is not None:
            check(Path(tmp))
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes it private
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
