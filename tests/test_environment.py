"""pyproject.toml pins the dependencies; environment.yml must mirror it exactly."""
import tomllib

import yaml

from helpers import paths


def _pyproject_pins() -> set[str]:
    with open(paths.ROOT / "pyproject.toml", "rb") as handle:
        return set(tomllib.load(handle)["project"]["dependencies"])


def _environment_pins() -> set[str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, "environment.yml needs exactly one pip: list"
    return {p for p in pip_lists[0] if not p.startswith("-e")}


def test_every_dependency_is_pinned_exactly():
    pins = _pyproject_pins()
    loose = [p for p in pins if "==" not in p]
    assert not loose, f"pyproject.toml has unpinned dependencies: {loose}"


def test_environment_yml_mirrors_pyproject():
    pyproject, environment = _pyproject_pins(), _environment_pins()
    assert pyproject - environment == set(), f"missing from environment.yml: {sorted(pyproject - environment)}"
    assert environment - pyproject == set(), f"not in pyproject.toml: {sorted(environment - pyproject)}"


def test_environment_yml_python_matches_requires_python():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
