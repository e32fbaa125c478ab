{{/*
Egress of the pods that talk to the database and to blob storage (tracking server, backup): DNS, the database's
port (the in-cluster MySQL pods only, or any address for an external server), HTTPS (blob storage and Entra ID
have no fixed addresses), then networkPolicy.extraEgress.
*/}}
{{- define "mlflow_setup.networkPolicy.egress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- if .Values.mysql.enabled }}
{{- /* The mysql chart's pod labels (helm_charts/mysql/templates/_helpers.tpl, mysql.selectorLabels). */}}
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: mysql
          app.kubernetes.io/instance: {{ .Release.Name }}
          app.kubernetes.io/component: database
  ports:
    - port: 3306
      protocol: TCP
{{- else }}
- ports:
    - port: {{ .Values.externalDatabase.port }}
      protocol: TCP
{{- end }}
- ports:
    - port: 443
      protocol: TCP
{{- with .Values.networkPolicy.extraEgress }}
{{ toYaml . }}
{{- end }}
{{- end }}
