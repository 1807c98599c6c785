from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sipentol.lib.phone import mask_phone, normalize_phone


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "081234567890", "+62 812 3456 7890", "62812-3456-7890", "812 3456 7890", "0062 812 3456 7890"],
)
def test_it_normalises_the_ways_people_type_a_mobile_number(typed):
    assert normalize_phone(typed) == "+6281234567890"


def test_it_accepts_short_and_long_mobile_numbers():
    assert normalize_phone("0812-345-678") == "+62812345678"  # 11 digits, older Telkomsel
    assert normalize_phone("0895-1234-56789") == "+62895123456789"  # 13 digits, Tri


def test_it_accepts_landlines_with_area_code():
    assert normalize_phone("(0321) 321456") == "+62321321456"  # Mojokerto
    assert normalize_phone("031-5678901") == "+62315678901"  # Surabaya
    assert normalize_phone("021 1234 5678") == "+622112345678"  # Jakarta


@pytest.mark.parametrize(
    ("typed", "code", "says"),
    [
        ("", "phone_required", "belum diisi"),
        ("0812-34", "phone_length", "yang Anda isi 6 digit"),
        ("0812345678901234", "phone_length", "10 sampai 13 digit"),
        ("+1 415 555 0100", "phone_foreign", "bukan nomor Indonesia"),
        ("0812-ABCD-7890", "phone_not_digits", "hanya boleh berisi angka"),
        ("0841-2345-6789", "phone_prefix", "bukan nomor HP yang dikenal"),
        ("0123456", "phone_invalid", "tidak dikenali"),
        ("000000", "phone_invalid", "tidak dikenali"),
    ],
)
def test_it_rejects_nonsense_with_a_message_saying_what_to_fix(typed, code, says):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)

    assert exc.value.code == code
    assert says in exc.value.messages[0]


def test_it_masks_a_phone_number():
    assert mask_phone("0812-3456-7890") == "+62812****7890"
    assert mask_phone("+62321321456") == "+62321**1456"
