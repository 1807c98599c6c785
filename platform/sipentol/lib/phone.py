"""Indonesian phone numbers, normalised to E.164 (`+6281234567890`) for WhatsApp and SMS.

Accepted as typed by citizens: `0812-3456-7890`, `+62 812 3456 7890`, `62812...`, `(0321) 321456`,
and `812...` without the leading 0. Mobile numbers are 08 followed by an operator prefix
(81x, 82x, 83x, 85x, 87x, 88x, 89x) and 9-12 digits after the 0; landlines (an area code 0[2-7,9]x,
e.g. 031 Surabaya, 0321 Mojokerto) have 8-11 digits after the 0. Anything else, including
foreign numbers, is refused: notifications only go to Indonesian numbers.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"^8[1235789]\d{7,10}$")  # national significant number, 9-12 digits
_LANDLINE = re.compile(r"^[2-79]\d{7,10}$")  # area code + subscriber, 8-11 digits


def _national(value: str) -> str:
    """The national significant number (without 0 or +62); raises on a number not from Indonesia."""
    raw = _SEPARATORS.sub("", str(value or ""))
    if not raw:
        raise ValidationError(
            _("Nomor HP belum diisi. Isi nomor HP yang aktif, misalnya 0812-3456-7890."),
            code="phone_required",
        )
    if raw.startswith("+"):
        if not raw.startswith("+62"):
            raise ValidationError(
                _("Nomor %(value)s bukan nomor Indonesia. Isi nomor HP Indonesia yang diawali 08 atau +62.")
                % {"value": value},
                code="phone_foreign",
            )
        raw = raw[3:]
    elif raw.startswith("0062"):
        raw = raw[4:]
    elif raw.startswith("62"):
        raw = raw[2:]
    elif raw.startswith("0"):
        raw = raw[1:]
    if not raw.isdigit() or not raw.isascii():
        raise ValidationError(
            _("Nomor HP hanya boleh berisi angka (boleh diawali +62). Periksa kembali, misalnya 0812-3456-7890."),
            code="phone_not_digits",
        )
    return raw.lstrip("0") if raw.startswith("0") and len(raw) > 1 else raw


def normalize_phone(value: str) -> str:
    """`+62...` (E.164) for an Indonesian mobile or landline number; ValidationError otherwise."""
    national = _national(value)
    if national.startswith("8"):
        if _MOBILE.match(national):
            return "+62" + national
        if not re.match(r"^8[1235789]", national):
            raise ValidationError(
                _("Nomor %(value)s bukan nomor HP yang dikenal. Periksa kembali nomor HP Anda (misalnya 0812...).")
                % {"value": value},
                code="phone_prefix",
            )
        raise ValidationError(
            _(
                "Nomor HP harus 10 sampai 13 digit (termasuk 0 di depan), yang Anda isi %(count)d digit. "
                "Periksa kembali nomor HP Anda."
            )
            % {"count": len(national) + 1},
            code="phone_length",
        )
    if _LANDLINE.match(national):
        return "+62" + national
    raise ValidationError(
        _(
            "Nomor %(value)s tidak dikenali sebagai nomor telepon Indonesia. "
            "Isi nomor HP (misalnya 0812-3456-7890) atau nomor telepon rumah dengan kode area (misalnya 0321-123456)."
        )
        % {"value": value},
        code="phone_invalid",
    )


def mask_phone(value: str) -> str:
    """`+62812****7890`: enough for a citizen to recognise their number, not to dial it."""
    try:
        number = normalize_phone(value)
    except ValidationError:
        number = _SEPARATORS.sub("", str(value or ""))
    if len(number) >= 12:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) > 6:
        return number[:3] + "*" * (len(number) - 6) + number[-3:]
    return "*" * len(number)
