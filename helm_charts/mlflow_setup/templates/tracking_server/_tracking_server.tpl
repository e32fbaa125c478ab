{{/*
Pieces of the tracking-server pod. The rendered command, args and env are self-contained: run them in the image
with that env and you get exactly what the pod runs (the end-to-end test does so against a real database).
*/}}

{{/* Connection settings of the backend store, without the password (see databasePasswordEnv). */}}
{{- define "mlflow_setup.databaseEnv" -}}
- name: DB_HOST
  value: {{ include "mlflow_setup.db.host" . | quote }}
- name: DB_PORT
  value: {{ include "mlflow_setup.db.port" . | quote }}
- name: DB_NAME
  value: {{ include "mlflow_setup.db.name" . | quote }}
- name: DB_USER
  value: {{ include "mlflow_setup.db.user" . | quote }}
- name: DB_OPTIONS
  value: {{ include "mlflow_setup.db.options" . | quote }}
{{- end }}

{{/*
The database password is a file of the credentials volume, never an environment variable: DB_PASSWORD_FILE names it.
Run elsewhere (the end-to-end test), point DB_PASSWORD_FILE at any file holding the password, or render with
trackingServer.secretsMountPath set to a directory holding the files named in credentialFiles.
*/}}
{{- define "mlflow_setup.databasePasswordEnv" -}}
- name: DB_PASSWORD_FILE
  value: {{ printf "%s/%s" .Values.trackingServer.secretsMountPath (include "mlflow_setup.credentialFile.dbPassword" .) | quote }}
{{- end }}

{{/* File names inside trackingServer.secretsMountPath. */}}
{{- define "mlflow_setup.credentialFile.dbPassword" -}}db-password{{- end }}
{{- define "mlflow_setup.credentialFile.connectionString" -}}azure-storage-connection-string{{- end }}
{{- define "mlflow_setup.credentialFile.accessKey" -}}azure-storage-access-key{{- end }}

{{/*
Blob credentials as MLflow reads them, each a file: the connection string the chart builds (accountKey mode), the
account key from storage.existingSecret, or nothing with workload identity.
*/}}
{{- define "mlflow_setup.storageCredentialEnv" -}}
{{- $dir := .Values.trackingServer.secretsMountPath }}
{{- if eq .Values.storage.artifacts.auth "accountKey" }}
{{- if .Values.storage.existingSecret -}}
- name: AZURE_STORAGE_ACCESS_KEY_FILE
  value: {{ printf "%s/%s" $dir (include "mlflow_setup.credentialFile.accessKey" .) | quote }}
{{- else -}}
- name: AZURE_STORAGE_CONNECTION_STRING_FILE
  value: {{ printf "%s/%s" $dir (include "mlflow_setup.credentialFile.connectionString" .) | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A credentials volume: a projected volume over the Secrets that hold them, files readable by the pod's group only.
Usage: include "mlflow_setup.credentialsVolume" (dict "root" . "name" "credentials" "database" true "storage" true)
database: the database password (file db-password); storage: the blob credential of storageCredentialEnv, if any.
*/}}
{{- define "mlflow_setup.credentialsVolume" -}}
{{- $root := .root }}
{{- $v := $root.Values -}}
- name: {{ .name }}
  projected:
    defaultMode: 288 # 0440: read-only for the owner and the pod's fsGroup
    sources:
      {{- if .database }}
      - secret:
          name: {{ include "mlflow_setup.db.passwordSecretName" $root }}
          items:
            - key: {{ include "mlflow_setup.db.passwordSecretKey" $root }}
              path: {{ include "mlflow_setup.credentialFile.dbPassword" $root }}
      {{- end }}
      {{- if and .storage (eq $v.storage.artifacts.auth "accountKey") }}
      {{- if $v.storage.existingSecret }}
      - secret:
          name: {{ $v.storage.existingSecret }}
          items:
            - key: azurestorageaccountkey
              path: {{ include "mlflow_setup.credentialFile.accessKey" $root }}
      {{- else }}
      - secret:
          name: {{ include "mlflow_setup.trackingServerName" $root }}
          items:
            - key: azure-storage-connection-string
              path: {{ include "mlflow_setup.credentialFile.connectionString" $root }}
      {{- end }}
      {{- end }}
{{- end }}

{{/* Mounts a credentials volume at trackingServer.secretsMountPath. Usage: include "..." (list . "credentials") */}}
{{- define "mlflow_setup.credentialsMount" -}}
- name: {{ index . 1 }}
  mountPath: {{ (index . 0).Values.trackingServer.secretsMountPath }}
  readOnly: true
{{- end }}

{{/*
Builds MLFLOW_BACKEND_STORE_URI at start-up, the password read from DB_PASSWORD_FILE (trailing newlines dropped, as
the shell and the MySQL image do). Every part is percent-encoded with Python's quote(safe=""), which SQLAlchemy
decodes back exactly (a space becomes %20, not "+"), so any password works, including one from an existing Secret
the chart never sees. Non-ASCII too: PyMySQL sends the password's latin-1 bytes, so it is handed the string whose
latin-1 bytes are the password's UTF-8 bytes, which is what MySQL hashed (files/migrate_database.py does the same). Assignment and export are separate so `sh -e` stops on failure.
*/}}
{{- define "mlflow_setup.backendStoreUriScript" -}}
MLFLOW_BACKEND_STORE_URI="$(python3 -c 'import os; from urllib.parse import quote; e = os.environ; q = lambda s: quote(s, safe=""); p = open(e["DB_PASSWORD_FILE"], encoding="utf-8").read().rstrip("\n").encode().decode("latin-1"); o = e.get("DB_OPTIONS", ""); print("mysql+pymysql://" + q(e["DB_USER"]) + ":" + q(p) + "@" + e["DB_HOST"] + ":" + e["DB_PORT"] + "/" + q(e["DB_NAME"]) + ("?" + o if o else ""))')"
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

{{/* Waits until the database accepts TCP connections, up to DB_WAIT_TIMEOUT_SECONDS. */}}
{{- define "mlflow_setup.waitForDatabaseScript" -}}
import os, socket, sys, time
host, port = os.environ["DB_HOST"], int(os.environ["DB_PORT"])
deadline = time.monotonic() + int(os.environ["DB_WAIT_TIMEOUT_SECONDS"])
while True:
    try:
        socket.create_connection((host, port), timeout=5).close()
        break
    except OSError as err:
        if time.monotonic() > deadline:
            sys.exit("database %s:%d not reachable: %s" % (host, port, err))
        print("waiting for database %s:%d (%s)" % (host, port, err), flush=True)
        time.sleep(2)
print("database %s:%d accepts connections" % (host, port), flush=True)
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

{{/*
One hash over every value the chart turns into a Secret, so a change to any credential rolls the pods. Hashing them
together (the storage account key among them) keeps the annotation from revealing a single low-entropy password.
*/}}
{{- define "mlflow_setup.secretsChecksum" -}}
{{- $v := .Values }}
{{- list $v.registry $v.storage.accountName $v.storage.accountKey $v.storage.existingSecret $v.storage.artifacts $v.mysql.auth $v.externalDatabase | toJson | sha256sum }}
{{- end }}
