{{/*
The front door: a Gateway API Gateway (TLS from Key Vault) and HTTPRoute in front of oauth2-proxy, which signs
people in with Entra ID, checks bearer tokens of API clients and proxies to the tracking server's Service.
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

{{/* Entra ID v2.0 issuer of the tenant: the OIDC discovery base and the iss of every accepted token. */}}
{{- define "mlflow_setup.frontDoor.issuer" -}}
{{- $e := .Values.frontDoor.entra }}
{{- printf "%s/%s/v2.0" (trimSuffix "/" $e.authorityHost) $e.tenantId }}
{{- end }}

{{/*
oauth2-proxy's command line, one flag per item, no secret among them (the cookie secret comes from the environment).
The sign-in test (npm run test:signin) runs oauth2-proxy with exactly these flags, changing only where it listens,
its upstream and the public port of its callback URL.
*/}}
{{- define "mlflow_setup.frontDoor.proxyArgs" -}}
{{- $fd := .Values.frontDoor -}}
- --cookie-secret-file={{ include "mlflow_setup.frontDoor.cookieSecretPath" . }}
- --http-address=0.0.0.0:{{ include "mlflow_setup.frontDoor.proxyPort" . }}
- --upstream={{ include "mlflow_setup.trackingUri" . }}/
- --provider=entra-id
- --oidc-issuer-url={{ include "mlflow_setup.frontDoor.issuer" . }}
- --client-id={{ $fd.entra.clientId }}
# Workload identity: the pod's projected service-account token is the client assertion; there is no client secret.
- --entra-id-federated-token-auth=true
- --redirect-url=https://{{ $fd.host }}/oauth2/callback
- --scope=openid profile email offline_access
- --code-challenge-method=S256
- --email-domain=*
- --oidc-email-claim=preferred_username
- --oidc-groups-claim=groups
{{- range $fd.entra.allowedGroupObjectIds }}
- --allowed-group={{ . }}
{{- end }}
# API clients send Entra ID access tokens for this application (aud = client id), checked like the sign-in.
- --skip-jwt-bearer-tokens=true
# API paths answer 401 instead of redirecting to the sign-in page.
- --api-route=^/api/
- --api-route=^/ajax-api/
- --reverse-proxy=true
- --pass-host-header=true
- --pass-user-headers=true
- --skip-provider-button=true
- --cookie-secure=true
- --cookie-samesite=lax
- --cookie-expire={{ $fd.oauth2Proxy.cookieExpire }}
- --cookie-refresh={{ $fd.oauth2Proxy.cookieRefresh }}
- --ping-path=/ping
- --request-logging=true
- --auth-logging=true
- --standard-logging=true
- --silence-ping-logging=true
{{- end }}

{{/* Refuses a front door that cannot work; each message names the value and the rule. */}}
{{- define "mlflow_setup.frontDoor.validate" -}}
{{- $fd := .Values.frontDoor }}
{{- if $fd.enabled }}
{{- if not $fd.host }}{{ fail "frontDoor.host is required when frontDoor.enabled: the DNS name MLflow is served at, e.g. mlflow.dev.example.internal" }}{{ end }}
{{- if not $fd.entra.tenantId }}{{ fail "frontDoor.entra.tenantId is required when frontDoor.enabled (the Entra ID tenant that signs users in)" }}{{ end }}
{{- if not $fd.entra.clientId }}{{ fail "frontDoor.entra.clientId is required when frontDoor.enabled (the application registration's client id)" }}{{ end }}
{{- if not $fd.entra.allowedGroupObjectIds }}{{ fail "frontDoor.entra.allowedGroupObjectIds needs at least one group object id when frontDoor.enabled: without it every account of the tenant would get in" }}{{ end }}
{{- if not $fd.oauth2Proxy.workloadIdentityClientId }}{{ fail "frontDoor.oauth2Proxy.workloadIdentityClientId is required when frontDoor.enabled (the federated credential replaces a client secret)" }}{{ end }}
{{- if and (not $fd.oauth2Proxy.cookieSecret) (not $fd.oauth2Proxy.existingSecret) }}{{ fail "frontDoor.oauth2Proxy.cookieSecret (32 characters) or frontDoor.oauth2Proxy.existingSecret is required when frontDoor.enabled" }}{{ end }}
{{- if and $fd.oauth2Proxy.cookieSecret (not (has (len $fd.oauth2Proxy.cookieSecret) (list 16 24 32))) }}{{ fail "frontDoor.oauth2Proxy.cookieSecret must be 16, 24 or 32 characters long (an AES key)" }}{{ end }}
{{- if and (not $fd.gateway.tls.keyVaultCertificateUri) (not $fd.gateway.tls.existingSecret) }}{{ fail "frontDoor.gateway.tls.keyVaultCertificateUri (with identityClientId) or frontDoor.gateway.tls.existingSecret is required when frontDoor.enabled" }}{{ end }}
{{- if and $fd.gateway.tls.keyVaultCertificateUri (not $fd.gateway.tls.identityClientId) }}{{ fail "frontDoor.gateway.tls.identityClientId is required with keyVaultCertificateUri (the identity that reads the certificate)" }}{{ end }}
{{- if and (eq $fd.gateway.access "public") (not $fd.gateway.allowedSourceRanges) }}{{ fail "frontDoor.gateway.allowedSourceRanges needs at least one CIDR when frontDoor.gateway.access is public" }}{{ end }}
{{- end }}
{{- end }}
