"""Numbers without gaps or duplicates, under concurrency: the one home of that rule.

A sequence is one row (a model with the key fields and `last_number`), created on first use
and locked with SELECT ... FOR UPDATE until the caller's transaction ends. Call `next_number`
inside the transaction that stores the number: a rollback gives the number back (no gap), and
a second writer waits for the lock (no duplicate). Used for the kecamatan's letters
(`letters.LetterSequence`, per year) and the desa's pengantar (`desa.PengantarSequence`, per
desa and year).
"""

from __future__ import annotations

from django.db import transaction


def next_number(model, **key) -> int:
    with transaction.atomic():
        model.objects.bulk_create([model(**key)], ignore_conflicts=True)
        sequence = model.objects.select_for_update().get(**key)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return sequence.last_number
