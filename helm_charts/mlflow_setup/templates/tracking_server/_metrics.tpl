{{/*
Prometheus metrics of the tracking server (trackingServer.metrics): `mlflow server --expose-prometheus <dir>` makes
every uvicorn worker write its counters to files in <dir> (prometheus_client multiprocess mode), and /metrics on any
worker sums them. <dir> is an emptyDir of its own: the root filesystem is read-only, and files of an earlier
container would be added in, so the container empties it before starting the server.
*/}}

{{/* Rules across values; included by mlflow_setup.validate. */}}
{{- define "mlflow_setup.validate.metrics" -}}
{{- $m := .Values.trackingServer.metrics }}
{{- $scraper := $m.scraper | default dict }}
{{- $scraperSet := or $scraper.namespaceSelector $scraper.podSelector }}
{{- if and $m.serviceMonitor.enabled (not $m.enabled) }}
{{- fail "trackingServer.metrics.serviceMonitor.enabled needs trackingServer.metrics.enabled: without it the server has no /metrics to scrape" }}
{{- end }}
{{- if and $scraperSet (not $m.enabled) }}
{{- fail "trackingServer.metrics.scraper needs trackingServer.metrics.enabled: it would open the server port to a scraper with nothing to scrape" }}
{{- end }}
{{- if and $scraperSet (not (and $scraper.namespaceSelector $scraper.podSelector)) }}
{{- fail "trackingServer.metrics.scraper needs both namespaceSelector and podSelector: without the pod selector every pod of the matched namespaces reaches the server port, without the namespace selector the peer is this namespace, which is admitted already" }}
{{- end }}
{{- if and $scraperSet (not .Values.networkPolicy.enabled) }}
{{- fail "trackingServer.metrics.scraper cannot take effect while networkPolicy.enabled is false: there is no NetworkPolicy to add the rule to. Clear the scraper or enable the policies" }}
{{- end }}
{{- $chartLabels := include "mlflow_setup.labels" (list . "tracking-server") | fromYaml | keys }}
{{- range $key, $_ := $m.serviceMonitor.labels }}
{{- if has $key $chartLabels }}
{{- fail (printf "trackingServer.metrics.serviceMonitor.labels %q is a label the chart sets (%s): a second value would give the ServiceMonitor a duplicate key" $key (join ", " (sortAlpha $chartLabels))) }}
{{- end }}
{{- end }}
{{- if $m.enabled }}
{{- include "mlflow_setup.validate.mountPath" (list "trackingServer.metrics.multiprocessDir" $m.multiprocessDir) }}
{{- $dir := clean $m.multiprocessDir }}
{{- $secrets := clean .Values.trackingServer.secretsMountPath }}
{{- if or (eq $dir $secrets) (hasPrefix (printf "%s/" $secrets) $dir) (hasPrefix (printf "%s/" $dir) $secrets) }}
{{- fail (printf "trackingServer.metrics.multiprocessDir %q overlaps trackingServer.secretsMountPath %q: the metric files need a writable directory of their own, apart from the read-only credentials" $m.multiprocessDir .Values.trackingServer.secretsMountPath) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The server's argument, in mlflow_setup.serverArgs. */}}
{{- define "mlflow_setup.metrics.serverArg" -}}
{{- if .Values.trackingServer.metrics.enabled }} \
--expose-prometheus {{ clean .Values.trackingServer.metrics.multiprocessDir | squote }}
{{- end }}
{{- end }}

{{/* Start script line: files of an earlier container of this pod (a restart keeps the emptyDir) would be summed in. */}}
{{- define "mlflow_setup.metrics.resetScript" -}}
{{- if .Values.trackingServer.metrics.enabled -}}
rm -rf -- {{ clean .Values.trackingServer.metrics.multiprocessDir | squote }}/*
{{- end }}
{{- end }}

{{/*
The pod's IP for the allowed Host headers: Prometheus scrapes each pod by its IP, and MLflow answers 403 to a Host
it does not know (only /health and /version are exempt). Kubernetes expands $(POD_IP) in the server's arguments.
*/}}
{{- define "mlflow_setup.metrics.podIpEnv" -}}
{{- if .Values.trackingServer.metrics.enabled -}}
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- end }}
{{- end }}

{{- define "mlflow_setup.metrics.allowedHosts" -}}
{{- if .Values.trackingServer.metrics.enabled }}
{{- $port := toString .Values.trackingServer.port }}
{{- list (printf "$(POD_IP):%s" $port) (printf "[$(POD_IP)]:%s" $port) | toJson }}
{{- else }}[]
{{- end }}
{{- end }}

{{- define "mlflow_setup.metrics.volumeMount" -}}
{{- if .Values.trackingServer.metrics.enabled -}}
- name: metrics
  mountPath: {{ clean .Values.trackingServer.metrics.multiprocessDir }}
{{- end }}
{{- end }}

{{/* Three 64 KiB files per worker process (counters, gauges, histograms); 64Mi outlasts hundreds of worker restarts. */}}
{{- define "mlflow_setup.metrics.volume" -}}
{{- if .Values.trackingServer.metrics.enabled -}}
- name: metrics
  emptyDir:
    sizeLimit: 64Mi
{{- end }}
{{- end }}
