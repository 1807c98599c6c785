"""Bahasa Indonesia first; the language buttons switch a citizen's pages to English and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import english_words, new_context

pytestmark = pytest.mark.slow

PAGES = ["/", "/layanan/", "/layanan/domisili/", "/layanan/domisili/ajukan/", "/kontak/", "/tanya-jawab/", "/lacak/"]


def test_it_shows_citizens_no_english_by_default_even_to_an_english_browser(browser, app_server):
    page = new_context(browser, phone=True, locale="en-US").new_page()
    for host, path in [("localhost", "/"), *(("jetis", p) for p in PAGES)]:
        page.goto(app_server.url(host, path))
        assert page.locator("html").get_attribute("lang") == "id"
        text = page.locator("body").inner_text()
        assert not english_words(text), f"{host}{path}: {sorted(english_words(text))}"


def test_it_switches_to_english_with_the_language_button_and_back(browser, app_server):
    page = new_context(browser, phone=True).new_page()
    page.goto(app_server.url("jetis", "/layanan/domisili/"))
    expect(page.get_by_role("link", name="Ajukan permohonan").first).to_be_visible()

    page.get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/layanan/domisili/")  # stays on the same page
    expect(page.get_by_role("link", name="Apply now").first).to_be_visible()
    page.goto(app_server.url("jetis", "/layanan/domisili/ajukan/"))  # and the choice sticks
    expect(page.get_by_role("button", name="Submit application")).to_be_visible()
    english = english_words(page.locator("body").inner_text())
    assert {"application", "submit"} & english

    page.get_by_role("button", name="ID").click()

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("button", name="Kirim permohonan")).to_be_visible()
