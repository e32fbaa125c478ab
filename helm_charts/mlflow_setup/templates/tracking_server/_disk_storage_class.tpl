{{/*
The fields of the chart's MySQL disk StorageClass that Kubernetes never lets change after creation, as JSON.
Parameters only apply when a disk is created:
- diskEncryptionSetID (only when set): the disk is encrypted with that customer-managed key instead of a
  platform-managed one;
- networkAccessPolicy DenyAll: nobody can create a SAS to export or import the database disk (backups are
  logical dumps to blob storage, they never need one).
*/}}
{{- define "mlflow_setup.diskStorageClassSpec" -}}
{{- $p := .Values.mysql.persistence }}
{{- $parameters := dict "skuName" $p.diskSku "networkAccessPolicy" "DenyAll" }}
{{- with $p.diskEncryptionSetId }}
{{- $_ := set $parameters "diskEncryptionSetID" . }}
{{- end }}
{{- dict "provisioner" "disk.csi.azure.com" "reclaimPolicy" "Retain" "volumeBindingMode" "WaitForFirstConsumer" "parameters" $parameters | toJson }}
{{- end }}

{{/*
Stops an upgrade that would change the class in place: the API server would reject it with a terse "updates to
parameters are forbidden", and even a re-created class would not re-key the disk that already exists.
lookup is empty under `helm template` and client-side dry runs, so this only acts against a cluster.
Usage: include "mlflow_setup.checkDiskStorageClassUnchanged" (list . $spec)
*/}}
{{- define "mlflow_setup.checkDiskStorageClassUnchanged" -}}
{{- $root := index . 0 }}
{{- $wanted := index . 1 }}
{{- $name := include "mlflow_setup.diskStorageClassName" $root }}
{{- $live := lookup "storage.k8s.io/v1" "StorageClass" "" $name }}
{{- if $live }}
{{- $found := dict "provisioner" $live.provisioner "reclaimPolicy" ($live.reclaimPolicy | default "Delete") "volumeBindingMode" ($live.volumeBindingMode | default "Immediate") "parameters" ($live.parameters | default dict) }}
{{- if ne ($found | toJson) ($wanted | toJson) }}
{{- fail (printf "StorageClass %s exists with %s, but mysql.persistence.diskSku / mysql.persistence.diskEncryptionSetId ask for %s. A StorageClass is immutable (Kubernetes rejects the upgrade) and its parameters only apply when a disk is created: the existing MySQL disk keeps the key it was created with. Keep the previous values, or follow the chart README, section \"Disk encryption key\": delete the class, upgrade, then move the database to a new disk (dump, new claim, restore)" $name ($found | toJson) ($wanted | toJson)) }}
{{- end }}
{{- end }}
{{- end }}
