"""helpers/ is layered, and imports point down the layers, never up (the README's
Architecture section): a formula module never imports the derivation, the derivation never
imports the article's tables, and so on."""
import ast

from helpers import paths

# Lower number = lower layer. A module may import its own layer and any layer below it.
LAYERS = {
    "paths": 0, "files": 0, "data": 0, "assumptions": 0, "text": 0,
    "costs": 1, "distributions": 1,
    "capacity": 2,
    "scenario": 3,
    "derive": 4,
    "article": 5, "uncertainty": 5,
    "show": 6,
    "report": 7,
    "tools": 8, "probe": 8,
}


def helpers_imports(source: str) -> set[str]:
    """The top-level helpers modules or packages a file imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            parts = node.module.split(".")
            found |= {a.name for a in node.names} if len(parts) == 1 else {parts[1]}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return found


def test_every_module_has_a_layer():
    tops = {p.relative_to(paths.ROOT / "helpers").parts[0].removesuffix(".py")
            for p in (paths.ROOT / "helpers").rglob("*.py")} - {"__init__", "__pycache__"}
    assert tops <= set(LAYERS), f"modules without a layer: {sorted(tops - set(LAYERS))}"


def test_imports_point_down():
    upward = []
    for path in sorted((paths.ROOT / "helpers").rglob("*.py")):
        top = path.relative_to(paths.ROOT / "helpers").parts[0].removesuffix(".py")
        if top == "__init__":
            continue
        for imported in helpers_imports(path.read_text()):
            if imported in LAYERS and LAYERS[imported] > LAYERS[top]:
                upward.append(f"{path.relative_to(paths.ROOT)} imports helpers.{imported}")
    assert not upward, upward


def test_the_checker_catches_an_upward_import():
    assert helpers_imports("from helpers.derive import derive\nimport helpers.article.tables") == {"derive", "article"}
    assert helpers_imports("from helpers import data, scenario") == {"data", "scenario"}
