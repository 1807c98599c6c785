"""Letter PDFs: a sandboxed body template inside the letterhead layout, rendered by WeasyPrint.

The admin-edited body is compiled by an Engine with no builtins but `sandbox_library`; the
application's field values are only ever context VALUES (autoescaped), never template source.
WeasyPrint may fetch nothing but our own letter assets and data: URIs.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# WeasyPrint logs every layout step at INFO: hundreds of lines per letter.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

ASSET_DIR = Path(__file__).resolve().parent / "assets"
LAYOUT_DIR = Path(__file__).resolve().parent / "layout"
FORBIDDEN_TAGS = {"load", "include", "ssi", "debug", "extends", "block", "autoescape", "csrf_token", "url", "filter"}
MAX_TEMPLATE_CHARS = 100_000


class TemplateRejected(ValueError):
    """The admin's template uses something the sandbox does not allow; the message says what."""


class _SandboxEngine(Engine):
    default_builtins = ["sipentol.docengine.sandbox_library"]


@lru_cache(maxsize=1)
def sandbox_engine() -> Engine:
    return _SandboxEngine(
        dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True, debug=False, string_if_invalid=""
    )


@lru_cache(maxsize=1)
def layout_engine() -> Engine:
    """The engine of our own letterhead layout (trusted templates of this package only)."""
    return Engine(dirs=[str(LAYOUT_DIR)], app_dirs=False, libraries={"i18n": "django.templatetags.i18n"})


def compile_body(html: str):
    """The compiled body template, or TemplateRejected with a message for the admin."""
    if len(html) > MAX_TEMPLATE_CHARS:
        raise TemplateRejected(_("Templat surat terlalu panjang. Ringkas isi templat lalu simpan lagi."))
    for token in Lexer(html).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.split_contents() or [""])[0]
            if name in FORBIDDEN_TAGS:
                raise TemplateRejected(
                    _("Tag {%% %(tag)s %%} tidak diizinkan di templat surat. Hapus tag itu lalu simpan lagi.")
                    % {"tag": name}
                )
    try:
        return sandbox_engine().from_string(html)
    except TemplateSyntaxError as exc:
        raise TemplateRejected(
            _("Templat surat tidak dapat dibaca: %(error)s. Perbaiki lalu simpan lagi.") % {"error": exc}
        ) from exc


def plain_value(value: Any, depth: int = 0) -> Any:
    """Field values reduced to str/number/list/dict: nothing with methods reaches the template."""
    if depth > 5:
        return ""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): plain_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v, depth + 1) for v in value]
    return str(value)


def local_url_fetcher():
    """A WeasyPrint URL fetcher that serves only our letter assets and data: URIs."""
    from weasyprint.urls import URLFetcher

    class LocalAssetFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?", 1)[0].removeprefix("file:"))).resolve()
                if path.is_relative_to(ASSET_DIR) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"letters: refused to fetch {url[:200]!r} (only local letter assets are allowed)")

    return LocalAssetFetcher(allowed_protocols=["file", "data"], timeout=1, allow_redirects=False)


QR_PIXELS_PER_MODULE = 4  # ~280 dpi at 3 cm: sharp without relying on the viewer's interpolation


def qr_data_uri(url: str) -> str:
    """The verification QR as a small 1-bit PNG.

    An SVG path QR costs WeasyPrint ~0.1 s per letter to parse and draw (hundreds of subpaths);
    a PNG of a few hundred bytes is embedded almost for free and still decodes at 200 dpi.
    """
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=2, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * QR_PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def logo_uri(logo: tuple[bytes, str] | None) -> str:
    """The letterhead image as a URL WeasyPrint may fetch (the regency's fixed logo without one)."""
    return _logo_uri(logo)


def _logo_uri(logo: tuple[bytes, str] | None) -> str:
    if logo is None:
        return (ASSET_DIR / "logo-kabupaten-mojokerto.svg").as_uri()
    content, content_type = logo
    return f"data:{content_type};base64," + base64.b64encode(content).decode()


def _css_text(css: str) -> str:
    # The CSS goes inside <style>: it must not be able to close the element.
    return mark_safe(css.replace("</", "<\\/"))  # noqa: S308


def letter_html(
    *,
    body_html: str,
    css: str,
    title: str,
    kecamatan: dict,
    number: str | None,
    date: dt.date,
    holder: dict,
    data: dict,
    signature: dict | None,
    verify_url: str | None,
    logo: tuple[bytes, str] | None = None,
    trial: bool = False,
    footer_lines: list[str] | None = None,
) -> str:
    """The whole letter as HTML (letterhead, number, sandboxed body, signature block, QR).

    `logo` is the kecamatan's letterhead image (bytes, content type), embedded as a data: URI;
    without it the regency's fixed logo. `trial` marks the letter "UJI COBA" on every page.
    `footer_lines` close the letter in small print (the BSrE footer of letters signed through BSrE).
    """
    context = {
        "data": plain_value(data),
        "holder": plain_value(holder),
        "number": number or "",
        "date": date_format(date, "j F Y"),
        "kecamatan": plain_value(kecamatan),
        "title": title,
    }
    body = compile_body(body_html).render(Context(context, autoescape=True))
    return (
        layout_engine()
        .get_template("letter.html")
        .render(
            Context(
                {
                    **context,
                    "body": mark_safe(body),  # noqa: S308 (autoescaped output of the sandbox engine)
                    "extra_css": _css_text(css),
                    "logo_url": _logo_uri(logo),
                    "trial": trial,
                    "footer_lines": footer_lines or [],
                    "signature": signature,
                    "qr": qr_data_uri(verify_url) if verify_url else "",
                    "verify_url": verify_url or "",
                },
                autoescape=True,
            )
        )
    )


_fonts = threading.local()


def _font_config(html: str):
    """One WeasyPrint FontConfiguration per thread, re-used for every letter.

    WeasyPrint makes a new one (a fresh fontconfig config + Pango font map) for each document
    unless given one; their native memory is not all given back, which made a worker grow
    ~0.23 MB per letter (issue #4, point 8), and loading it costs time on every render.
    Pango font maps are not thread-safe, hence one per thread. A template with its own
    @font-face gets a fresh configuration so that admins' fonts never pile up in the shared one.
    """
    from weasyprint.text.fonts import FontConfiguration

    if "@font-face" in html.lower():
        return FontConfiguration()
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=local_url_fetcher())
    return document.write_pdf(font_config=_font_config(html))


def render_letter_pdf(**kwargs) -> bytes:
    return html_to_pdf(letter_html(**kwargs))
