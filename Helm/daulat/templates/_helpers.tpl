{{/* The release's name for every resource, at most 63 characters. */}}
{{- define "daulat.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "daulat.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The labels that select one component's pods: call with (dict "root" $ "component" "NAME"). */}}
{{- define "daulat.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "daulat.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The public API and the agents' listener, as agents and custodians reach them. */}}
{{- define "daulat.apiURL" -}}
http://{{ include "daulat.fullname" . }}-api:{{ .Values.controlPlane.service.port }}
{{- end -}}
{{- define "daulat.agentsURL" -}}
https://{{ include "daulat.fullname" . }}-agents:{{ .Values.controlPlane.service.agentPort }}
{{- end -}}

{{/* The Secret and key holding the database URL. */}}
{{- define "daulat.databaseSecret" -}}
{{- if eq .Values.database.mode "cloudnativepg" -}}
{{ include "daulat.fullname" . }}-db-app
{{- else -}}
{{ .Values.database.external.existingSecret }}
{{- end -}}
{{- end -}}
{{- define "daulat.databaseSecretKey" -}}
{{- if eq .Values.database.mode "cloudnativepg" -}}
uri
{{- else -}}
{{ .Values.database.external.key }}
{{- end -}}
{{- end -}}

{{/* Every Daulat process runs as the image's unprivileged user, read-only, with nothing extra. */}}
{{- define "daulat.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
# Ownership is set once, when the volume's root is not yet ours: applied on every mount it would give
# the group access to key files that the daemons refuse to open unless only they can read them.
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}
{{- define "daulat.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* The environment every Daulat process reads: how it logs, and where the control plane is. */}}
{{- define "daulat.commonEnv" -}}
- name: DAULAT_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: DAULAT_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
{{- end -}}
