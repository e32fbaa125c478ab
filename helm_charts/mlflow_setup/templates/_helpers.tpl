{{/*
Names. The chart is called mlflow_setup, which is not a valid DNS-1123 label: underscores become dashes.
*/}}
{{- define "mlflow_setup.name" -}}
{{- default .Chart.Name .Values.nameOverride | replace "_" "-" | lower | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mlflow_setup.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | lower | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "mlflow_setup.name" . }}
{{- if contains .Release.Name $name }}
{{- .Release.Name | lower | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | lower | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
componentName: "<fullname>-<suffix>", the fullname shortened so the whole stays a 63-character DNS label.
Usage: include "mlflow_setup.componentName" (list . "tracking-server")
*/}}
{{- define "mlflow_setup.componentName" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $base := include "mlflow_setup.fullname" $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" }}
{{- printf "%s-%s" $base $suffix }}
{{- end }}

{{/*
Labels. selectorLabels takes (list . "component") and never changes after the first install (selectors are immutable).
*/}}
{{- define "mlflow_setup.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "mlflow_setup.name" $root | quote }}
app.kubernetes.io/instance: {{ $root.Release.Name | quote }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "mlflow_setup.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mlflow_setup.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: mlflow
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
{{- end }}

{{/* Resource names shared by several templates. */}}
{{- define "mlflow_setup.registrySecretName" -}}
{{- .Values.registry.existingSecret | default (include "mlflow_setup.componentName" (list . "registry")) }}
{{- end }}

{{- define "mlflow_setup.storageSecretName" -}}
{{- .Values.storage.existingSecret | default (include "mlflow_setup.componentName" (list . "storage")) }}
{{- end }}

{{- define "mlflow_setup.trackingServerName" -}}
{{- include "mlflow_setup.componentName" (list . "tracking-server") }}
{{- end }}

{{- define "mlflow_setup.projectServiceAccountName" -}}
{{- .Values.mlflowProject.serviceAccount.name | default (include "mlflow_setup.componentName" (list . "project")) }}
{{- end }}

{{- define "mlflow_setup.projectClaimName" -}}
{{- include "mlflow_setup.componentName" (list . "projects") }}
{{- end }}

{{/* The static PV is cluster-scoped: the namespace keeps it unique across releases of the same name. */}}
{{- define "mlflow_setup.projectVolumeName" -}}
{{- printf "%s-%s-projects" .Release.Namespace (include "mlflow_setup.fullname" .) | trunc 253 | trimSuffix "-" }}
{{- end }}

{{/*
The MySQL Service name agreed with the subchart (helm_charts/mysql/templates/_helpers.tpl): both derive it from the
release name only, so the parent's nameOverride/fullnameOverride cannot split them apart.
*/}}
{{- define "mlflow_setup.mysqlName" -}}
{{- printf "%s-mysql" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Image references. */}}
{{- define "mlflow_setup.image" -}}
{{- $repo := printf "%s/%s" .Values.registry.server .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo .Values.image.tag }}
{{- end }}
{{- end }}

{{/* Artifact store. */}}
{{- define "mlflow_setup.artifactsDestination" -}}
{{- $a := .Values.storage.artifacts }}
{{- $uri := printf "wasbs://%s@%s.%s" $a.container .Values.storage.accountName $a.blobEndpointSuffix }}
{{- if $a.path }}{{ printf "%s/%s" $uri (trimAll "/" $a.path) }}{{ else }}{{ $uri }}{{ end }}
{{- end }}

{{- define "mlflow_setup.blobEndpoint" -}}
{{- .Values.storage.artifacts.blobEndpoint | default (printf "https://%s.%s" .Values.storage.accountName .Values.storage.artifacts.blobEndpointSuffix) | trimSuffix "/" }}
{{- end }}

{{/*
Allowed Host headers (MLflow >= 3.5 rejects others): every DNS form of the Service, bare and with the port,
localhost for kubectl port-forward, then the user's extra hosts.
*/}}
{{- define "mlflow_setup.allowedHosts" -}}
{{- $svc := include "mlflow_setup.trackingServerName" . }}
{{- $ns := .Release.Namespace }}
{{- $port := toString .Values.trackingServer.port }}
{{- $hosts := list }}
{{- range $name := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns $.Values.trackingServer.clusterDomain) }}
{{- $hosts = append $hosts $name }}
{{- $hosts = append $hosts (printf "%s:%s" $name $port) }}
{{- end }}
{{- $hosts = concat $hosts (list "localhost" "localhost:*" "127.0.0.1" "127.0.0.1:*") .Values.trackingServer.allowedHosts }}
{{- $hosts = concat $hosts (include "mlflow_setup.metrics.allowedHosts" . | fromJsonArray) }}
{{- if .Values.frontDoor.enabled }}{{ $hosts = append $hosts .Values.frontDoor.host }}{{ end }}
{{- $hosts | uniq | join "," }}
{{- end }}

{{- define "mlflow_setup.trackingUri" -}}
{{- printf "http://%s.%s.svc.%s:%v" (include "mlflow_setup.trackingServerName" .) .Release.Namespace .Values.trackingServer.clusterDomain .Values.trackingServer.port }}
{{- end }}

{{- define "mlflow_setup.backupName" -}}
{{- include "mlflow_setup.componentName" (list . "backup") }}
{{- end }}
