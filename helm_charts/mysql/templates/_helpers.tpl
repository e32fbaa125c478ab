{{/*
Names derive from the release name only: the parent chart (mlflow_setup) computes the same Service and Secret names
to reach this database.
*/}}
{{- define "mysql.fullname" -}}
{{- printf "%s-mysql" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mysql.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-mysql-data" .Release.Name | trunc 63 | trimSuffix "-") }}
{{- end }}

{{/* The class the claim uses: the named one, or the one storageclass.yaml creates (cluster-scoped, hence the namespace). */}}
{{- define "mysql.storageClassName" -}}
{{- .Values.persistence.storageClass | default (printf "%s-%s-disk-retain" .Release.Namespace .Release.Name | trunc 253 | trimSuffix "-") }}
{{- end }}

{{- define "mysql.secretName" -}}
{{- .Values.auth.existingSecret | default (include "mysql.fullname" .) }}
{{- end }}

{{- define "mysql.selectorLabels" -}}
app.kubernetes.io/name: mysql
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
{{- end }}

{{- define "mysql.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "mysql.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: mlflow
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Image reference: repository:tag, plus @digest when one is pinned (the digest then decides what runs). */}}
{{- define "mysql.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag }}
{{- with .Values.image.digest }}@{{ . }}{{ end }}
{{- end }}
