#!/usr/bin/env bash
# Creates the dev overlay's Secrets with random values in the kanshi-dev namespace (never
# committed). Production takes them from ExternalSecrets instead (k8s/overlays/prod).
#   k8s/overlays/dev/create-secrets.sh            # once, before `kubectl apply -k k8s/overlays/dev`
set -euo pipefail
ns=kanshi-dev
rand() { head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40; }
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
jwt=$(rand)
subgraph=$(rand)
apply() { kubectl -n "$ns" create secret generic "$1" "${@:2}" --dry-run=client -o yaml | kubectl apply -f -; }
for svc in contracts ingestion analysis incident endpoint-response reporting; do
  schema=${svc//-/_}
  pw=$(rand)
  # the CloudNativePG managed role's password, and the service's URL using it
  apply "kanshi-pg-role-$svc" --type=kubernetes.io/basic-auth --from-literal=username="kanshi_$schema" --from-literal=password="$pw"
  extra=()
  case $svc in
    endpoint-response) extra+=(--from-literal=EDR_CREDENTIALS_KEY="$(head -c 32 /dev/urandom | base64)") ;;
    reporting) extra+=(--from-literal=REPORT_URL_SECRET="$(rand)") ;;
  esac
  apply "kanshi-$svc-secrets" --from-literal=JWT_SECRET="$jwt" \
    --from-literal=DATABASE_URL="postgres://kanshi_$schema:$pw@kanshi-pg-rw:5432/kanshi" \
    --from-literal=NATS_URL="nats://nats:4222" "${extra[@]}"
done
apply kanshi-gateway-secrets --from-literal=JWT_SECRET="$jwt"
apply kanshi-subgraph-credential --from-literal=SUBGRAPH_SECRET="$subgraph"
