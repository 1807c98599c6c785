"""Fixtures of the benchmarks."""

from __future__ import annotations

from tests import pki_fixtures

# The signing batch bench timestamps with the letters tests' local TSA (tests/pki_fixtures.py):
# a fixture is visible to the tests under the conftest that names it.
test_pki = pki_fixtures.test_pki
