{{/* Names and labels. */}}
{{- define "sipentol.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sipentol.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sipentol.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "sipentol.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sipentol
{{- end }}

{{- define "sipentol.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sipentol.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sipentol.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sipentol.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "sipentol.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Plain settings (the ConfigMap's data; the migrations hook gets them inline). */}}
{{- define "sipentol.configData" -}}
DJANGO_SETTINGS_MODULE: sipentol.settings.production
BASE_DOMAIN: {{ .Values.baseDomain | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
S3_ENDPOINT: {{ .Values.config.objectStorage.endpoint | quote }}
S3_BUCKET: {{ .Values.config.objectStorage.bucket | quote }}
S3_SECURE: {{ .Values.config.objectStorage.secure | toString | quote }}
S3_REGION: {{ .Values.config.objectStorage.region | quote }}
{{- if .Values.clamd.enabled }}
CLAMD_URL: {{ printf "tcp://%s-clamd:3310" (include "sipentol.fullname" .) | quote }}
{{- else }}
CLAMD_URL: {{ .Values.config.clamdUrl | quote }}
{{- end }}
CLAMD_TIMEOUT_SECONDS: {{ .Values.config.clamdTimeoutSeconds | toString | quote }}
S3_TIMEOUT_SECONDS: {{ .Values.config.objectStorage.timeoutSeconds | toString | quote }}
SMTP_HOST: {{ .Values.config.smtp.host | quote }}
SMTP_PORT: {{ .Values.config.smtp.port | toString | quote }}
EMAIL_FROM: {{ .Values.config.smtp.from | quote }}
WHATSAPP_API_URL: {{ .Values.config.whatsapp.apiUrl | quote }}
WHATSAPP_PHONE_NUMBER_ID: {{ .Values.config.whatsapp.phoneNumberId | toString | quote }}
SMS_PROVIDER: {{ .Values.config.sms.provider | quote }}
ZENZIVA_API_URL: {{ .Values.config.sms.zenzivaApiUrl | quote }}
BSRE_URL: {{ .Values.config.bsre.url | quote }}
SENTRY_ENVIRONMENT: {{ .Values.config.sentry.environment | quote }}
TRUSTED_PROXY_COUNT: {{ .Values.config.signIn.trustedProxyCount | toString | quote }}
AXES_FAILURE_LIMIT: {{ .Values.config.signIn.failureLimit | toString | quote }}
AXES_ADDRESS_FAILURE_LIMIT: {{ .Values.config.signIn.addressFailureLimit | toString | quote }}
AXES_COOLOFF_MINUTES: {{ .Values.config.signIn.cooloffMinutes | toString | quote }}
SESSION_IDLE_SECONDS: {{ mul .Values.config.signIn.idleMinutes 60 | toString | quote }}
SESSION_ABSOLUTE_SECONDS: {{ mul .Values.config.signIn.absoluteHours 3600 | toString | quote }}
SENTRY_RELEASE: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
TENANT_MULTIPROCESSING_MAX_PROCESSES: {{ .Values.migrations.parallelism | toString | quote }}
HOME: /tmp
XDG_CACHE_HOME: /tmp/.cache
{{- /* Only the `extra` names of lib/envvars.py: values.schema.json refuses any other. */}}
{{- range $name, $value := .Values.config.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* Every secret env var: which group (for existingSecrets) and whether the platform needs it.
The `secret` variables of platform/sipentol/lib/envvars.py, with its `required` (tests/deploy/test_envvars.py). */}}
{{- define "sipentol.secretItems" -}}
- {env: SECRET_KEY, group: django, required: true}
- {env: METRICS_TOKEN, group: django, required: false}
- {env: SIGNING_KEY_ENCRYPTION_KEY, group: django, required: false}
- {env: DATABASE_URL, group: postgresql, required: true}
- {env: REDIS_URL, group: redis, required: true}
- {env: CELERY_BROKER_URL, group: redis, required: false}
- {env: S3_ACCESS_KEY, group: objectStorage, required: true}
- {env: S3_SECRET_KEY, group: objectStorage, required: true}
- {env: SMTP_USER, group: smtp, required: false}
- {env: SMTP_PASSWORD, group: smtp, required: false}
- {env: WHATSAPP_TOKEN, group: whatsapp, required: false}
- {env: WHATSAPP_APP_SECRET, group: whatsapp, required: false}
- {env: WHATSAPP_WEBHOOK_VERIFY_TOKEN, group: whatsapp, required: false}
- {env: ZENZIVA_USERKEY, group: sms, required: false}
- {env: ZENZIVA_PASSKEY, group: sms, required: false}
- {env: SMS_REPORT_TOKEN, group: sms, required: false}
- {env: BSRE_USERNAME, group: bsre, required: false}
- {env: BSRE_PASSWORD, group: bsre, required: false}
- {env: SENTRY_DSN, group: sentry, required: false}
{{- end }}

{{/*
Secret env vars as secretKeyRef entries. Call with (dict "root" $ "hook" true|false): the
migrations hook runs before the release's own Secret exists, so it reads a hook copy.
*/}}
{{- define "sipentol.secretEnv" -}}
{{- $root := .root -}}
{{- $s := $root.Values.secrets -}}
{{- $own := include "sipentol.fullname" $root -}}
{{- if .hook }}{{ $own = printf "%s-migrate" $own }}{{ end -}}
{{- range $item := include "sipentol.secretItems" $root | fromYamlArray }}
{{- $existing := index $s.existingSecrets $item.group | default $s.existingSecret }}
{{- if $existing }}
- name: {{ $item.env }}
  valueFrom:
    secretKeyRef:
      name: {{ $existing }}
      key: {{ index $s.keyOverrides $item.env | default $item.env }}
      {{- if not $item.required }}
      optional: true
      {{- end }}
{{- else if index $s.values $item.env }}
- name: {{ $item.env }}
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: {{ $item.env }}
{{- end }}
{{- end }}
{{- end }}

{{/* The chart's own Secret data: only values not served by an existing Secret. */}}
{{- define "sipentol.ownSecretData" -}}
{{- $s := .Values.secrets -}}
{{- range $item := include "sipentol.secretItems" . | fromYamlArray }}
{{- $existing := index $s.existingSecrets $item.group | default $s.existingSecret }}
{{- if not $existing }}
{{- $value := index $s.values $item.env }}
{{- if and $item.required (not $value) }}
{{- fail (printf "secrets.values.%s is empty: set it, or name a Secret holding it in secrets.existingSecret (or secrets.existingSecrets.%s)" $item.env $item.group) }}
{{- end }}
{{- if $value }}
{{ $item.env }}: {{ $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes shared by the platform pods: a writable /tmp on a read-only root filesystem. */}}
{{- define "sipentol.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{- define "sipentol.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Rolls pods when the settings change. */}}
{{- define "sipentol.configChecksum" -}}
checksum/config: {{ include "sipentol.configData" . | sha256sum }}
checksum/secret: {{ include "sipentol.ownSecretData" . | sha256sum }}
{{- end }}

{{/*
A probe from values; an httpGet probe gets `Host: <baseDomain>`. The kubelet calls the pod by
IP; /healthz is answered before any host check, but any other path a probe might be pointed
at would get Django's 400 for an unknown host.
Call with (dict "root" $ "probe" .Values.web.readinessProbe).
*/}}
{{- define "sipentol.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- if $probe.httpGet }}
{{- $_ := set $probe.httpGet "httpHeaders" (list (dict "name" "Host" "value" .root.Values.baseDomain)) }}
{{- end }}
{{- toYaml $probe }}
{{- end }}
