"""helpers.files.atomic_write: all or nothing, with ordinary permissions."""
import os
import stat

import pytest

from helpers.files import atomic_write, current_umask


def test_replaces_the_target_with_ordinary_permissions(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    with atomic_write(target) as handle:
        handle.write("new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~current_umask()
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_an_error_while_writing_leaves_the_old_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as handle:
            handle.write("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_a_failing_check_leaves_the_old_file(tmp_path):
    target = tmp_path / "rows.csv"
    target.write_text("good\n")

    def reject(path):
        assert path.read_text() == "bad\n"  # the check sees the whole new file
        raise ValueError("line 2, column x: not a number")

    with pytest.raises(ValueError, match="line 2"):
        with atomic_write(target, check=reject) as handle:
            handle.write("bad\n")
    assert target.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
