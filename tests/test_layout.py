"""The repository layout the design card fixes, and the stdlib `platform` left alone."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_it_has_the_design_cards_top_level():
    for name in [
        "platform",
        "tenants",
        "services_catalog",
        "billing_and_quota",
        "deploy/helm",
        "docs",
        "tests",
        "pyproject.toml",
        "README.md",
        "manage.py",
        "Makefile",
        ".ci/run",
    ]:
        assert (ROOT / name).exists(), name


def test_it_keeps_platform_a_plain_folder_so_the_stdlib_module_still_imports():
    assert not (ROOT / "platform" / "__init__.py").exists()

    result = subprocess.run(
        [sys.executable, "-c", "import platform, uuid; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "Linux"


def test_it_runs_the_readme_test_command_in_ci():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
