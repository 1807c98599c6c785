# ruff: noqa: E501  (the certomancer configuration reads best one entry per line)
"""A real test PKI for the letters tests: certomancer (root CA, kecamatan CA, signers, a
revoked signer, OCSP, CRL, TSA) served over HTTP by its Animator on a free local port."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

ARCH = "mojokerto"
KEYS = ["root", "kecamatan-ca", "ocsp", "tsa", "camat", "sekcam", "revoked"]


def _config(prefix: str) -> dict:
    signer_ext = [
        {
            "id": "key_usage",
            "critical": True,
            "smart-value": {"schema": "key-usage", "params": ["digital_signature", "non_repudiation"]},
        },
        {
            "id": "crl_distribution_points",
            "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["kecamatan-ca"]}},
        },
        {
            "id": "authority_information_access",
            "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["kecamatan-ca"]}},
        },
    ]
    validity = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2090-01-01T00:00:00+0000"}
    ca_ku = {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": ["digital_signature", "key_cert_sign", "crl_sign"]},
    }
    return {
        "external-url-prefix": prefix,
        "keysets": {"k": {"keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {
            ARCH: {
                "keyset": "k",
                "entity-defaults": {"country-name": "ID", "organization-name": "Pemerintah Kabupaten Mojokerto (uji)"},
                "entities": {
                    "root": {"common-name": "Mojokerto Test Root CA"},
                    "kecamatan-ca": {"common-name": "Kecamatan Jetis Test CA"},
                    "ocsp": {"common-name": "Kecamatan Jetis OCSP"},
                    "tsa": {"common-name": "Mojokerto Test TSA"},
                    "camat": {"common-name": "Drs. Bambang Wahyudi, M.Si."},
                    "sekcam": {"common-name": "Sri Rahayu Ningsih, S.Sos."},
                    "revoked": {"common-name": "Hendra Kurniawan"},
                },
                "certs": {
                    "root": {
                        "subject": "root", "subject-key": "root", "issuer": "root", "authority-key": "root",
                        "validity": {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2100-01-01T00:00:00+0000"},
                        "extensions": [{"id": "basic_constraints", "critical": True, "value": {"ca": True}}, ca_ku],
                    },
                    "kecamatan-ca": {
                        "issuer": "root", "validity": validity,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True, "path-len-constraint": 0}},
                            ca_ku,
                            {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}}},
                        ],
                    },
                    "ocsp": {
                        "issuer": "kecamatan-ca", "validity": validity,
                        "extensions": [
                            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "tsa": {
                        "issuer": "root", "validity": validity,
                        "extensions": [
                            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                        ],
                    },
                    "camat": {"issuer": "kecamatan-ca", "validity": validity, "extensions": signer_ext},
                    "sekcam": {"issuer": "kecamatan-ca", "validity": validity, "extensions": signer_ext},
                    "revoked": {
                        "issuer": "kecamatan-ca", "validity": validity, "extensions": signer_ext,
                        "revocation": {"revoked-since": "2021-01-01T00:00:00+0000", "reason": "key_compromise"},
                    },
                },
                "services": {
                    "ocsp": {"kecamatan-ca": {"for-issuer": "kecamatan-ca", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                        "kecamatan-ca": {"for-issuer": "kecamatan-ca", "signing-key": "kecamatan-ca", "simulated-update-schedule": "P30D"},
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }  # fmt: skip


@dataclass
class TestPki:
    base_url: str
    arch: object
    server: object

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    def cert_pem(self, label: str) -> str:
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.arch.get_cert(label).dump()).decode()

    def p12(self, label: str, password: bytes) -> bytes:
        return self.arch.package_pkcs12(label, password=password)

    def key_and_cert(self, label: str):
        return self.arch.key_set.get_private_key(label), self.arch.get_cert(label)

    def stop(self) -> None:
        self.server.shutdown()


def start_test_pki(directory: Path) -> TestPki:
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from werkzeug.serving import make_server

    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    # Bind first (port 0) so that the certificates carry the real URL.
    holder: dict = {}

    def app(environ, start_response):
        return holder["animator"](environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    (directory / "certomancer.yml").write_text(yaml.safe_dump(_config(base_url)))
    config = CertomancerConfig.from_file(str(directory / "certomancer.yml"), key_search_dir=str(directory))
    arch = config.get_pki_arch(ARCH)
    holder["animator"] = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return TestPki(base_url=base_url, arch=arch, server=server)
