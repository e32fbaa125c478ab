#!/usr/bin/env bash
# Per-run credentials of the local control plane, written into one private folder (sourced by control-plane.sh):
# a CA, the API server's serving certificate for 127.0.0.1, a client certificate in group system:masters,
# and the key pair that signs and verifies service-account tokens. Nothing outlives the run.

# cluster_certs DIR: writes ca.{crt,key}, apiserver.{crt,key}, admin.{crt,key}, sa.{key,pub} into DIR.
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
      ssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
      printf '%s\n' "$3" >"$1.ext"
      ssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile "$1.ext" -out "$1.crt"
      rm -f "$1.csr" "$1.ext"
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
