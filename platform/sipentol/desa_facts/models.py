"""The desa's pengantar as public-schema facts, for the regency dashboard (which reads only the
public schema: no request crosses kecamatan schemas).

One row per pengantar request, upserted by `sipentol.desa` inside the transaction that changes
the request (in a kecamatan's request the search_path is "<kecamatan>, public", so the row lands
here and commits with the change). Holds no personal data: desa, service, dates, outcome.
"""

from __future__ import annotations

from django.db import models


class DesaPengantarFact(models.Model):
    kecamatan_id = models.PositiveIntegerField(db_index=True)
    request_uuid = models.UUIDField(unique=True)
    desa_code = models.CharField(max_length=13, db_index=True)
    service_name = models.CharField(max_length=200)
    status = models.CharField(max_length=12)
    requested_at = models.DateTimeField(db_index=True)
    due_date = models.DateField()
    responded_at = models.DateTimeField(null=True, blank=True)
    working_days_taken = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kecamatan_id", "requested_at"], name="desa_fact_kec_requested")]

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.desa_code} {self.status}"
