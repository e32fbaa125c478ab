{{/*
Rules values.schema.json cannot state clearly: comparisons between values, names the chart computes, the time zones
of files/time-zones.txt, quantities with units, and refusals of one value among many (as a schema `not`, the error
would say only "'not' failed"). What a value requires ("required unless", "empty while", at least one item) is in the
schema, the one source the stacks' config reads too. templates/validate.yaml includes this once, so a refused value
stops every render. Each message names the value and the rule.
*/}}
{{- define "mlflow_setup.validate" -}}
{{- $v := .Values }}
{{- if and $v.registry.existingSecret (eq $v.registry.existingSecret $v.storage.existingSecret) }}
{{- fail "registry.existingSecret and storage.existingSecret name the same Secret: one is a dockerconfigjson pull secret, the other holds azurestorageaccountname/azurestorageaccountkey" }}
{{- end }}
{{- if and (eq $v.image.tag "latest") (not $v.image.digest) }}
{{- fail "image.tag \"latest\" is not a pin: set the image's version tag (docker/tracking-server/VERSION) or image.digest" }}
{{- end }}

{{- /* Database. */}}
{{- if and $v.mysql.enabled (eq (lower $v.mysql.auth.username) "root") }}
{{- fail "mysql.auth.username must not be root: the MySQL image creates this user beside root, and the tracking server needs only its own database" }}
{{- end }}
{{- $system := list "mysql" "information_schema" "performance_schema" "sys" }}
{{- range $field, $db := dict "mysql.auth.database" $v.mysql.auth.database "externalDatabase.database" $v.externalDatabase.database }}
{{- if has (lower $db) $system }}
{{- fail (printf "%s %q is a MySQL system schema: MLflow needs a database of its own, e.g. mlflow" $field $db) }}
{{- end }}
{{- end }}
{{- $seen := dict }}
{{- range $option := splitList "&" $v.externalDatabase.options }}
{{- $key := index (splitList "=" $option) 0 }}
{{- if and $key (hasKey $seen $key) }}
{{- fail (printf "externalDatabase.options sets %s twice: give each option once" $key) }}
{{- end }}
{{- $_ := set $seen $key true }}
{{- end }}

{{- /* Storage and backups. */}}
{{- $managed := list "uid" "gid" "dir_mode" "file_mode" "mfsymlinks" "cache" "nosharesock" "actimeo" }}
{{- range $option := $v.storage.fileShare.extraMountOptions }}
{{- if has (index (splitList "=" $option) 0) $managed }}
{{- fail (printf "storage.fileShare.extraMountOptions %q overrides a mount option the chart sets (%s): ownership and modes follow mlflowProject.job.podSecurityContext" $option (join ", " $managed)) }}
{{- end }}
{{- end }}
{{- if $v.backup.enabled }}
{{- if eq $v.backup.container $v.storage.artifacts.container }}
{{- fail (printf "backup.container %q is the artifact container: the tracking server serves that container to every MLflow user, database dumps included. Name another container, e.g. mlflow-backups" $v.backup.container) }}
{{- end }}
{{- if not (has $v.backup.timeZone (.Files.Get "files/time-zones.txt" | splitList "\n")) }}
{{- fail (printf "backup.timeZone %q is not an IANA time zone name (files/time-zones.txt lists them), e.g. Etc/UTC or Europe/Paris" $v.backup.timeZone) }}
{{- end }}
{{- end }}

{{- /* Pods: labels and annotations the chart manages, requests within limits. */}}
{{- $labels := include "mlflow_setup.labels" (list . "tracking-server") | fromYaml | keys }}
{{- range $key, $_ := $v.trackingServer.podLabels }}
{{- if or (has $key $labels) (hasPrefix "azure.workload.identity/" $key) }}
{{- fail (printf "trackingServer.podLabels %q is a label the chart sets (%s, azure.workload.identity/use): a second value would give the pod a duplicate key" $key (join ", " (sortAlpha $labels))) }}
{{- end }}
{{- end }}
{{- range $key, $_ := $v.trackingServer.podAnnotations }}
{{- if hasPrefix "checksum/" $key }}
{{- fail (printf "trackingServer.podAnnotations %q is an annotation the chart sets (checksum/*: rolls the pods when a credential changes)" $key) }}
{{- end }}
{{- end }}
{{- range $field, $r := dict "trackingServer.resources" $v.trackingServer.resources "backup.resources" $v.backup.resources "mlflowProject.job.resources" $v.mlflowProject.job.resources "mysql.resources" ($v.mysql.resources | default dict) }}
{{- $limits := $r.limits | default dict }}
{{- range $name, $request := $r.requests | default dict }}
{{- if hasKey $limits $name }}
{{- $limit := index $limits $name }}
{{- if gt (include "mlflow_setup.quantity" $request | float64) (include "mlflow_setup.quantity" $limit | float64) }}
{{- fail (printf "%s.requests.%s (%v) is above %s.limits.%s (%v): a request must not exceed its limit" $field $name $request $field $name $limit) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Metrics: templates/tracking_server/_metrics.tpl. */}}
{{- include "mlflow_setup.validate.metrics" . }}

{{- /*
Network: an ingress peer of 0.0.0.0/0 or ::/0 admits everyone; an egress rule without ports whose destinations are
all 0.0.0.0/0 or ::/0 reaches every address on every port. Both undo the policy.
*/}}
{{- range $i, $peer := $v.networkPolicy.trackingServerIngressFrom }}
{{- if and $peer.ipBlock (has $peer.ipBlock.cidr (list "0.0.0.0/0" "::/0")) (not $peer.ipBlock.except) }}
{{- fail (printf "networkPolicy.trackingServerIngressFrom[%d] admits every address (%s) to a server without sign-in: name the peers, e.g. the ingress controller's namespace" $i $peer.ipBlock.cidr) }}
{{- end }}
{{- end }}
{{- range $i, $rule := $v.networkPolicy.extraEgress }}
{{- $open := not $rule.ports }}
{{- range $peer := $rule.to | default list }}
{{- if not (and $peer.ipBlock (has $peer.ipBlock.cidr (list "0.0.0.0/0" "::/0")) (not $peer.ipBlock.except)) }}{{ $open = false }}{{ end }}
{{- end }}
{{- if $open }}
{{- fail (printf "networkPolicy.extraEgress[%d] allows egress to every address on every port: give it ports, or destinations (to) narrower than 0.0.0.0/0" $i) }}
{{- end }}
{{- end }}

{{- /* Mounts, and the project Jobs' service account. */}}
{{- $mount := clean $v.mlflowProject.job.projectsMountPath }}
{{- if or (has $mount (list "/" "/mlflow" "/mlflow/projects" "/mlflow/projects/code")) (hasPrefix "/mlflow/projects/code/" $mount) }}
{{- fail (printf "mlflowProject.job.projectsMountPath %q would hide the project code MLflow bakes into the image at /mlflow/projects/code: mount the share elsewhere, e.g. /mnt/mlflow-projects" $v.mlflowProject.job.projectsMountPath) }}
{{- end }}
{{- include "mlflow_setup.validate.mountPath" (list "mlflowProject.job.projectsMountPath" $v.mlflowProject.job.projectsMountPath) }}
{{- include "mlflow_setup.validate.mountPath" (list "trackingServer.secretsMountPath" $v.trackingServer.secretsMountPath) }}
{{- $sa := $v.mlflowProject.serviceAccount.name }}
{{- if eq $sa "default" }}
{{- fail "mlflowProject.serviceAccount.name must not be \"default\": every pod of the namespace runs as that account, and it would get the project Jobs' secrets-reader role. Leave it empty (<fullname>-project) or name a dedicated account" }}
{{- end }}
{{- if eq $sa (include "mlflow_setup.trackingServerName" .) }}
{{- fail (printf "mlflowProject.serviceAccount.name %q is the tracking server's service account: the project Jobs need their own (the chart creates both)" $sa) }}
{{- end }}
{{- end }}

{{/* A Kubernetes quantity ("250m", "2Gi", 1) as a plain number, to compare requests with limits. */}}
{{- define "mlflow_setup.quantity" -}}
{{- $q := toString . }}
{{- $number := regexFind "^[0-9.]+" $q }}
{{- $units := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- mulf (float64 $number) (index $units (trimPrefix $number $q)) }}
{{- end }}

{{/*
A mount at a path hides what the image has there. Refused: "/", /tmp (the pods' writable emptyDir) and /backup (the
backup's scratch) or a parent of them, and the image's virtual environment /opt/mlflow and the system directories
with their parents and everything inside them. A directory inside /tmp stays allowed: it is mounted within the
emptyDir (the end-to-end test points secretsMountPath there).
Usage: include "mlflow_setup.validate.mountPath" (list "<field>" <path>)
*/}}
{{- define "mlflow_setup.validate.mountPath" -}}
{{- $field := index . 0 }}
{{- $path := clean (index . 1) }}
{{- $scratch := list "/tmp" "/backup" }}
{{- range $kept := concat $scratch (list "/opt/mlflow" "/usr" "/bin" "/sbin" "/lib" "/lib64" "/etc" "/home" "/root" "/proc" "/sys" "/dev" "/var/lib") }}
{{- $inside := and (hasPrefix (printf "%s/" $kept) $path) (not (has $kept $scratch)) }}
{{- if or (eq $path "/") (eq $path $kept) $inside (hasPrefix (printf "%s/" $path) $kept) }}
{{- fail (printf "%s %q collides with %s: a mount there would hide or shadow what the pod needs (/tmp is its writable scratch, /opt/mlflow and the system directories hold the image's environment). Use a directory of its own, e.g. /var/run/secrets/mlflow or /mnt/mlflow-projects" $field (index $ 1) $kept) }}
{{- end }}
{{- end }}
{{- end }}
