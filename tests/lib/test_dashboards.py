"""The dashboard section registry (lib/dashboards.py): boards, keys, table lookup."""

import datetime as dt

import pytest

from sipentol.lib import dashboards


class _Section:
    def __init__(self, key):
        self.key = key
        self.title = key

    def tables(self, request, filters):
        return [dashboards.Table(key=f"{self.key}-t", title="T", columns=["a"], rows=[[1]])]

    def render(self, request, filters):
        return "<p>x</p>"


def _filters():
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return dashboards.Filters(start=start, end=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), today=dt.date(2026, 11, 30))


def test_a_registered_section_is_listed_once_and_its_table_found(monkeypatch):
    monkeypatch.setattr(dashboards, "_SECTIONS", {b: [] for b in dashboards.BOARDS})
    section = _Section("uji")
    dashboards.register("camat", section)
    dashboards.register("camat", _Section("uji"))
    assert dashboards.sections("camat") == [section]
    assert dashboards.sections("regency") == []
    assert dashboards.table("camat", "uji-t", None, _filters()).rows == [[1]]
    assert dashboards.table("regency", "uji-t", None, _filters()) is None


def test_an_unknown_board_is_refused():
    with pytest.raises(ValueError):
        dashboards.register("desa", _Section("x"))


def test_filters_describe_the_period_with_its_last_day():
    assert dashboards.Filters.describe(_filters())[0] == ("periode", "2026-11-01 s.d. 2026-11-30")
