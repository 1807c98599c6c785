"""Bahasa Indonesia by default, English when chosen: the citizen pages through HTTP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

SERVICE = "domisili"
KECAMATAN_PAGES = {
    "/": ["Online services", "Search services", "Need help?", "Skip to content"],
    "/layanan/": ["Search services", "Search"],
    f"/layanan/{SERVICE}/": ["Requirements", "How to apply", "Apply now", "Processing time", "Legal basis"],
    f"/layanan/{SERVICE}/ajukan/": ["Applicant and application details", "Required documents", "Submit application"],
    "/lacak/": ["Track application", "Tracking code", "Track"],
    "/kontak/": ["Contact and service hours", "Complaints"],
    "/tanya-jawab/": ["Question not answered?"],
}
REGENCY_PAGE = ("/", ["Online kecamatan services in Mojokerto Regency", "Choose the kecamatan where you live"])

# English UI words that would betray an untranslated string on a page in Bahasa Indonesia.
# Only chrome: the catalog content (service names, requirements, FAQ) is data in Bahasa Indonesia.
ENGLISH_CHROME = [
    "Submit", "Search", "Services", "Service", "Track", "Contact", "Required", "Upload", "Status page",
    "Back", "Home", "Next", "Previous", "Apply", "Download", "Cancel", "Save", "Please", "Choose",
    "Select", "Login", "Log in", "Password", "Username", "Requirements", "Procedure", "Fee", "Free",
    "Help", "Skip to content", "Details", "Application", "optional", "working days", "This field",
    "Enter a valid",
]  # fmt: skip


class _VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and the attributes browsers show or read out."""

    SHOWN_ATTRS = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        for name in self.SHOWN_ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def html_lang(html: str) -> str:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html)
    assert match, "the page has no <html lang>"
    return match.group(1)


def get_ok(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response.content.decode()


def choose_english(client, next_path: str = "/"):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_path})
    assert response.status_code == 302
    assert response.headers["Location"] == next_path


@pytest.mark.parametrize("path", list(KECAMATAN_PAGES))
def test_it_shows_the_kecamatan_pages_in_english_after_choosing_english(jetis_client, path):
    choose_english(jetis_client, path)

    html = get_ok(jetis_client, path)

    assert html_lang(html) == "en"
    text = visible_text(html)
    for phrase in KECAMATAN_PAGES[path]:
        assert phrase in text, f"{path}: {phrase!r} missing in English"


def test_it_shows_the_regency_home_in_english_after_choosing_english(public_client):
    path, phrases = REGENCY_PAGE
    choose_english(public_client, path)

    html = get_ok(public_client, path)

    assert html_lang(html) == "en"
    text = visible_text(html)
    for phrase in phrases:
        assert phrase in text


def test_it_keeps_english_across_pages_and_switches_back_to_indonesian(jetis_client):
    choose_english(jetis_client)
    assert "Online services" in visible_text(get_ok(jetis_client, "/"))
    assert "Track application" in visible_text(get_ok(jetis_client, "/lacak/"))

    jetis_client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    html = get_ok(jetis_client, "/")

    assert html_lang(html) == "id"
    assert "Layanan online" in visible_text(html)
    assert "Online services" not in visible_text(html)


def test_it_offers_both_languages_on_every_page(jetis_client):
    html = get_ok(jetis_client, "/")

    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="id"' in html and 'name="language" value="en"' in html


def _assert_no_english_chrome(path: str, html: str):
    assert html_lang(html) == "id", f"{path} is not in Bahasa Indonesia by default"
    text = visible_text(html)
    found = [word for word in ENGLISH_CHROME if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    assert not found, f"{path} shows English UI words by default: {found}"


@pytest.mark.parametrize("path", list(KECAMATAN_PAGES))
def test_it_shows_kecamatan_pages_in_bahasa_indonesia_by_default_with_no_english_chrome(jetis_client, path):
    _assert_no_english_chrome(path, get_ok(jetis_client, path))


def test_it_shows_the_regency_home_in_bahasa_indonesia_by_default_with_no_english_chrome(public_client):
    path = REGENCY_PAGE[0]
    _assert_no_english_chrome(path, get_ok(public_client, path))


def test_it_shows_form_errors_in_bahasa_indonesia_by_default(jetis_client):
    response = jetis_client.post(f"/layanan/{SERVICE}/ajukan/", {"action": "submit"})
    html = response.content.decode()

    assert response.status_code in (200, 400)
    assert "Ada isian yang perlu diperbaiki" in html
    _assert_no_english_chrome(f"POST /layanan/{SERVICE}/ajukan/", html)


def test_it_shows_form_errors_in_english_after_choosing_english(jetis_client):
    choose_english(jetis_client, f"/layanan/{SERVICE}/ajukan/")

    response = jetis_client.post(f"/layanan/{SERVICE}/ajukan/", {"action": "submit"})
    text = visible_text(response.content.decode())

    assert "Some fields need correcting" in text
    assert "This field is required." in text
