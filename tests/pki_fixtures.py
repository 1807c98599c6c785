"""The test PKI as a pytest fixture, shared by conftests that need it (tests/letters,
tests/bench): fixtures of one test directory's conftest are not visible from another, so each
conftest imports `test_pki` from here and both see the same definition."""

from __future__ import annotations

import logging

import pytest

from tests.letters.pki_server import start_test_pki

# One log line per OCSP/CRL/TSA request would drown the test output (a bench run asks for 50+ timestamps).
logging.getLogger("werkzeug").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """certomancer's root CA, kecamatan CA, signers, OCSP, CRL and TSA over HTTP on a free local port."""
    pki = start_test_pki(tmp_path_factory.mktemp("pki"))
    yield pki
    pki.stop()
