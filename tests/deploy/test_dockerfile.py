"""The image recipe agrees with the Makefile and the chart (it cannot be built here: no engine)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_it_installs_the_same_debian_packages_as_the_makefile():
    makefile = (ROOT / "Makefile").read_text()

    assert "deploy/system-packages.txt" in makefile
    assert "COPY deploy/system-packages.txt" in DOCKERFILE
    assert "grep -v '^#' /tmp/system-packages.txt" in DOCKERFILE
    packages = [p for p in (ROOT / "deploy/system-packages.txt").read_text().split() if not p.startswith("#")]
    assert "libmagic1" in " ".join(packages) and "libpango-1.0-0" in packages


def test_it_builds_in_stages_and_runs_as_the_charts_non_root_user():
    values = yaml.safe_load((ROOT / "deploy/helm/sipentol/values.yaml").read_text())

    assert len(re.findall(r"^FROM ", DOCKERFILE, re.M)) >= 2
    assert "pip install ." in DOCKERFILE
    user = re.findall(r"^USER (\d+)", DOCKERFILE, re.M)
    assert user == [str(values["securityContext"]["runAsUser"])]
    assert "DJANGO_SETTINGS_MODULE=sipentol.settings.production" in DOCKERFILE
    assert "PYTHONPATH=/app/platform:/app" in DOCKERFILE
    assert 'CMD ["gunicorn", "sipentol.wsgi:application", "--config", "/app/deploy/gunicorn.conf.py"]' in DOCKERFILE
    assert "collectstatic" in DOCKERFILE
