"""The apps import one another one way (CONTRIBUTING.md): a change that imports upwards fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app may import the apps listed for it, and no other of ours.
ALLOWED = {
    "plan": set(),
    "strategies": {"plan"},
    "activities": {"plan", "strategies"},
    "revisions": {"plan", "strategies", "activities"},
    "plandata": {"plan", "strategies", "activities"},
    "followup": {"plan", "strategies", "activities", "revisions"},
    "meetings": {"plan", "strategies", "activities", "revisions", "followup"},
    "sso": {"plan"},
    "publicsite": {"plan", "strategies", "activities", "revisions", "followup"},
}


def imported_apps(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {
        f"{path.relative_to(ROOT)} imports {imported}"
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for imported in imported_apps(path)
        if imported in ALLOWED and imported != app and imported not in ALLOWED[app]
    }
    assert not wrong


def test_the_import_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "upward.py"
    module.write_text("from followup.models import FollowUp\nimport revisions.services\n")
    assert set(imported_apps(module)) == {"followup", "revisions"}
