"""The footer that letters signed through BSrE carry, as BSrE-signed government letters do.

The default is BSSN's wording: UU ITE (UU 11/2008 jo. UU 19/2016) Pasal 5 ayat 1 on electronic
documents as legal evidence, and the statement that the letter was signed with a certificate
issued by BSrE. Diskominfo may change it on the ops console when BSSN changes it; the console's
stored text reaches the letters through `register_provider` (ops, in `AppConfig.ready()`),
since letters sit below the console and may not import it.
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_BSRE_FOOTER = (
    "UU ITE No. 11 Tahun 2008 Pasal 5 ayat 1: “Informasi Elektronik dan/atau Dokumen Elektronik dan/atau "
    "hasil cetaknya merupakan alat bukti hukum yang sah.”\n"
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
    "oleh BSrE."
)

_provider: Callable[[], str | None] | None = None


def register_provider(provider: Callable[[], str | None]) -> None:
    """Where the current text comes from (the ops console's setting); None from it: the default."""
    global _provider
    _provider = provider


def bsre_footer_lines() -> list[str]:
    """The footer's lines, as a BSrE-signed letter shows them (one paragraph each)."""
    text = (_provider() if _provider else None) or DEFAULT_BSRE_FOOTER
    return [line.strip() for line in text.splitlines() if line.strip()]
