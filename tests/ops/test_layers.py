"""The layers of diary/ hold (import-linter's contracts in pyproject.toml), the contracts catch
what they are meant to, and no module escapes them by being left out of the list."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

REPO_ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = REPO_ROOT / "pyproject.toml"
CONTRACT_TYPES = {
    "layers": LayersContract,
    "independence": IndependenceContract,
    "forbidden": ForbiddenContract,
}


def _contracts() -> dict[str, dict]:
    return {
        contract["id"]: contract
        for contract in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    }


def _modules_of(layer: str) -> set[str]:
    return {name.strip() for name in layer.replace("|", ":").split(":")}


def _diary_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name; packages by their __init__.py."""
    found = {}
    for path in sorted((REPO_ROOT / "diary").rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _defines_code(path: Path) -> bool:
    """Whether a module holds more than its docstring (a package's __init__.py often does not)."""
    body = ast.parse(path.read_text()).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)


@pytest.fixture(scope="module")
def broken_by():
    """The ids of the contracts one more import would break, checked on the real import graph."""
    config = read_configuration(str(PYPROJECT))
    graph = grimp.build_graph("diary", include_external_packages=True, cache_dir=None)

    def broken(importer: str, imported: str) -> set[str]:
        assert not graph.direct_import_exists(importer=importer, imported=imported)
        graph.add_import(importer=importer, imported=imported)
        try:
            return {
                options["id"]
                for options in config["contracts_options"]
                if not CONTRACT_TYPES[options["type"]](
                    name=options["name"], session_options=config["session_options"], contract_options=options
                )
                .check(graph, verbose=False)
                .kept
            }
        finally:
            graph.remove_import(importer=importer, imported=imported)

    return broken


def test_the_layers_hold():
    """The same check as the test command's lint-imports, so that pytest alone fails on it too."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "importer, imported, contracts",
    [
        ("diary.summary.views", "diary.reports.views", {"views-apart", "features-apart"}),
        ("diary.accounts.views.auth", "diary.accounts.views.settings", {"views-apart"}),
        ("diary.advice.tips", "diary.entries.views.log", {"layers", "views-apart", "features-apart"}),
        ("diary.summary.weekly", "diary.advice.tips", {"layers"}),
        ("diary.entries.store", "flask", {"domain-without-flask"}),
        ("diary.summary.weeks", "werkzeug", {"domain-without-flask"}),
    ],
)
def test_an_import_across_the_rules_breaks_a_contract(broken_by, importer, imported, contracts):
    assert broken_by(importer, imported) == contracts


def test_an_import_down_the_layers_breaks_nothing(broken_by):
    assert broken_by("diary.summary.views", "diary.advice.tips") == set()


def test_every_module_with_code_is_in_a_layer():
    layered = set().union(*(_modules_of(layer) for layer in _contracts()["layers"]["layers"]))
    # The app factory wires every layer together, so it stands above them all.
    unlisted = {
        name for name, path in _diary_modules().items() if _defines_code(path) and name != "diary"
    } - layered
    assert not unlisted, f"add these to a layer in pyproject.toml: {sorted(unlisted)}"
    assert layered <= set(_diary_modules()), "a layer names a module that does not exist"


def test_the_domain_contract_covers_the_whole_domain_layer():
    contracts = _contracts()
    assert set(contracts["domain-without-flask"]["source_modules"]) == _modules_of(
        contracts["layers"]["layers"][2]
    )


def test_every_blueprint_is_a_view_kept_apart_from_the_others():
    contracts = _contracts()
    views = _modules_of(contracts["layers"]["layers"][0])
    for name, path in _diary_modules().items():
        if "Blueprint(" in path.read_text():
            assert name.endswith(".views") or ".views." in name, f"{name}: routes go in views.py or views/"
            assert name in views, f"{name}: add it to the views layer in pyproject.toml"
    assert set(contracts["views-apart"]["modules"]) == views
