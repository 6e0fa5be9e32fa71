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


def module_name(path) -> str:
    """``helpers/show/plots.py`` -> ``helpers.show.plots``; a package's ``__init__.py`` -> the package."""
    parts = list(path.relative_to(paths.ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, known: set[str]) -> set[str]:
    """The helpers modules a file imports, anywhere in it (a lazy import inside a function
    closes a circle as surely as one at the top): ``from helpers.show import plots`` names
    ``helpers.show.plots`` where that is a module, ``from helpers.show.format import x`` names
    ``helpers.show.format``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "helpers"}
    return found & known


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph`` (module -> modules it imports): each strongly connected
    set of two or more modules, or a module importing itself, sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1 or node in graph.get(node, ()):
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_circle_among_helpers_modules():
    files = sorted((paths.ROOT / "helpers").rglob("*.py"))
    known = {module_name(p) for p in files}
    graph = {module_name(p): imported_modules(p.read_text(), known) - {module_name(p)} for p in files}
    assert not circles(graph), f"import circles: {circles(graph)}"


def test_the_circle_check_catches_a_lazy_import_back():
    known = {"helpers.show.format", "helpers.show.plots", "helpers.show", "helpers.text"}
    format_imports = imported_modules("def f():\n    from helpers.show import plots\n", known)
    plots_imports = imported_modules("from helpers.show.format import tokens_text\n", known)
    assert format_imports == {"helpers.show.plots"} and plots_imports == {"helpers.show.format"}
    graph = {"helpers.show.format": format_imports, "helpers.show.plots": plots_imports,
             "helpers.text": set()}
    assert circles(graph) == [["helpers.show.format", "helpers.show.plots"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
