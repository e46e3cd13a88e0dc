#!/usr/bin/env bash
# A private PKI for one hub: a CA, a server certificate and one client
# certificate per institution (SAN URI batteryhub://institutions/{i}), with
# openssl. ECDSA P-256 keys, mode 0600.
#
#   deploy/pki.sh OUT_DIR [SERVER_NAME ...]
#     SERVER_NAME: DNS names or IP addresses of the hub (default: localhost
#     and 127.0.0.1). INSTITUTIONS="aist nedo libtec nrc" by default.
#
# Writes OUT_DIR/ca.pem (give it to every client and peer hub), ca.key (keep
# offline), server.pem + server.key (the hub's [tls] cert and key),
# {institution}.pem + {institution}.key (one pair per institution's clients).
# An existing CA in OUT_DIR is reused, so certificates can be added later.
set -euo pipefail
OUT=${1:?usage: deploy/pki.sh OUT_DIR [SERVER_NAME ...]}
shift
NAMES=("$@")
[[ ${#NAMES[@]} -gt 0 ]] || NAMES=(localhost 127.0.0.1)
INSTITUTIONS=${INSTITUTIONS:-"aist nedo libtec nrc"}
DAYS=${DAYS:-825}
mkdir -p "$OUT"
cd "$OUT"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Signs $1.csr into $1.pem with the extensions in $2.
sign() {
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$DAYS" \
    -sha256 -out "$1.pem" -extfile <(printf '%s\n' "$2") 2>/dev/null
  rm -f "$1.csr"
}

if [[ ! -f ca.pem ]]; then
  key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/O=batteryhub/CN=batteryhub CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.pem
fi

san=""
for n in "${NAMES[@]}"; do
  if [[ $n =~ ^[0-9.]+$ || $n == *:* ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
done
key server.key
openssl req -new -key server.key -subj "/O=batteryhub/CN=${NAMES[0]}" -out server.csr
sign server "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=${san%,}"

for i in $INSTITUTIONS; do
  key "$i.key"
  openssl req -new -key "$i.key" -subj "/O=batteryhub/CN=$i" -out "$i.csr"
  sign "$i" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:batteryhub://institutions/$i"
done
chmod 600 ./*.key
chmod 644 ./*.pem
echo "CA, server (${NAMES[*]}) and client certificates for: $INSTITUTIONS in $(pwd)"
