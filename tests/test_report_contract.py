"""The report's tables contract (helpers/report/contract.py): save writes atomically, and a
table that was not written, holds no row or misses a column is named."""
import pandas as pd
import pytest

from helpers.article import tables
from helpers.report import contract
from helpers.scenario import Scenario


def test_save_writes_atomically_and_skips_without_a_folder(tmp_path):
    frame = pd.DataFrame({"a": [1, 2]})
    assert contract.save(frame, "x", "") is None
    target = contract.save(frame, "x", tmp_path / "tables")
    assert pd.read_csv(target).equals(frame)
    assert [p.name for p in (tmp_path / "tables").iterdir()] == ["x.csv"]  # no temp file left


def test_save_failure_leaves_previous_table(tmp_path):
    contract.save(pd.DataFrame({"a": [1]}), "x", tmp_path)

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError):
        contract.save(Broken({"a": [2]}), "x", tmp_path)
    assert pd.read_csv(tmp_path / "x.csv")["a"].tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_contract_problems_name_the_table_and_the_missing_column(tmp_path):
    gpu_cloud = {"gpu_cloud": contract.CONTRACT["gpu_cloud"]}
    contract.save(tables.gpu_cloud(Scenario()), "gpu_cloud", tmp_path)
    assert contract.contract_problems(tmp_path, gpu_cloud) == []
    contract.save(tables.gpu_cloud(Scenario()).drop(columns=["usd_per_hour"]), "gpu_cloud", tmp_path)
    assert contract.contract_problems(tmp_path, gpu_cloud) == [
        "tables/gpu_cloud.csv misses contract columns: usd_per_hour"]


def test_a_table_not_written_or_without_rows_breaks_the_contract(tmp_path):
    wanted = {"what_if": ["winner"], "hybrid": [], "claims": []}
    contract.save(pd.DataFrame({"winner": []}), "what_if", tmp_path)  # a header, no rows
    (tmp_path / "hybrid.csv").write_text("")  # not even a header
    assert contract.contract_problems(tmp_path, wanted) == [
        "tables/what_if.csv is empty (a header, no rows)",
        "tables/hybrid.csv is empty (no header, no rows)",
        "tables/claims.csv was not written by any notebook",
    ]


def test_every_table_of_the_contract_is_required_by_default(tmp_path):
    problems = contract.contract_problems(tmp_path)
    assert len(problems) == len(contract.CONTRACT) == 18
    assert "tables/what_if.csv was not written by any notebook" in problems
