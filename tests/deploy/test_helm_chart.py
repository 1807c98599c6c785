"""The Helm chart, linted and rendered by Helm's own Go SDK (helm-python-sdk, no helm binary),
every manifest validated against the Kubernetes API schemas of a current release."""

from __future__ import annotations

import base64
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from sipentol.lib import envvars

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "sipentol"
PRODUCTION_VALUES = CHART / "ci" / "production-values.yaml"
KUBERNETES_VERSION = "1.33.0"
SECRET_ENV_NAMES = envvars.names("secret")  # the one list: sipentol/lib/envvars.py


def _production_values() -> dict:
    return yaml.safe_load(PRODUCTION_VALUES.read_text())


def _render(values: dict | None) -> list[dict]:
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values, name="sipentol", namespace="sipentol", is_install=True)
    docs = []
    for path, text in rendered.items():
        if path.endswith(".txt"):
            continue
        docs.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return docs


@pytest.fixture(scope="module", params=["default", "production"])
def manifests(request) -> list[dict]:
    return _render(None if request.param == "default" else _production_values())


@pytest.fixture(scope="module")
def production() -> list[dict]:
    return _render(_production_values())


def _one(docs: list[dict], kind: str, name: str) -> dict:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def _pod_specs(docs: list[dict]) -> list[dict]:
    return [d["spec"]["template"]["spec"] for d in docs if d["kind"] in {"Deployment", "Job"}]


@pytest.mark.parametrize("values_file", [None, PRODUCTION_VALUES])
def test_it_passes_helm_lint_in_strict_mode(values_file):
    values = yaml.safe_load(values_file.read_text()) if values_file else None

    report = helm.lint(CHART, values, strict=True, kube_version=f"v{KUBERNETES_VERSION}")

    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_it_renders_manifests_that_the_kubernetes_api_schema_accepts(manifests):
    kinds = {d["kind"] for d in manifests}

    for doc in manifests:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)

    assert {
        "Deployment",
        "Job",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "ServiceAccount",
        "ConfigMap",
    } <= kinds


def test_it_serves_the_base_domain_and_every_kecamatan_subdomain_over_tls(manifests):
    ingress = _one(manifests, "Ingress", "sipentol")

    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == ["sipentol.mojokertokab.go.id", "*.sipentol.mojokertokab.go.id"]
    assert ingress["spec"]["tls"][0]["hosts"] == hosts
    assert ingress["spec"]["tls"][0]["secretName"]
    for rule in ingress["spec"]["rules"]:
        assert rule["http"]["paths"][0]["backend"]["service"]["name"] == "sipentol-web"


def test_it_runs_exactly_one_beat_that_is_never_doubled_during_an_upgrade(manifests):
    beat = _one(manifests, "Deployment", "sipentol-beat")

    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    assert beat["spec"]["template"]["spec"]["containers"][0]["command"][:4] == ["celery", "-A", "sipentol", "beat"]
    assert not [d for d in manifests if d["kind"] == "HorizontalPodAutoscaler" and "beat" in d["metadata"]["name"]]


def test_it_migrates_shared_then_tenant_schemas_in_a_pre_install_and_pre_upgrade_hook(manifests):
    job = _one(manifests, "Job", "sipentol-migrate")

    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
    script = " ".join(job["spec"]["template"]["spec"]["containers"][0]["command"])
    assert "migrate_platform --executor=multiprocessing" in script
    assert script.index("migrate_platform") < script.index("load_catalog") < script.index("storage_init")
    # A hook runs before the release's ConfigMap exists: its settings are inline.
    env = {e["name"]: e for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DJANGO_SETTINGS_MODULE"]["value"] == "sipentol.settings.production"
    assert "secretKeyRef" in env["DATABASE_URL"]["valueFrom"]


def test_it_gives_the_migrations_hook_its_own_copy_of_a_chart_made_secret(production):
    job = _one(production, "Job", "sipentol-migrate")
    hook_secret = _one(production, "Secret", "sipentol-migrate")

    refs = {
        e["name"]: e["valueFrom"]["secretKeyRef"]["name"]
        for e in job["spec"]["template"]["spec"]["containers"][0]["env"]
        if "valueFrom" in e
    }
    assert refs["SECRET_KEY"] == "sipentol-migrate"
    assert refs["DATABASE_URL"] == "sipentol-db-app"
    assert hook_secret["metadata"]["annotations"]["helm.sh/hook-weight"] == "-10"


def test_it_probes_web_readiness_on_healthz_with_the_base_domain_as_host(manifests):
    web = _one(manifests, "Deployment", "sipentol-web")
    container = web["spec"]["template"]["spec"]["containers"][0]

    readiness = container["readinessProbe"]["httpGet"]
    assert readiness["path"] == "/healthz"
    assert readiness["httpHeaders"] == [{"name": "Host", "value": "sipentol.mojokertokab.go.id"}]
    # Liveness must not depend on PostgreSQL/Redis/S3: an outage would restart every pod.
    assert container["livenessProbe"]["tcpSocket"]["port"] == "http"
    assert container["command"][:2] == ["gunicorn", "sipentol.wsgi:application"]


def test_it_runs_every_container_as_non_root_on_a_read_only_filesystem(manifests):
    for pod in _pod_specs(manifests):
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        mounts = {v["name"] for v in pod["volumes"]}
        for container in pod["containers"]:
            ctx = container["securityContext"]
            assert ctx["runAsNonRoot"] is True
            assert ctx["readOnlyRootFilesystem"] is True
            assert ctx["allowPrivilegeEscalation"] is False
            assert ctx["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
        assert "tmp" in mounts


def test_it_autoscales_web_and_worker_and_protects_them_with_disruption_budgets(manifests):
    hpas = {d["spec"]["scaleTargetRef"]["name"] for d in manifests if d["kind"] == "HorizontalPodAutoscaler"}
    pdbs = {d["metadata"]["name"] for d in manifests if d["kind"] == "PodDisruptionBudget"}

    assert hpas == {"sipentol-web", "sipentol-worker"}
    assert pdbs == {"sipentol-web", "sipentol-worker"}
    # The HPA owns the replica count: a fixed one would fight it on every upgrade.
    assert "replicas" not in _one(manifests, "Deployment", "sipentol-web")["spec"]


def test_it_lets_only_the_ingress_controller_and_monitoring_reach_the_web_pods(manifests):
    policy = _one(manifests, "NetworkPolicy", "sipentol-web")
    egress = _one(manifests, "NetworkPolicy", "sipentol-egress")

    namespaces = [
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for peer in policy["spec"]["ingress"][0]["from"]
    ]
    assert namespaces == ["ingress-nginx", "monitoring"]
    assert set(egress["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in egress["spec"]


def test_it_keeps_every_secret_out_of_the_configmap(production):
    values = _production_values()["secrets"]["values"]
    config = _one(production, "ConfigMap", "sipentol")
    secret = _one(production, "Secret", "sipentol")

    assert not SECRET_ENV_NAMES & set(config["data"])
    rendered_config = yaml.safe_dump(config)
    for value in values.values():
        assert value not in rendered_config
    stored = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert stored["SMTP_PASSWORD"] == values["SMTP_PASSWORD"]
    assert "DATABASE_URL" not in stored  # served by the operator's Secret


def test_it_gives_every_platform_container_the_env_vars_settings_read(production):
    config = _one(production, "ConfigMap", "sipentol")["data"]
    for name in ("sipentol-web", "sipentol-worker", "sipentol-beat"):
        container = _one(production, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e for e in container["env"]}

        assert container["envFrom"] == [{"configMapRef": {"name": "sipentol"}}]
        assert SECRET_ENV_NAMES - {"CELERY_BROKER_URL"} <= set(env)
        assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "sipentol-db-app", "key": "uri"}
    for name in ("BASE_DOMAIN", "S3_ENDPOINT", "S3_BUCKET", "S3_SECURE", "S3_REGION", "LOG_LEVEL", "SMTP_HOST"):
        assert name in config
    # sign-in security: the client address behind the ingress, lockout and session lifetimes
    assert config["TRUSTED_PROXY_COUNT"] == "1"
    assert (config["AXES_FAILURE_LIMIT"], config["AXES_ADDRESS_FAILURE_LIMIT"]) == ("5", "30")
    assert config["AXES_COOLOFF_MINUTES"] == "15"
    assert (config["SESSION_IDLE_SECONDS"], config["SESSION_ABSOLUTE_SECONDS"]) == ("1800", "43200")
    assert config["DJANGO_SETTINGS_MODULE"] == "sipentol.settings.production"


def test_it_fails_to_render_when_a_required_secret_has_no_source():
    values = _production_values()
    values["secrets"]["values"]["SECRET_KEY"] = ""

    with pytest.raises(helm.HelmError, match="secrets.values.SECRET_KEY is empty"):
        _render(values)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"beat": {"replicas": 2}}, "replicas"),
        ({"baseDomain": None}, "baseDomain"),
        ({"baseDomain": "https://sipentol.example.go.id/"}, "baseDomain"),
        ({"securityContext": {"readOnlyRootFilesystem": False}}, "readOnlyRootFilesystem"),
        ({"config": {"extraEnv": {"DATABASE_URL": "postgresql://u:p@db/x"}}}, "DATABASE_URL"),
        ({"worker": {"concurrency": 0}}, "concurrency"),
    ],
)
def test_it_rejects_bad_values_through_the_schema(change, complaint):
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError, match=complaint):
        chart.render(change, name="sipentol", namespace="sipentol", is_install=True)


# Which variables the chart sets, requires and accepts: tests/deploy/test_envvars.py.
