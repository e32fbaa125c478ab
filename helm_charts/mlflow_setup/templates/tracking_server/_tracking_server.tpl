{{/*
Pieces of the tracking-server pod. The rendered command, args and env are self-contained: run them in the image
with that env and you get exactly what the pod runs (the end-to-end test does so against a real database).
*/}}

{{/* Connection settings of the backend store; the password comes from a Secret, never from values in the pod spec. */}}
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
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "mlflow_setup.db.passwordSecretName" . }}
      key: {{ include "mlflow_setup.db.passwordSecretKey" . }}
{{- end }}

{{/*
Builds MLFLOW_BACKEND_STORE_URI at start-up. Every part is percent-encoded with Python's quote(safe=""), which
SQLAlchemy decodes back exactly (a space becomes %20, not "+"), so any password works, including one from an
existing Secret the chart never sees. Assignment and export are separate so `sh -e` stops on failure.
*/}}
{{- define "mlflow_setup.backendStoreUriScript" -}}
MLFLOW_BACKEND_STORE_URI="$(python3 -c 'import os; from urllib.parse import quote; e = os.environ; q = lambda s: quote(s, safe=""); o = e.get("DB_OPTIONS", ""); print("mysql+pymysql://" + q(e["DB_USER"]) + ":" + q(e["DB_PASSWORD"]) + "@" + e["DB_HOST"] + ":" + e["DB_PORT"] + "/" + q(e["DB_NAME"]) + ("?" + o if o else ""))')"
export MLFLOW_BACKEND_STORE_URI
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

{{/* `mlflow server` options after the subcommand; values are single-quoted for the shell (schema forbids quotes). */}}
{{- define "mlflow_setup.serverArgs" -}}
{{- $ts := .Values.trackingServer -}}
--host 0.0.0.0 --port {{ $ts.port }} --workers {{ $ts.workers }} \
--serve-artifacts --artifacts-destination {{ include "mlflow_setup.artifactsDestination" . | squote }} \
--allowed-hosts {{ include "mlflow_setup.allowedHosts" . | squote }}
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
