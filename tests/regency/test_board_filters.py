"""The boards' URL filters (regency/boards.py), without a database: dates and their messages."""

from __future__ import annotations

import datetime as dt

from sipentol.regency.boards import filters_query, first_day, last_day, parse_filters

TODAY = dt.date(2026, 11, 30)


def test_it_defaults_to_this_month_so_far():
    filters, errors = parse_filters({}, today=TODAY)

    assert (first_day(filters), last_day(filters), errors) == (dt.date(2026, 11, 1), TODAY, [])


def test_it_reads_a_month_and_a_range_and_writes_them_back_into_links():
    month, _ = parse_filters({"bulan": "2026-02"}, today=TODAY)
    chosen, errors = parse_filters({"dari": "2026-01-05", "sampai": "2026-03-31", "layanan": "sktm"}, today=TODAY)

    assert (first_day(month), last_day(month)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert errors == [] and chosen.service_code == "sktm"
    assert filters_query(chosen) == "?dari=2026-01-05&sampai=2026-03-31&layanan=sktm"
    assert filters_query(chosen, layanan=None, kecamatan=7) == "?dari=2026-01-05&sampai=2026-03-31&kecamatan=7"


def test_it_refuses_a_period_longer_than_three_years_and_shows_this_month():
    filters, errors = parse_filters({"dari": "2020-01-01", "sampai": "2026-11-01"}, today=TODAY)

    assert errors == ["Periode paling panjang 3 tahun; ditampilkan bulan ini."]
    assert (first_day(filters), last_day(filters)) == (dt.date(2026, 11, 1), TODAY)


def test_the_camat_board_keeps_its_own_kecamatan_whatever_the_url_says():
    filters, errors = parse_filters({"kecamatan": "3"}, today=TODAY, kecamatan_id=16)

    assert filters.kecamatan_id == 16 and errors == []
    assert "kecamatan" not in filters_query(filters, board="camat")
