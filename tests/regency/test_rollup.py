"""The daily roll-up (sipentol/regency/rollup.py) the boards read: whatever facts are written,
changed or purged through the sink, the boards' figures equal those computed directly from the
facts, and the roll-up equals one rebuilt from scratch. The per-kecamatan table is paged."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import random
import threading
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from sipentol.lib import sla
from sipentol.lib.dashboards import Filters
from sipentol.lib.ikm import ikm_from_average_total, mutu
from sipentol.regency import rollup, selectors
from sipentol.regency.models import ApplicationFact, DailyFigures, DailyLeadTimes, OpenApplications
from sipentol.regency.sections import FIGURE_ROWS_SHOWN
from sipentol.regency.services import sink
from tenants.models import Kecamatan
from tests.accounts.staff import public_sign_in

from .helpers import publish_fact, remove_facts, schemaless_kecamatan
from .test_dashboard import leader, row_cells

SERVICES = [("domisili", "Surat Keterangan Domisili"), ("sktm", "Surat Keterangan Tidak Mampu")]


def _percentile_cont(values: list[int], q: float) -> float | None:
    """PostgreSQL's percentile_cont, asked of PostgreSQL itself."""
    if not values:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY v) FROM unnest(%s::int[]) AS v", [q, values])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_the_histograms_percentile_is_postgresqls_percentile_cont(db, q):
    rng = random.Random(7)
    for size in [1, 2, 3, 4, 9, 10, 11, 57]:
        values = [rng.choice([0, 1, 1, 2, 3, 5, 8, 13, 40]) for _ in range(size)]
        histogram: dict[int, int] = {}
        for value in values:
            histogram[value] = histogram.get(value, 0) + 1

        assert rollup.percentile(histogram, q) == pytest.approx(_percentile_cont(values, q)), values
    assert rollup.percentile({}, q) is None


def _random_fact(rng: random.Random, now: dt.datetime) -> dict:
    code, name = rng.choice(SERVICES)
    submitted = now - dt.timedelta(days=rng.randint(0, 70), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    fields = {
        "service_code": code,
        "service_name": name,
        "status": "in_review",
        "submitted_at": submitted,
        "due_date": timezone.localdate(submitted) + dt.timedelta(days=rng.randint(1, 9)),
        "clock_running": True,
        "completion_requested": rng.random() < 0.3,
    }
    if rng.random() < 0.6:  # closed: issued, or rejected
        closed = min(submitted + dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 5)), now)
        taken = rng.randint(0, 10)
        issued = rng.random() < 0.8
        fields |= {
            "status": "issued" if issued else "rejected",
            "clock_running": False,
            "closed_at": closed,
            "issued_at": closed if issued else None,
            "working_days_taken": taken,
            "on_time": rng.random() < 0.7,
        }
        if issued and rng.random() < 0.5:
            fields |= {"skm_total": rng.randint(9, 36), "rated_at": min(closed + dt.timedelta(days=1), now)}
    elif rng.random() < 0.2:  # cancelled by the citizen: closed, not judged
        fields |= {"status": "cancelled", "clock_running": False, "closed_at": now, "on_time": None}
    return fields


def _expected(facts: list[ApplicationFact], filters: Filters) -> dict:
    """The board's figures computed straight from the facts, in plain Python."""

    def within(moment):
        return moment is not None and filters.start <= moment < filters.end

    chosen = [
        f
        for f in facts
        if (not filters.kecamatan_id or f.kecamatan_id == filters.kecamatan_id)
        and (not filters.service_code or f.service_code == filters.service_code)
    ]
    issued = [f for f in chosen if within(f.issued_at)]
    decided = [f for f in chosen if within(f.closed_at) and f.on_time is not None]
    rated = [f for f in chosen if within(f.rated_at) and f.skm_total is not None]
    submitted = [f for f in chosen if within(f.submitted_at)]
    lead = sorted(f.working_days_taken for f in issued)
    ikm = ikm_from_average_total(Decimal(sum(f.skm_total for f in rated)) / len(rated)) if rated else None
    return {
        "submitted": len(submitted),
        "issued": len(issued),
        "in_progress": sum(1 for f in chosen if f.closed_at is None),
        "overdue": sum(
            1 for f in chosen if f.clock_running and sla.is_overdue(due=f.due_date, running=True, today=filters.today)
        ),
        "decided": len(decided),
        "on_time": sum(1 for f in decided if f.on_time),
        "median_days": _percentile_cont(lead, 0.5),
        "p90_days": _percentile_cont(lead, 0.9),
        "completion_requested": sum(1 for f in submitted if f.completion_requested),
        "skm_respondents": len(rated),
        "skm": float(round(ikm, 2)) if ikm is not None else None,
        "skm_grade": mutu(ikm) if ikm is not None else "",
    }


def _board(row: dict) -> dict:
    return {key: row[key] for key in _expected([], _filters()) if key in row}


def _filters(days: int = 30, **fields) -> Filters:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    return Filters(start=start, end=end, today=today, **fields)


def _roll_up() -> tuple[set, set, set]:
    figures = set(
        DailyFigures.objects.values_list("kecamatan_id", "service_code", "day", *rollup.COUNTERS).exclude(
            submitted=0, completion_requested=0, issued=0, decided=0, on_time=0, skm_respondents=0, skm_sum=0
        )
    )
    leads = set(
        DailyLeadTimes.objects.exclude(letters=0).values_list(
            "kecamatan_id", "service_code", "day", "working_days", "letters"
        )
    )
    return figures, leads


def test_the_boards_figures_equal_the_facts_after_any_writes_changes_and_purges(jetis, mojosari):
    # given facts written, rewritten (a transition moves every date) and purged through the sink
    rng = random.Random(2026)
    now = timezone.now()
    for n in range(120):
        publish_fact(rng.choice([jetis, mojosari]), application_id=n + 1, **_random_fact(rng, now))
    for n in rng.sample(range(120), 50):
        fact = ApplicationFact.objects.get(application_id=n + 1)
        publish_fact(fact.kecamatan, application_id=n + 1, **_random_fact(rng, now))
    ApplicationFact.objects.filter(kecamatan=mojosari, application_id__lte=10).update(
        updated_at=now - dt.timedelta(days=400)
    )
    assert sink.purge_older(kecamatan_id=mojosari.pk, before=now - dt.timedelta(days=300)) > 0
    facts = list(ApplicationFact.objects.all())

    # then every figure, whatever the filters, is what the facts say
    for filters in [
        _filters(),
        _filters(days=3),
        _filters(days=90),
        _filters(kecamatan_id=jetis.pk),
        _filters(service_code="sktm"),
        _filters(days=60, kecamatan_id=mojosari.pk, service_code="domisili"),
    ]:
        assert _board(selectors.board_totals(filters)) == _expected(facts, filters), filters
        for row in selectors.board_by_service(filters):
            expected = _expected(facts, Filters(**{**filters.__dict__, "service_code": row["service_code"]}))
            assert _board(row) == expected, (filters, row["service_code"])
        for row in selectors.board_by_kecamatan(filters):
            expected = _expected(facts, Filters(**{**filters.__dict__, "kecamatan_id": row["kecamatan_id"]}))
            assert _board(row) == expected, (filters, row["kecamatan_name"])
    # and each month of the trend too
    filters = _filters(days=90)
    for month in selectors.board_trend(filters):
        first = timezone.make_aware(dt.datetime.combine(month["month"], dt.time.min))
        following = (month["month"] + dt.timedelta(days=32)).replace(day=1)
        last = timezone.make_aware(dt.datetime.combine(following, dt.time.min))
        expected = _expected(facts, Filters(start=first, end=min(last, filters.end), today=filters.today))
        assert [month[k] for k in ("submitted", "issued", "median_days", "decided", "on_time")] == [
            expected[k] for k in ("submitted", "issued", "median_days", "decided", "on_time")
        ], month["month"]

    # and the roll-up is the one a rebuild from scratch makes
    before = _roll_up()
    assert rollup.rebuild(
        facts=ApplicationFact.objects.order_by("pk"),
        figures_model=DailyFigures,
        leads_model=DailyLeadTimes,
        open_model=OpenApplications,
    ) == len(facts)
    assert _roll_up() == before


def test_a_fact_counts_on_the_platforms_day_not_utcs(jetis):
    # 23:30 in Jakarta is 16:30 UTC the same day; 00:30 in Jakarta is still the day before in UTC
    today = timezone.localdate()
    just_after_midnight = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 30)))
    publish_fact(
        jetis,
        application_id=1,
        service_code="domisili",
        service_name="Domisili",
        status="submitted",
        submitted_at=just_after_midnight,
        clock_running=True,
        due_date=today,
    )

    assert list(DailyFigures.objects.filter(kecamatan_id=jetis.pk).values_list("day", "submitted")) == [(today, 1)]
    assert list(DailyFigures.objects.filter(kecamatan_id=rollup.REGENCY).values_list("day", "submitted")) == [
        (today, 1)
    ]


def test_the_per_kecamatan_table_is_paged_and_the_download_holds_every_kecamatan(jetis, public_client):
    # given 60 more active kecamatan (no schema needed: the board reads the public tables only)
    extra = schemaless_kecamatan("paged", "Zz Paged", 60)
    publish_fact(
        extra[-1],
        application_id=1,
        service_code="domisili",
        service_name="Domisili",
        status="submitted",
        submitted_at=timezone.now(),
        clock_running=True,
        due_date=timezone.localdate(),
    )
    listed = selectors.board_kecamatan(_filters()).count()
    client = public_sign_in(public_client, leader())

    pages = -(-listed // FIGURE_ROWS_SHOWN)
    first = client.get("/dashboard/").content.decode()
    last = client.get(f"/dashboard/?hal={pages}").content.decode()

    # then the first page shows FIGURE_ROWS_SHOWN kecamatan and a link to the next, the last the rest
    assert f"Kecamatan 1–{FIGURE_ROWS_SHOWN} dari {listed}; semua ada di unduhan." in first
    assert '<th scope="row">Zz Paged 59</th>' not in first and "hal=2#kecamatan" in first
    assert f"Kecamatan {(pages - 1) * FIGURE_ROWS_SHOWN + 1}–{listed} dari {listed}" in last
    assert row_cells(last, "Zz Paged 59")[0] == "1"
    # and every page ends with the regency's totals
    assert row_cells(first, "Seluruh kabupaten")[0] == row_cells(last, "Seluruh kabupaten")[0] == "1"
    # and the download has every kecamatan and the totals
    response = client.get("/dashboard/unduh/kecamatan.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert sum(1 for name in names if name and str(name).startswith("Zz Paged")) == 60
    assert "Seluruh kabupaten" in names


def test_the_upgrade_fills_the_roll_up_from_the_facts_already_there(jetis, mojosari):
    # given facts and a roll-up emptied, as before the migration that adds it
    rng = random.Random(9)
    now = timezone.now()
    for n in range(30):
        publish_fact(rng.choice([jetis, mojosari]), application_id=n + 1, **_random_fact(rng, now))
    expected = _roll_up()
    for model in (DailyFigures, DailyLeadTimes, OpenApplications):
        model.objects.all().delete()

    # when the migration's data step runs with the migration's own models
    from django.apps import apps as django_apps
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(("regency", "0009_daily_rollup"))
    importlib.import_module("sipentol.regency.migrations.0009_daily_rollup").fill(state.apps, None)

    # then the roll-up is what the sink had written
    assert django_apps.get_model("regency", "DailyFigures").objects.exists()
    assert _roll_up() == expected


@pytest.fixture
def committed_kecamatan(django_db_setup, django_db_blocker):
    """Jetis and Mojosari as committed rows, and a clean-up of the facts a test commits."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield list(Kecamatan.objects.filter(slug__in=["jetis", "mojosari"]).order_by("slug"))
        connection.set_schema_to_public()
        mine = ApplicationFact.objects.filter(
            application_id__range=(900_000, 901_999), kecamatan__slug__in=["jetis", "mojosari"]
        )
        remove_facts(list(mine))
        connections.close_all()


def test_concurrent_transitions_in_two_kecamatan_lose_no_count(committed_kecamatan):
    # given two kecamatan whose staff move applications of the same service on the same day at once
    today_noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    errors: list[BaseException] = []
    start = threading.Barrier(len(committed_kecamatan))

    def work(kecamatan, offset: int) -> None:
        try:
            start.wait()
            for n in range(25):
                fields = {
                    "service_code": "domisili",
                    "service_name": "Surat Keterangan Domisili",
                    "status": "submitted",
                    "submitted_at": today_noon,
                    "clock_running": True,
                    "due_date": timezone.localdate(),
                }
                with transaction.atomic():
                    publish_fact(kecamatan, application_id=900_000 + offset + n, **fields)
                with transaction.atomic():  # the next transition: issued
                    publish_fact(
                        kecamatan,
                        application_id=900_000 + offset + n,
                        **(fields | {"status": "issued", "clock_running": False, "closed_at": today_noon}),
                        issued_at=today_noon,
                        working_days_taken=1,
                        on_time=True,
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    def counts() -> dict:
        """The day's counters (committed rows of other tests may be there too: compare before and after)."""
        rows = DailyFigures.objects.filter(service_code="domisili", day=timezone.localdate())
        result = {row.kecamatan_id: (row.submitted, row.issued, row.decided, row.on_time) for row in rows}
        open_now = OpenApplications.objects.filter(service_code="domisili", kecamatan_id=rollup.REGENCY)
        result["open"] = sum(row.open for row in open_now)
        return result

    before = counts()

    # when both run at once, each on its own connection
    threads = [threading.Thread(target=work, args=(k, i * 1000)) for i, k in enumerate(committed_kecamatan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then neither failed (no deadlock) and the regency counts every application of both
    assert errors == []
    after = counts()

    def grew(key) -> tuple:
        return tuple(a - b for a, b in zip(after.get(key, (0,) * 4), before.get(key, (0,) * 4), strict=True))

    assert grew(rollup.REGENCY) == (50, 50, 50, 50)
    for kecamatan in committed_kecamatan:
        assert grew(kecamatan.pk) == (25, 25, 25, 25)
    # and what is open today is back where it was: every application was issued
    assert after["open"] == before["open"]
