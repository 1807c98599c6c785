"""Publishing a pengantar's fact (called by sipentol.desa in the transaction of each change)."""

from __future__ import annotations

from .models import DesaPengantarFact


def pengantar_fact_publish(*, kecamatan_id: int, request) -> None:
    DesaPengantarFact.objects.update_or_create(
        request_uuid=request.uuid,
        defaults={
            "kecamatan_id": kecamatan_id,
            "desa_code": request.desa_code,
            "service_name": request.service_name,
            "status": request.status,
            "requested_at": request.requested_at,
            "due_date": request.due_date,
            "responded_at": request.responded_at,
            "working_days_taken": request.working_days_taken,
        },
    )
