"""The suite's own layout: shared fixtures and helpers live in conftest.py and the helper modules
of tests/, and no test module imports conftest or another test module (pytest would then collect
or register their fixtures twice, and a change to one test module would break another)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_test_module_imports_conftest_or_another_test_module():
    offenders = {
        f"{path.name}: {module}"
        for path in sorted(TESTS.glob("*.py"))
        for module in imported_modules(path)
        if module.startswith("tests.") and module.split(".")[1].startswith(("test_", "conftest"))
    }
    assert not offenders, sorted(offenders)
