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

{{/* The public API's scheme: HTTPS, unless plain HTTP was chosen for a TLS-terminating proxy. */}}
{{- define "daulat.apiScheme" -}}
{{- if .Values.controlPlane.tls.insecureHTTP -}}http{{- else -}}https{{- end -}}
{{- end -}}

{{/* The API Service's in-cluster DNS names, one a line: the certificate the CA issues names them all. */}}
{{- define "daulat.apiNames" -}}
{{- $service := printf "%s-api" (include "daulat.fullname" .) -}}
{{ $service }}
{{ $service }}.{{ .Release.Namespace }}
{{ $service }}.{{ .Release.Namespace }}.svc
{{ $service }}.{{ .Release.Namespace }}.svc.cluster.local
{{- end -}}

{{/* The API's name as Prometheus checks it in the certificate, whatever the cluster's domain. */}}
{{- define "daulat.apiServerName" -}}
{{ include "daulat.fullname" . }}-api.{{ .Release.Namespace }}.svc
{{- end -}}

{{/* The choices of controlPlane.tls that cannot go together, refused before anything is made. */}}
{{- define "daulat.checkTLS" -}}
{{- if and .Values.controlPlane.tls.insecureHTTP .Values.controlPlane.tls.existingSecret -}}
{{- fail "controlPlane.tls.insecureHTTP and controlPlane.tls.existingSecret cannot be used together: plain HTTP takes no certificate. Unset one of them" -}}
{{- end -}}
{{- end -}}

{{/* Where the TLS Secret and the private CA's ConfigMap are mounted, read-only. */}}
{{- define "daulat.tlsMountPath" -}}/etc/daulat-tls{{- end -}}
{{- define "daulat.caMountPath" -}}/etc/daulat-ca{{- end -}}

{{/* The public API and the agents' listener, as agents and custodians reach them. */}}
{{- define "daulat.apiURL" -}}
{{ include "daulat.apiScheme" . }}://{{ include "daulat.fullname" . }}-api:{{ .Values.controlPlane.service.port }}
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

{{/* Agents and custodians, when controlPlane.tls.caConfigMap is given: the private CA of the
API's certificate, a variable, its volume and where it is mounted. */}}
{{- define "daulat.caCertEnv" -}}
# The CA that issued the API's certificate (the operator's own), trusted besides the built-in one.
- name: DAULAT_CA_CERT
  value: {{ include "daulat.caMountPath" . }}/ca.crt
{{- end -}}
{{- define "daulat.caCertVolumeMount" -}}
- name: api-ca
  mountPath: {{ include "daulat.caMountPath" . }}
  readOnly: true
{{- end -}}
{{- define "daulat.caCertVolume" -}}
- name: api-ca
  configMap:
    name: {{ .Values.controlPlane.tls.caConfigMap }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end -}}

{{/* The environment every Daulat process reads: how it logs, and where the control plane is. */}}
{{- define "daulat.commonEnv" -}}
- name: DAULAT_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: DAULAT_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
{{- end -}}
