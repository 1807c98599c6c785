"""REST API (`/api/v1/` on a kecamatan's host): thin views over the same services and selectors.

Citizens: service list/detail, submit (multipart, idempotent), status by tracking code (no
personal data), details with the secret token (`?t=` or `X-Application-Token`). Staff: the
queue and the review actions, with a logged-in session whose second factor (TOTP) is verified.
Serializers are nested in the views (HackSoft style): they shape data, services decide.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.urls import path
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_get, service_list
from sipentol.accounts.decorators import is_verified_staff
from sipentol.accounts.permissions import Capability, can

from . import selectors, services
from .forms import ApplicationForm
from .intake import Channel, closed_message, intake_decide, office_contacts
from .models import Application, Document, Event, Status
from .uploads import requirement_files_store, uploads_kept_only_if_saved


class IsVerifiedStaff(BasePermission):
    message = "Masuk sebagai petugas kecamatan ini dan selesaikan verifikasi dua langkah (TOTP) terlebih dahulu."

    def has_permission(self, request, view) -> bool:
        return is_verified_staff(request.user)


class IsReviewer(IsVerifiedStaff):
    message = "Peran Anda tidak dapat menilai atau memutus permohonan."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can(request.user, Capability.REVIEW_APPLICATION)


def closed_response(request, kecamatan_status: str) -> Response:
    """503 in JSON: why no submission is taken, when the service opens, the office's contacts.

    An API client has no ID/EN button, so this message follows Accept-Language (pages do not).
    """
    kecamatan = request.tenant
    with translation.override(translation.get_language_from_request(request)):
        message = closed_message(kecamatan, kecamatan_status)
    return Response(
        {
            "detail": message,
            "kecamatan_status": kecamatan_status,
            "opens_on": kecamatan.opens_on.isoformat() if kecamatan.opens_on else None,
            "office": office_contacts(kecamatan),
        },
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


def _errors(exc: Exception) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


# ------------------------------------------------------------------ public: services
class RequirementOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    explanation = serializers.CharField()
    required = serializers.BooleanField()
    accepted_types = serializers.ListField(child=serializers.CharField())


class ServiceOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    sla_working_days = serializers.IntegerField()


class ServiceDetailOutput(ServiceOutput):
    requirements = RequirementOutput(many=True, source="requirements.all")
    form_fields = serializers.JSONField()


class ServiceListApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(responses=ServiceOutput(many=True), tags=["layanan"])
    def get(self, request):
        return Response(ServiceOutput(service_list(), many=True).data)


class ServiceDetailApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(responses=ServiceDetailOutput, tags=["layanan"])
    def get(self, request, slug: str):
        try:
            service = service_get(slug=slug)
        except KecamatanService.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ServiceDetailOutput(service).data)


# ------------------------------------------------------------------ public: submit and track
class SubmitOutput(serializers.Serializer):
    public_id = serializers.UUIDField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    secret_link = serializers.CharField(allow_null=True, help_text="Only in the first answer; kept nowhere else.")
    created = serializers.BooleanField()


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart request (described as binary, not as a download URL)."""


class SubmitInput(serializers.Serializer):
    """Multipart form of one application. Which fields a service asks for, and which are required,
    is in `form_fields` of `GET /api/v1/layanan/{slug}/`: send each as `name=value` (dates as
    YYYY-MM-DD). The applicant fields below are the ones most services ask for. Send one file per
    requirement as `doc_<requirement code>` (the codes are in `requirements` of the same answer);
    `doc_ktp` below is one example. Photos (JPG/PNG) and PDFs; each requirement names its types.
    """

    idempotency_key = serializers.UUIDField(
        required=False, help_text="The same as the Idempotency-Key header; send one of the two."
    )
    nama = serializers.CharField(required=False, help_text="Applicant's full name, as on the KTP.")
    nik = serializers.CharField(required=False, help_text="Applicant's 16-digit NIK (checked: region, birth date).")
    telepon = serializers.CharField(required=False, help_text="Phone (WhatsApp) number, e.g. 0812-3456-7890.")
    email = serializers.EmailField(required=False)
    desa = serializers.CharField(required=False, help_text="Desa/kelurahan code, e.g. 35.16.16.2013.")
    doc_ktp = UploadField(
        required=False, help_text="Example of a requirement file: one `doc_<code>` field per requirement."
    )


class ApplicationSubmitApi(APIView):
    """Submit an application: the service's form fields plus `doc_<requirement>` files.

    Idempotent on `Idempotency-Key` (header) or `idempotency_key` (field): a retried request
    returns the same application (200) without its secret link.
    """

    permission_classes = (AllowAny,)
    authentication_classes = ()
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        request={"multipart/form-data": SubmitInput},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.UUID, OpenApiParameter.HEADER)],
        responses={201: SubmitOutput, 200: SubmitOutput, 400: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
        tags=["permohonan"],
    )
    def post(self, request, slug: str):
        try:
            service = service_get(slug=slug)
        except KecamatanService.DoesNotExist as exc:
            raise Http404 from exc
        intake = intake_decide(channel=Channel.API)
        if not intake.open:
            return closed_response(request, intake.status)
        data = request.data.copy()
        key = request.headers.get("Idempotency-Key") or data.get("idempotency_key") or ""
        try:
            data["idempotency_key"] = str(uuid.UUID(str(key)))
        except ValueError:
            return Response(
                {"detail": "Kirim Idempotency-Key berupa UUID agar permintaan ulang tidak membuat permohonan ganda."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        form = ApplicationForm(data, request.FILES, service=service, kecamatan=request.tenant)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        uploads = requirement_files_store(form, form.requirements, request.FILES)
        if uploads is None:
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        applicant, values = form.split()
        try:
            with uploads_kept_only_if_saved(uploads):
                application, secret, created = services.application_save(
                    service=service,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    applicant=applicant,
                    data=values,
                    uploads=uploads,
                    submit=True,
                    channel="api",
                    pengantar_online=form.online_pengantar_chosen,
                )
        except services.IntakeClosed:
            return closed_response(request, intake_decide(channel=Channel.API).status)
        except services.TransitionError as exc:
            return _errors(exc)
        body = {
            "public_id": application.public_id,
            "tracking_code": application.tracking_code,
            "status": application.status,
            "secret_link": services.citizen_link(application, secret) if secret else None,
            "created": created,
        }
        return Response(SubmitOutput(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class TimelineOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField(source="to_status")
    reason = serializers.CharField()


class StatusOutput(serializers.Serializer):
    tracking_code = serializers.CharField()
    service = serializers.CharField(source="service.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    due_date = serializers.DateField(allow_null=True)


class StatusApi(APIView):
    """Status by tracking code alone: no personal data."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        responses=inline_serializer(
            "TrackingStatus", {"application": StatusOutput(), "timeline": TimelineOutput(many=True)}
        ),
        tags=["permohonan"],
    )
    def get(self, request, code: str):
        application = selectors.application_by_tracking_code(code)
        if application is None:
            raise Http404
        return Response(
            {
                "application": StatusOutput(application).data,
                "timeline": TimelineOutput(selectors.citizen_timeline(application), many=True).data,
            }
        )


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    requirement_code = serializers.CharField()
    requirement_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    verdict = serializers.CharField()
    verdict_reason = serializers.CharField()
    scan_status = serializers.CharField()  # pending: being scanned, not openable; infected: deleted


class CitizenDetailOutput(StatusOutput):
    public_id = serializers.UUIDField()
    applicant_name = serializers.CharField()
    masked_nik = serializers.CharField()
    data = serializers.JSONField()
    documents = DocumentOutput(many=True)


class CitizenDetailApi(APIView):
    """The citizen's own application, opened with the secret token of their link."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        parameters=[
            OpenApiParameter("t", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("X-Application-Token", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        responses=CitizenDetailOutput,
        tags=["permohonan"],
    )
    def get(self, request, public_id: uuid.UUID):
        token = request.headers.get("X-Application-Token") or request.query_params.get("t") or ""
        application = Application.objects.select_related("service").filter(public_id=public_id).first()
        if application is None or not application.check_secret(token):
            raise Http404  # never 403: no oracle for ids
        data = CitizenDetailOutput(application).data
        data["documents"] = DocumentOutput(application.documents.current(), many=True).data
        return Response(data)


# ------------------------------------------------------------------ staff
class StaffListOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    tracking_code = serializers.CharField()
    service = serializers.CharField(source="service.name")
    applicant_name = serializers.CharField()
    masked_nik = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)

    def get_overdue(self, obj) -> bool:
        return obj.sla_overdue()


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.JSONField()


class StaffDetailOutput(StaffListOutput):
    applicant_nik = serializers.CharField()
    applicant_phone = serializers.CharField()
    applicant_email = serializers.CharField()
    desa_code = serializers.CharField()
    data = serializers.JSONField()
    channel = serializers.CharField()


class StaffQueueApi(APIView):
    permission_classes = (IsVerifiedStaff,)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, required=False),
            OpenApiParameter("q", OpenApiTypes.STR, required=False),
            OpenApiParameter("mine", OpenApiTypes.BOOL, required=False),
        ],
        responses=StaffListOutput(many=True),
        tags=["kantor"],
    )
    def get(self, request):
        state = request.query_params.get("status", "")
        qs = selectors.staff_queue(
            request.user,
            status=state if state in Status.values else "",
            query=request.query_params.get("q", "")[:100],
            mine=request.query_params.get("mine") in ("1", "true"),
        )[:200]
        return Response(StaffListOutput(qs, many=True).data)


def _staff_detail(application: Application) -> dict:
    data = StaffDetailOutput(application).data
    data["documents"] = DocumentOutput(application.documents.current(), many=True).data
    data["events"] = EventOutput(application.events.all(), many=True).data
    return data


class StaffDetailApi(APIView):
    permission_classes = (IsVerifiedStaff,)

    @extend_schema(responses=StaffDetailOutput, tags=["kantor"])
    def get(self, request, pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        services.application_record_access(
            application=application, actor=request.user, kind=Event.Kind.DETAIL_VIEWED, data={"via": "api"}
        )
        return Response(_staff_detail(application))


class StartReviewApi(APIView):
    """Take a submitted or resubmitted application into review; reading it (GET) changes nothing."""

    permission_classes = (IsReviewer,)

    @extend_schema(request=None, responses=StaffDetailOutput, tags=["kantor"])
    def post(self, request, pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        application = services.application_start_review(application=application, actor=request.user)
        return Response(_staff_detail(application))


class VerdictApi(APIView):
    permission_classes = (IsReviewer,)

    class VerdictInputSerializer(serializers.Serializer):
        verdict = serializers.ChoiceField(choices=[Document.Verdict.ACCEPTED, Document.Verdict.REDO])
        reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    @extend_schema(request=VerdictInputSerializer, responses=DocumentOutput, tags=["kantor"])
    def post(self, request, pk: int, doc_pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        document = application.documents.current().filter(pk=doc_pk).first()
        if document is None:
            raise Http404
        payload = self.VerdictInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            document = services.document_set_verdict(document=document, actor=request.user, **payload.validated_data)
        except ValueError as exc:
            return _errors(exc)
        return Response(DocumentOutput(document).data)


class RequestCompletionApi(APIView):
    permission_classes = (IsReviewer,)

    class CompletionInputSerializer(serializers.Serializer):
        class CompletionItemSerializer(serializers.Serializer):
            requirement_code = serializers.CharField(max_length=60)
            reason = serializers.CharField(max_length=500)

        items = CompletionItemSerializer(many=True, required=False)
        message = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    @extend_schema(request=CompletionInputSerializer, responses=StaffDetailOutput, tags=["kantor"])
    def post(self, request, pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        payload = self.CompletionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        items = [
            services.RequirementNote(i["requirement_code"], i["reason"])
            for i in payload.validated_data.get("items", [])
        ]
        if not items:  # default: every document marked "redo"
            items = [
                services.RequirementNote(d.requirement_code, d.verdict_reason) for d in application.documents.to_redo()
            ]
        try:
            application = services.application_request_completion(
                application=application, actor=request.user, items=items, message=payload.validated_data["message"]
            )
        except ValueError as exc:
            return _errors(exc)
        return Response(_staff_detail(application))


class VerifyApi(APIView):
    permission_classes = (IsReviewer,)

    @extend_schema(request=None, responses=StaffDetailOutput, tags=["kantor"])
    def post(self, request, pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        try:
            application = services.application_verify(application=application, actor=request.user)
        except ValueError as exc:
            return _errors(exc)
        return Response(_staff_detail(application))


class RejectApi(APIView):
    permission_classes = (IsReviewer,)

    class RejectInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=1000)

    @extend_schema(request=RejectInputSerializer, responses=StaffDetailOutput, tags=["kantor"])
    def post(self, request, pk: int):
        application = selectors.application_get_for_staff(request.user, pk)
        payload = self.RejectInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            application = services.application_reject(
                application=application, actor=request.user, reason=payload.validated_data["reason"]
            )
        except ValueError as exc:
            return _errors(exc)
        return Response(_staff_detail(application))


app_name = "api"
urlpatterns = [
    path("layanan/", ServiceListApi.as_view(), name="services"),
    path("layanan/<slug:slug>/", ServiceDetailApi.as_view(), name="service"),
    path("layanan/<slug:slug>/permohonan/", ApplicationSubmitApi.as_view(), name="submit"),
    path("lacak/<str:code>/", StatusApi.as_view(), name="status"),
    path("permohonan/<uuid:public_id>/", CitizenDetailApi.as_view(), name="citizen-detail"),
    path("kantor/permohonan/", StaffQueueApi.as_view(), name="staff-queue"),
    path("kantor/permohonan/<int:pk>/", StaffDetailApi.as_view(), name="staff-detail"),
    path("kantor/permohonan/<int:pk>/periksa/", StartReviewApi.as_view(), name="staff-start-review"),
    path("kantor/permohonan/<int:pk>/berkas/<int:doc_pk>/nilai/", VerdictApi.as_view(), name="staff-verdict"),
    path("kantor/permohonan/<int:pk>/minta-lengkapi/", RequestCompletionApi.as_view(), name="staff-request-completion"),
    path("kantor/permohonan/<int:pk>/verifikasi/", VerifyApi.as_view(), name="staff-verify"),
    path("kantor/permohonan/<int:pk>/tolak/", RejectApi.as_view(), name="staff-reject"),
]
