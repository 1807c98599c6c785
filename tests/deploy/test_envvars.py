"""The one list of environment variables (sipentol/lib/envvars.py) against what reads them (the
settings, gunicorn), what provides them (the Helm chart) and what tells about them
(docs/operations.md)."""

from __future__ import annotations

import re
from pathlib import Path

import helm_python as helm
import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from sipentol.lib import envvars
from sipentol.lib.env import env

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "sipentol"
PRODUCTION_VALUES = CHART / "ci" / "production-values.yaml"
HELPERS = CHART / "templates" / "_helpers.tpl"
# Read by something else than our code: Django/celery (the settings module), fontconfig (its home
# and cache on a read-only root file system), Kubernetes' own substitution in the worker command.
READ_OUTSIDE_OUR_CODE = {"DJANGO_SETTINGS_MODULE", "HOME", "XDG_CACHE_HOME", "POD_NAME"}


def _production_values() -> dict:
    return yaml.safe_load(PRODUCTION_VALUES.read_text())


def _render(values: dict | None) -> list[dict]:
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values, name="sipentol", namespace="sipentol", is_install=True)
    return [d for path, text in rendered.items() if not path.endswith(".txt") for d in yaml.safe_load_all(text) if d]


def _one(docs: list[dict], kind: str, name: str) -> dict:
    (found,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def _names_read_in_source() -> set[str]:
    """Every variable our code reads: `env`/`envint`/`envbool`/`envloglevel` in the settings, os.environ.get
    in gunicorn's configuration and the platform's modules."""
    names = set()
    for path in (ROOT / "platform" / "sipentol" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:int|bool|loglevel)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    sources = [ROOT / "deploy" / "gunicorn.conf.py", ROOT / "platform" / "sipentol" / "metrics.py"]
    for path in sources:
        names |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    return names


def _container_env(docs: list[dict], deployment: str) -> set[str]:
    container = _one(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    return {e["name"] for e in container["env"]}


def test_it_declares_every_variable_the_code_reads_and_reads_every_declared_one():
    read = _names_read_in_source()

    assert sorted(read - envvars.names()) == []
    assert sorted(envvars.names() - read - READ_OUTSIDE_OUR_CODE) == []


def test_it_refuses_to_read_a_variable_that_is_not_declared(monkeypatch):
    monkeypatch.setenv("SIPENTOL_UNDECLARED_SETTING", "1")

    with pytest.raises(ImproperlyConfigured, match="SIPENTOL_UNDECLARED_SETTING is not declared"):
        env("SIPENTOL_UNDECLARED_SETTING")


def test_it_requires_in_production_exactly_the_variables_declared_required():
    production = (ROOT / "platform" / "sipentol" / "settings" / "production.py").read_text()

    required = set(re.findall(r"\benv\(\s*\"([A-Z][A-Z0-9_]*)\",\s*required=True\)", production))

    assert required == {v.name for v in envvars.ENV_VARS if v.required}


def test_it_sets_every_configmap_secret_and_pod_variable_from_the_chart_and_nothing_else():
    docs = _render(_production_values())
    extra_given = set(_production_values()["config"]["extraEnv"])

    config = set(_one(docs, "ConfigMap", "sipentol")["data"])
    web, worker = _container_env(docs, "sipentol-web"), _container_env(docs, "sipentol-worker")

    assert config == envvars.names("configmap") | extra_given
    assert extra_given <= envvars.names("extra")
    assert (web | worker) - envvars.names("secret") == envvars.names("pod")
    assert not config & envvars.names("secret")
    # With an existing Secret (the default values) every secret is referenced, optional or not.
    assert _container_env(_render(None), "sipentol-web") & envvars.names("secret") == envvars.names("secret")


def test_it_lists_the_secrets_in_the_chart_with_the_declared_required_flags():
    items = re.findall(r"- \{env: ([A-Z0-9_]+), group: \w+, required: (true|false)\}", HELPERS.read_text())

    assert {name: flag == "true" for name, flag in items} == {v.name: v.required for v in envvars.ENV_VARS if v.secret}


def test_it_gives_every_required_variable_a_source_in_the_chart():
    docs = _render(_production_values())
    web = _container_env(docs, "sipentol-web") | set(_one(docs, "ConfigMap", "sipentol")["data"])

    assert {v.name for v in envvars.ENV_VARS if v.required} <= web


def test_it_accepts_in_extra_env_exactly_the_extra_variables():
    values = _production_values()
    values["config"]["extraEnv"] = {name: "1" for name in envvars.names("extra")}

    config = _one(_render(values), "ConfigMap", "sipentol")["data"]

    assert envvars.names("extra") <= set(config)
    for refused in ("SIGNING_KEY_ENCRYPTION_KEY", "BSRE_PASSWORD", "SOME_TYPO_SETTING"):
        values["config"]["extraEnv"] = {refused: "x"}
        with (
            helm.Chart.load(CHART) as chart,
            pytest.raises(helm.HelmValuesError, match=f"invalid propertyName .{refused}"),
        ):
            chart.render(values, name="sipentol", namespace="sipentol", is_install=True)


def test_it_shows_the_declared_list_as_the_configuration_table_of_the_operations_docs():
    docs = (ROOT / "docs" / "operations.md").read_text()

    assert envvars.markdown_table() in docs, (
        "docs/operations.md §2's table is out of date: paste the output of "
        "`python platform/sipentol/lib/envvars.py` over it"
    )
