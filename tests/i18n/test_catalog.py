"""The English catalogue is complete: every msgid translated, none fuzzy, the .mo compiled from the .po,
and every literal string marked for translation in templates and Python is in the catalogue."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "platform" / "sipentol" / "locale" / "en" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"
SOURCE_DIRS = ["platform", "tenants", "services_catalog", "billing_and_quota"]
FIX = "Run `make messages`, translate the new entries in django.po, and commit django.po and django.mo."


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr and msgstr[n], continued strings, flags."""
    entries: list[Entry] = []
    current, key = Entry(), None

    def flush():
        nonlocal current, key
        if key is not None:
            entries.append(current)
        current, key = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue  # obsolete
        elif line.startswith("#,"):
            if key is not None and key.startswith("msgstr"):
                flush()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if key == "msgid":
                current.msgid += value
            elif key == "msgid_plural":
                current.msgid_plural += value
            elif key == "msgctxt":
                current.msgctxt += value
            else:
                current.msgstr[int(key[7:-1]) if "[" in key else 0] += value
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and key is not None and key.startswith("msgstr"):
                flush()
            key = keyword
            value = _unquote(rest)
            if keyword == "msgid":
                current.msgid, current.line = value, number
            elif keyword == "msgid_plural":
                current.msgid_plural = value
            elif keyword == "msgctxt":
                current.msgctxt = value
            elif keyword.startswith("msgstr"):
                current.msgstr[int(keyword[7:-1]) if "[" in keyword else 0] = value
            else:
                raise AssertionError(f"django.po line {number}: cannot read {raw!r}")
    flush()
    return entries


def messages() -> list[Entry]:
    return [e for e in parse_po(PO) if e.msgid]  # the header has an empty msgid


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%")


def test_it_has_a_catalogue_with_hundreds_of_messages():
    assert len(messages()) > 300


def test_it_translates_every_message():
    untranslated = [e.msgid for e in messages() if not all(s.strip() for s in e.msgstr.values()) or not e.msgstr]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}. {FIX}"


def test_it_has_two_plural_forms_for_every_plural_message():
    wrong = [e.msgid for e in messages() if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]]
    assert not wrong, wrong


def test_it_leaves_no_fuzzy_translation():
    fuzzy = [e.msgid for e in parse_po(PO) if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy (guessed) translations must be checked and the flag removed: {fuzzy[:10]}"


def test_it_keeps_every_placeholder_of_the_source_text():
    wrong = []
    for e in messages():
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural is not None else [])
        expected = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        for text in e.msgstr.values():
            if set(PLACEHOLDER.findall(text)) - expected or (
                e.msgid_plural is None and set(PLACEHOLDER.findall(text)) != expected
            ):
                wrong.append((e.msgid, text))
    assert not wrong, wrong


def test_it_ships_a_compiled_catalogue_that_matches_the_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in messages():
        if e.msgid_plural is not None:
            got = [compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) if e.msgctxt else
                   compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]  # fmt: skip
            want = [e.msgstr[0], e.msgstr[1]]
        else:
            got = [compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)]
            want = [e.msgstr[0]]
        if got != want:
            stale.append(e.msgid)
    assert not stale, f"django.mo is older than django.po for {stale[:10]}. {FIX}"


TEMPLATE_STRING = re.compile(
    r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')(?:\s+as\s+\w+)?\s*%\}"""
)
PY_STRING = re.compile(
    r"""(?<![\w.])(?:_|_l|gettext|gettext_lazy)\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*\)"""
)


def _source_files():
    for top in SOURCE_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in (".html", ".txt", ".py") and "migrations" not in path.parts and path.is_file():
                yield path


def test_it_has_every_string_marked_in_templates_and_python_in_the_catalogue():
    known = {e.msgid for e in messages()}
    missing = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        pattern = PY_STRING if path.suffix == ".py" else TEMPLATE_STRING
        for match in pattern.finditer(text):
            literal = _unquote(match.group(1))
            if path.suffix != ".py":
                literal = literal.replace("%", "%%") if "%" in literal and "%%" not in literal else literal
            if literal and literal not in known and literal.replace("%%", "%") not in known:
                missing.append(f"{path.relative_to(ROOT)}: {literal!r}")
    assert not missing, f"{len(missing)} strings not in the English catalogue: {missing[:15]}. {FIX}"
