"""Numbering: '[klasifikasi]/[urut]/[kode unit]/[tahun]', gapless under concurrency, reset per year."""

from __future__ import annotations

import threading

from django.db import connection, connections
from django_tenants.utils import tenant_context

YEAR = 2091  # a year no other test uses; its committed rows are removed at the end


def test_it_numbers_in_the_regency_format(jetis):
    from sipentol.letters.services import letter_number_next, letter_unit_code

    with tenant_context(jetis):
        number, seq = letter_number_next(classification="474", unit_code=letter_unit_code(), year=2080)
        assert (number, seq) == ("474/0001/416-316.16/2080", 1)
        assert letter_number_next(classification="470", unit_code="416-316.16", year=2080)[1] == 2
        assert letter_number_next(classification="470", unit_code="416-316.16", year=2081)[1] == 1


def test_it_gives_no_gap_and_no_duplicate_when_many_issue_at_once(django_db_blocker):
    from sipentol.letters.models import LetterSequence
    from sipentol.letters.services import letter_number_next

    threads, workers, per_worker = [], 8, 6
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work():
        try:
            connection.set_schema("jetis")
            barrier.wait()
            for _ in range(per_worker):
                results.append(letter_number_next(classification="474", unit_code="416-316.16", year=YEAR)[1])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        try:
            for _ in range(workers):
                threads.append(threading.Thread(target=work))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
            assert sorted(results) == list(range(1, workers * per_worker + 1))
        finally:
            connection.set_schema("jetis")
            LetterSequence.objects.filter(year=YEAR).delete()
            connection.set_schema_to_public()
            connections.close_all()
