{{/*
Pieces of the tracking-server pod. The rendered command, args and env are self-contained: run them in the image
with that env and you get exactly what the pod runs (the end-to-end test does so against a real database).
*/}}

{{/* Connection settings of the backend store (in-cluster MySQL or externalDatabase), without the password. */}}
{{- define "mlflow_setup.databaseEnv" -}}
{{- $db := .Values.externalDatabase }}
{{- if .Values.mysql.enabled }}
{{- $db = dict "host" (include "mlflow_setup.mysqlName" .) "port" 3306 "database" .Values.mysql.auth.database "username" .Values.mysql.auth.username "options" "" }}
{{- end -}}
- name: DB_HOST
  value: {{ $db.host | quote }}
- name: DB_PORT
  value: {{ $db.port | quote }}
- name: DB_NAME
  value: {{ $db.database | quote }}
- name: DB_USER
  value: {{ $db.username | quote }}
- name: DB_OPTIONS
  value: {{ $db.options | quote }}
{{- end }}

{{/*
The database password is a file of the credentials volume, never an environment variable: DB_PASSWORD_FILE names it.
Run elsewhere (the end-to-end test), point DB_PASSWORD_FILE at any file holding the password, or render with
trackingServer.secretsMountPath set to a directory holding the files credentialsVolume names.
*/}}
{{- define "mlflow_setup.databasePasswordEnv" -}}
- name: DB_PASSWORD_FILE
  value: {{ printf "%s/db-password" .Values.trackingServer.secretsMountPath | quote }}
{{- end }}

{{/*
Blob credentials as MLflow reads them, each a file: the connection string the chart builds (accountKey mode), the
account key from storage.existingSecret, or nothing with workload identity.
*/}}
{{- define "mlflow_setup.storageCredentialEnv" -}}
{{- if eq .Values.storage.artifacts.auth "accountKey" }}
{{- $var := ternary "AZURE_STORAGE_ACCESS_KEY" "AZURE_STORAGE_CONNECTION_STRING" (not (empty .Values.storage.existingSecret)) -}}
- name: {{ $var }}_FILE
  value: {{ printf "%s/%s" .Values.trackingServer.secretsMountPath (ternary "azure-storage-access-key" "azure-storage-connection-string" (not (empty .Values.storage.existingSecret))) | quote }}
{{- end }}
{{- end }}

{{/*
A credentials volume: a projected volume over the Secrets that hold them, files readable by the pod's group only.
Usage: include "mlflow_setup.credentialsVolume" (dict "root" . "name" "credentials" "database" true "storage" true)
database: the database password (file db-password); storage: the blob credential of storageCredentialEnv, if any.
*/}}
{{- define "mlflow_setup.credentialsVolume" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $dbSecret := $v.mysql.auth.existingSecret | default (include "mlflow_setup.mysqlName" $root) }}
{{- $dbKey := "mysql-password" }}
{{- if not $v.mysql.enabled }}
{{- $dbSecret = $v.externalDatabase.existingSecret | default (include "mlflow_setup.trackingServerName" $root) }}
{{- $dbKey = ternary $v.externalDatabase.existingSecretPasswordKey "database-password" (not (empty $v.externalDatabase.existingSecret)) }}
{{- end -}}
- name: {{ .name }}
  projected:
    defaultMode: 288 # 0440: read-only for the owner and the pod's fsGroup
    sources:
      {{- if .database }}
      - secret:
          name: {{ $dbSecret | quote }}
          items:
            - key: {{ $dbKey | quote }}
              path: db-password
      {{- end }}
      {{- if and .storage (eq $v.storage.artifacts.auth "accountKey") }}
      - secret:
          {{- if $v.storage.existingSecret }}
          name: {{ $v.storage.existingSecret | quote }}
          items:
            - key: azurestorageaccountkey
              path: azure-storage-access-key
          {{- else }}
          name: {{ include "mlflow_setup.trackingServerName" $root }}
          items:
            - key: azure-storage-connection-string
              path: azure-storage-connection-string
          {{- end }}
      {{- end }}
{{- end }}

{{/* Mounts a credentials volume at trackingServer.secretsMountPath. Usage: include "..." (list . "credentials") */}}
{{- define "mlflow_setup.credentialsMount" -}}
- name: {{ index . 1 }}
  mountPath: {{ (index . 0).Values.trackingServer.secretsMountPath }}
  readOnly: true
{{- end }}

{{/* Builds MLFLOW_BACKEND_STORE_URI at start-up (files/backend_store_uri.py). Separate export: `sh -e` stops on failure. */}}
{{- define "mlflow_setup.backendStoreUriScript" -}}
MLFLOW_BACKEND_STORE_URI="$(python3 -c {{ .Files.Get "files/backend_store_uri.py" | trimSuffix "\n" | squote }})"
export MLFLOW_BACKEND_STORE_URI
{{- end }}

{{/* Exports the blob credential MLflow reads from its environment, from the file named by *_FILE (when there is one). */}}
{{- define "mlflow_setup.storageCredentialScript" -}}
{{- if eq .Values.storage.artifacts.auth "accountKey" }}
{{- $var := ternary "AZURE_STORAGE_ACCESS_KEY" "AZURE_STORAGE_CONNECTION_STRING" (not (empty .Values.storage.existingSecret)) -}}
{{ $var }}="$(cat "${{ $var }}_FILE")"
export {{ $var }}
{{- end }}
{{- end }}

{{/*
Bounds of the server's blob client (files/blob_client_bounds.py): per storage request at most
connect 3 s or read 5 s, one retry after 1 s, so a call fails within 2 x 5 + 1 = 11 s when storage is down or hangs.
*/}}
{{- define "mlflow_setup.blobClientBoundsEnv" -}}
- name: BLOB_CLIENT_CONNECTION_TIMEOUT_SECONDS
  value: "3"
- name: BLOB_CLIENT_READ_TIMEOUT_SECONDS
  value: "5"
- name: BLOB_CLIENT_RETRY_TOTAL
  value: "1"
- name: BLOB_CLIENT_RETRY_BACKOFF_SECONDS
  value: "1"
{{- end }}

{{/* Installs files/blob_client_bounds.py as sitecustomize for the server and its workers (they inherit PYTHONPATH). */}}
{{- define "mlflow_setup.blobClientBoundsScript" -}}
hooks="$(mktemp -d)"
cat >"$hooks/sitecustomize.py" <<'PYTHON'
{{ .Files.Get "files/blob_client_bounds.py" | trim }}
PYTHON
export PYTHONPATH="$hooks"
{{- end }}

{{/*
`mlflow server` options after the subcommand; values are single-quoted for the shell (schema forbids quotes).
uvicorn kills a worker that does not answer its health check within 5 s by default: on a busy node a worker still
importing MLflow misses it, and the pod never gets ready (seen in the end-to-end run); 60 s covers a slow start.
*/}}
{{- define "mlflow_setup.serverArgs" -}}
{{- $ts := .Values.trackingServer -}}
--host 0.0.0.0 --port {{ $ts.port }} --workers {{ $ts.workers }} \
--serve-artifacts --artifacts-destination {{ include "mlflow_setup.artifactsDestination" . | squote }} \
--allowed-hosts {{ include "mlflow_setup.allowedHosts" . | squote }} \
--uvicorn-opts '--timeout-worker-healthcheck 60'
{{- include "mlflow_setup.metrics.serverArg" . }}
{{- with $ts.corsAllowedOrigins }} \
--cors-allowed-origins {{ join "," . | squote }}
{{- end }}
{{- end }}

{{- define "mlflow_setup.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}
