{{/*
Names and constants the front door's templates share: a Gateway API Gateway (TLS from Key Vault) and HTTPRoute in
front of oauth2-proxy, which signs people in with Entra ID and proxies to the tracking server's Service. What the front
door cannot work without is refused by values.schema.json (frontDoor).
*/}}

{{- define "mlflow_setup.frontDoor.proxyName" -}}
{{- include "mlflow_setup.componentName" (list . "oauth2-proxy") }}
{{- end }}

{{- define "mlflow_setup.frontDoor.gatewayName" -}}
{{- include "mlflow_setup.componentName" (list . "gateway") }}
{{- end }}

{{- define "mlflow_setup.frontDoor.certificateServiceAccountName" -}}
{{- include "mlflow_setup.componentName" (list . "gateway-tls") }}
{{- end }}

{{- define "mlflow_setup.frontDoor.cookieSecretName" -}}
{{- .Values.frontDoor.oauth2Proxy.existingSecret | default (include "mlflow_setup.frontDoor.proxyName" .) }}
{{- end }}

{{/* Where the cookie secret is mounted as a file (never an environment variable). */}}
{{- define "mlflow_setup.frontDoor.cookieSecretPath" -}}/var/run/secrets/oauth2-proxy/cookie-secret{{- end }}

{{/* Port oauth2-proxy listens on inside its pod. */}}
{{- define "mlflow_setup.frontDoor.proxyPort" -}}4180{{- end }}
