"""Scenario files (helpers/scenario/): every bad value is reported with its key, the shipped
scenarios load, and save() writes only what validates."""
import dataclasses
import json
import os

import pytest
import yaml

from helpers import data, paths, scenario
from helpers.scenario import Scenario, ScenarioError


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        scenario.validate(raw)
    return caught.value.problems


def test_every_shipped_scenario_loads():
    files = sorted(paths.PARAMS_DIR.glob("*.yaml"))
    assert len(files) >= 3, "the article's scenario and at least two others"
    for path in files:
        loaded = scenario.load(path)
        assert isinstance(loaded.get("description"), str), f"{path.name} has no description"


def test_shipped_scenarios_hold_the_volumes_they_are_named_after():
    assert set(scenario.load(paths.PARAMS_DIR / "article.yaml")) == {"description"}
    compliance = scenario.load(paths.PARAMS_DIR / "compliance-50m-per-day.yaml")
    assert compliance["tokens_per_day"] == 50_000_000 and compliance["privacy_required"] is True
    startup = scenario.load(paths.PARAMS_DIR / "startup-2m-per-day.yaml")
    assert startup["tokens_per_day"] == 2_000_000


def test_a_full_valid_scenario_keeps_every_value():
    raw = {**scenario.DEFAULTS, "gpu_count": 2, "spot_discount": 0.4, "throughput_source": "model",
           "api_models": ["GPT-5", "DeepSeek V3.2"], "devops_usd_per_hour": 120,
           "infrastructure_usd_per_month": 0, "needs_flagship_quality": True}
    assert set(raw) == set(scenario.KEYS)
    assert scenario.validate(raw) == raw
    s = Scenario.from_dict(raw)
    assert s.to_dict() == raw and s.gpu_count == 2 and s.api_models == ("GPT-5", "DeepSeek V3.2")


def test_the_default_scenario_is_the_articles():
    s = Scenario()
    assert (s.tokens_per_day, s.input_share, s.days_per_month, s.hours_per_month) == (10_000_000, 0.5, 30, 720)
    assert s.gpu == "NVIDIA A100 80GB" and s.spot_discount == 0 and s.api_model == "GPT-5"
    assert Scenario.load(paths.PARAMS_DIR / "article.yaml") == s
    assert s.to_dict(changed_only=True) == {}


def test_every_field_has_a_help_text_and_names_rows_of_a_real_table():
    tables = set(data.SPECS)
    for name, spec in scenario.KEYS.items():
        assert spec.help, name
        if spec.rows_of:
            assert spec.rows_of[0] in tables, name


def test_save_and_load_round_trip(tmp_path):
    s = dataclasses.replace(Scenario(), tokens_per_day=50_000_000, spot_discount=0.5,
                            api_models=("DeepSeek V3.2",), privacy_required=True)
    path = s.save(tmp_path / "team.yaml", description="a team")
    assert Scenario.load(path) == s
    assert scenario.load(path)["description"] == "a team"
    assert set(yaml.safe_load(path.read_text())) == {"description", "tokens_per_day", "spot_discount",
                                                     "api_models", "privacy_required"}


def test_a_notebooks_overrides_change_only_their_fields_and_a_bad_one_is_named():
    """A notebook's ``scenario`` parameter holds overrides only: the rest keeps the article's."""
    s = Scenario.from_dict({"tokens_per_day": 5_000_000})
    assert s.tokens_per_day == 5_000_000
    assert {k: v for k, v in s.to_dict().items() if k != "tokens_per_day"} == \
        {k: v for k, v in Scenario().to_dict().items() if k != "tokens_per_day"}
    assert Scenario.from_dict({}) == Scenario.from_dict(None) == Scenario()
    with pytest.raises(ScenarioError, match=r"scenario: 1 problem(?s:.*)input_share: must lie in 0..1"):
        Scenario.from_dict({"input_share": 2})
    with pytest.raises(ScenarioError, match=r"tokens_pr_day: unknown key \(did you mean 'tokens_per_day'\?\)"):
        Scenario.from_dict({"tokens_pr_day": 5})


# Every kind of field away from its default: numbers, a None made a number, a list, a bool, an
# uncertainty block of nested lists.
OTHER_SCENARIO = dict(
    tokens_per_day=50_000_000, input_share=0.3, gpu="NVIDIA H100 80GB", gpu_count=2, spot_discount=0.5,
    tokens_per_s=2_000.0, output_tokens=400, ttft_s=0.5, load_profile="global_consumer", scaling="scheduled",
    spare_replicas=1, api_models=("DeepSeek V3.2", "GPT-5"), privacy_required=True,
    hybrid_rented_gpus=("NVIDIA L4",), uncertainty={"devops_hours_per_month": {"triangular": [10, 15, 30]}})


def test_what_the_report_passes_reads_back_as_the_same_scenario():
    """The report passes a scenario to a notebook as one papermill parameter, ``scenario``,
    holding :meth:`Scenario.to_dict`'s plain values; papermill writes it into the notebook as
    Python source (tuples as lists), and the set-up cell's ``Scenario.from_dict`` reads it."""
    from papermill.translators import translate_parameters

    other = dataclasses.replace(Scenario(), **OTHER_SCENARIO)
    for s in (Scenario(), other):
        assert Scenario.from_dict(s.to_dict()) == s
        assert Scenario.from_dict(json.loads(json.dumps(s.to_dict()))) == s
        source = translate_parameters("python3", "python", {"scenario": s.to_dict(), "tables_dir": "/x"}, "")
        namespace: dict = {}
        exec(source, namespace)
        assert Scenario.from_dict(namespace["scenario"]) == s
    assert other.to_dict()["api_models"] == ["DeepSeek V3.2", "GPT-5"]  # a list, not a tuple
    assert other.to_dict() != Scenario().to_dict()


def test_an_implausible_volume_and_zero_hours_are_refused():
    found = problems_of({"tokens_per_day": 1.0e300, "hours_per_month": 0, "hybrid_monthly_tokens": 1e300})
    assert [p.split(":")[0] for p in found] == ["tokens_per_day", "hours_per_month", "hybrid_monthly_tokens"]


def test_a_scenario_that_is_not_utf8_gets_one_line_naming_the_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("description: caf\xe9 team\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path)
    assert caught.value.problems == [caught.value.problems[0]] and "not UTF-8" in caught.value.problems[0]
    assert str(path) in str(caught.value)


def test_a_scenario_from_a_mapping_ignores_the_description():
    assert Scenario.from_dict({"description": "x", "tokens_per_day": 5}) == Scenario(tokens_per_day=5)


@pytest.mark.parametrize("key, value, expected", [
    ("tokens_per_day", -1, "tokens_per_day: must lie in 0..1e+13"),
    ("input_share", 1.5, "input_share: must lie in 0..1"),
    ("input_share", -0.1, "input_share: must lie in 0..1"),
    ("spot_discount", 1.2, "spot_discount: must lie in 0..1"),
    ("spot_discount", 1, "spot_discount: must lie in 0..1 (1 excluded)"),
    ("hours_per_month", 745, "hours_per_month: must lie in 0..744"),
    ("hours_per_month", -1, "hours_per_month: must lie in 0..744"),
    ("gpu_count", 0, "gpu_count: must lie in 1..1024"),
    ("gpu_count", 1.5, "gpu_count: expected a whole number"),
    ("tokens_per_s", 0, "tokens_per_s: must lie in 0..1e+07 (0 excluded)"),
    ("tokens_per_day", "lots", "tokens_per_day: expected a number"),
    ("tokens_per_day", True, "tokens_per_day: expected a number"),
    ("tokens_per_day", None, "tokens_per_day: must not be empty"),
    ("privacy_required", "yes please", "privacy_required: expected true or false"),
    ("throughput_source", "measured", "throughput_source: must be one of"),
    ("api_models", [], "api_models: expected a non-empty list"),
    ("api_models", "GPT-5", "api_models: expected a non-empty list"),
    ("api_models", ["GPT-5", "GPT-5"], "api_models: listed twice: GPT-5"),
    ("tables_dir", "/tmp/x", "tables_dir: set by the report runner"),
])
def test_bad_value_is_named_by_its_key(key, value, expected):
    found = problems_of({key: value})
    assert len(found) == 1 and found[0].startswith(expected), found


def test_unknown_gpu_names_the_csv_and_lists_the_known_rows():
    (problem,) = problems_of({"gpu": "NVIDIA B200"})
    assert problem.startswith("gpu: 'NVIDIA B200' is not a gpu of data/gpu_cloud.csv")
    for gpu in data.load("gpu_cloud")["gpu"]:
        assert gpu in problem


def test_unknown_api_model_suggests_the_closest_one():
    (problem,) = problems_of({"api_models": ["GPT-5", "Claude Sonet 4.5"]})
    assert problem.startswith("api_models[1]: 'Claude Sonet 4.5' is not a model of data/api_prices.csv")
    assert "did you mean 'Claude Sonnet 4.5'?" in problem
    (problem,) = problems_of({"hybrid_api_model": "gpt5"})
    assert problem.startswith("hybrid_api_model:")


def test_unknown_setup_is_refused():
    (problem,) = problems_of({"setup": "h100_llama405b"})
    assert problem.startswith("setup: 'h100_llama405b' is not a setup of data/selfhost_setups.csv")


def test_misspelt_key_gets_a_did_you_mean():
    (problem,) = problems_of({"tokens_per_dya": 1})
    assert problem.startswith("tokens_per_dya: unknown key (did you mean 'tokens_per_day'?)")
    (problem,) = problems_of({"privacy": True})
    assert "did you mean 'privacy_required'?" in problem


def test_every_problem_is_reported_at_once():
    found = problems_of({"tokens_per_day": -5, "input_share": 2, "gpu": "nope", "colour": "red"})
    assert [p.split(":")[0] for p in found] == ["colour", "tokens_per_day", "input_share", "gpu"]


def test_yaml_scientific_notation_without_a_dot_gets_a_hint(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("tokens_per_day: 1e7\n")
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path)
    message = str(caught.value)
    assert str(path) in message and "tokens_per_day: expected a number" in message
    assert "1.0e+7" in message


def test_load_errors_name_the_file(tmp_path):
    with pytest.raises(ScenarioError, match="missing.yaml: 1 problem"):
        scenario.load(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("tokens_per_day: [1,\n")
    with pytest.raises(ScenarioError, match=r"(?s)broken.yaml.*line 2, column 1: not valid YAML"):
        scenario.load(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- tokens_per_day\n")
    with pytest.raises(ScenarioError, match="expected a mapping"):
        scenario.load(listed)


def test_empty_file_is_the_article_scenario(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing overridden\n")
    assert scenario.load(path) == {}


def test_save_round_trips(tmp_path):
    raw = {"tokens_per_day": 50_000_000, "api_models": ["GPT-5"], "privacy_required": True,
           "description": "team"}
    path = scenario.save(raw, tmp_path / "sub" / "team.yaml")
    assert scenario.load(path) == raw
    assert list(yaml.safe_load(path.read_text())) == ["description", "tokens_per_day",
                                                      "api_models", "privacy_required"]


def test_save_refuses_a_bad_scenario_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "team.yaml"
    scenario.save({"tokens_per_day": 1}, path)
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match="input_share"):
        scenario.save({"input_share": 3}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["team.yaml"], "no temporary file left behind"


def test_save_of_a_new_bad_scenario_writes_nothing(tmp_path):
    with pytest.raises(ScenarioError):
        scenario.save({"gpu": "toaster"}, tmp_path / "new.yaml")
    assert not (tmp_path / "new.yaml").exists()


def test_validation_reads_names_from_the_given_data_dir(tmp_path):
    # A data folder whose gpu_cloud.csv lists one extra GPU: the scenario may name it.
    for name in ("gpu_cloud", "api_prices", "selfhost_setups"):
        (tmp_path / f"{name}.csv").write_text(paths.data_file(name).read_text())
    with open(tmp_path / "gpu_cloud.csv", "a") as handle:
        handle.write('NVIDIA B200,NVIDIA B200,1,192,6.00,on_demand,"Big models",test,2026-03-01\n')
    assert scenario.validate({"gpu": "NVIDIA B200"}, data_dir=tmp_path) == {"gpu": "NVIDIA B200"}
    with pytest.raises(ScenarioError):
        scenario.validate({"gpu": "NVIDIA B200"})

