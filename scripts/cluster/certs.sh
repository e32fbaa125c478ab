#!/usr/bin/env bash
# Sourced by control-plane.sh. cluster_certs DIR writes this run's credentials into DIR: a CA (ca.*), the API server's
# serving certificate for 127.0.0.1 (apiserver.*), a client certificate in group system:masters (admin.*) and the key
# pair that signs and verifies service-account tokens (sa.*). Nothing outlives the run.
cluster_certs() {
  local dir="$1"
  (
    set -euo pipefail
    umask 077
    cd "${dir}"
    ssl() { openssl "$@" 2>/dev/null; }
    ssl ecparam -name prime256v1 -genkey -noout -out ca.key
    ssl req -x509 -new -key ca.key -days 2 -subj "/CN=mlflow-aks-local-ca" -out ca.crt
    # sign NAME SUBJECT EXTENSIONS: a key and a certificate signed by the run's CA.
    sign() {
      ssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
      ssl req -new -key "$1.key" -subj "$2" |
        ssl x509 -req -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile <(printf '%s\n' "$3") -out "$1.crt"
    }
    sign apiserver "/CN=kube-apiserver" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
    sign admin "/O=system:masters/CN=local-admin" \
      "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
    ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key
    ssl pkey -in sa.key -pubout -out sa.pub
  ) || { echo "cluster: generating certificates with openssl failed" >&2; return 1; }
}
