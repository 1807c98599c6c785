"""REST endpoint for desa information systems (OpenSID and the like): push a signed pengantar.

`POST /api/v1/desa/pengantar/` (multipart) with `Authorization: Bearer <token>`: the token a
kecamatan admin issued for ONE desa (only its hash is stored), rate-limited per token
(DESA_API_PUSHES_PER_MINUTE), every call audited (`DesaApiEvent`). The platform checks the
PDF's signature (intact, covering the whole file, from a CA this kecamatan trusts, issued for
that desa) and attaches it to the application named by `reference` (its tracking code);
anything else is refused with a sentence saying why, and nothing changes. docs/api.md shows
an example request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sipentol.lib.errors import error_text

from . import services
from .models import DesaApiToken


class DesaClient:
    """The authenticated caller: a desa's system, not a person (`request.user`)."""

    is_authenticated = True

    def __init__(self, token: DesaApiToken):
        self.token = token


class DesaTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        token = services.desa_api_token_check(header[1].decode(errors="replace") if len(header) == 2 else "")
        if token is None:
            services.desa_api_event(token=None, action="push", outcome="bad_token", ip=_ip(request))
            raise AuthenticationFailed(
                "Token API desa tidak dikenal atau sudah dicabut. Minta token baru ke admin kecamatan."
            )
        return DesaClient(token), token

    def authenticate_header(self, request):
        return "Bearer"


class DesaTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the desa token (registered by being defined)."""

    target_class = "sipentol.desa.api.DesaTokenAuthentication"
    name = "desaToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token API desa dari admin kecamatan (/kantor/token-api-desa/), satu desa per token.",
        }


class IsDesaSystem(BasePermission):
    message = "Kirim token API desa di header Authorization: Bearer <token>."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, DesaClient)


class PerTokenThrottle(SimpleRateThrottle):
    scope = "desa_push"

    def get_rate(self):
        return f"{settings.DESA_API_PUSHES_PER_MINUTE}/min"

    def get_cache_key(self, request, view):
        client = request.user
        if not isinstance(client, DesaClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.token.token_hash}


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class PengantarPushInput(serializers.Serializer):
    reference = serializers.CharField(max_length=20, help_text="Kode lacak permohonan, mis. JTS-2611-7K3Q.")
    file = serializers.FileField(help_text="PDF surat pengantar, ditandatangani PAdES oleh Kepala Desa/Lurah.")
    number = serializers.CharField(max_length=80, required=False, allow_blank=True, help_text="Nomor surat di desa.")
    signer_title = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Jabatan penanda tangan, mis. Kepala Desa Jetis."
    )


class PengantarPushOutput(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    number = serializers.CharField()
    signer = serializers.CharField()
    verify_url = serializers.URLField()


class PengantarPushApi(APIView):
    authentication_classes = [DesaTokenAuthentication]
    permission_classes = [IsDesaSystem]
    throttle_classes = [PerTokenThrottle]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="desa_pengantar_push",
        summary="Kirim surat pengantar desa yang sudah ditandatangani",
        request={"multipart/form-data": PengantarPushInput},
        responses={
            201: PengantarPushOutput,
            400: OpenApiResponse(
                inline_serializer("PushRefused", {"detail": serializers.CharField(), "code": serializers.CharField()}),
                description=(
                    "Ditolak; `code`: unsigned, tampered, untrusted, foreign_desa, not_found, not_pdf, too_large."
                ),
            ),
            401: OpenApiResponse(description="Token tidak ada, tidak dikenal, atau sudah dicabut."),
        },
        examples=[
            OpenApiExample(
                "Diterima",
                response_only=True,
                status_codes=["201"],
                value={
                    "reference": "JTS-2611-7K3Q",
                    "status": "submitted",
                    "number": "470/0012/35.16.16.2013/2026",
                    "signer": "Common Name: Kepala Desa Jetis, ...",
                    "verify_url": "https://jetis.sipentol.example/verifikasi/pengantar/…/",
                },
            )
        ],
        tags=["desa"],
    )
    def post(self, request):
        token = request.user.token
        serializer = PengantarPushInput(data=request.data)
        reference = str(request.data.get("reference", ""))[:40]
        if not serializer.is_valid():
            services.desa_api_event(token=token, action="push", outcome="invalid", reference=reference, ip=_ip(request))
            return Response(
                {"detail": "Periksa isian.", "errors": serializer.errors}, status=status.HTTP_400_BAD_REQUEST
            )
        data = serializer.validated_data
        upload = data["file"]
        if upload.size > services.MAX_PUSH_BYTES:
            services.desa_api_event(
                token=token, action="push", outcome="too_large", reference=reference, ip=_ip(request)
            )
            return Response(
                {"detail": "Berkas terlalu besar. Kirim PDF di bawah 10 MB.", "code": "too_large"}, status=400
            )
        try:
            item = services.pengantar_push(
                token=token,
                reference=data["reference"],
                pdf=upload.read(),
                number=data.get("number", ""),
                signer_title=data.get("signer_title", ""),
            )
        except ValidationError as exc:
            code = exc.code or "invalid"
            services.desa_api_event(token=token, action="push", outcome=code, reference=reference, ip=_ip(request))
            return Response({"detail": error_text(exc), "code": code}, status=status.HTTP_400_BAD_REQUEST)
        services.desa_api_event(token=token, action="push", outcome="accepted", reference=reference, ip=_ip(request))
        return Response(
            {
                "reference": item.tracking_code,
                "status": item.application.status,
                "number": item.number,
                "signer": item.signer_name,
                "verify_url": services.pengantar_verify_url(item),
            },
            status=status.HTTP_201_CREATED,
        )


app_name = "desa-api"
urlpatterns = [path("pengantar/", PengantarPushApi.as_view(), name="pengantar-push")]
