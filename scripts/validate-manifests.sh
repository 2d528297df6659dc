#!/usr/bin/env bash
# Validates the partitioned-run manifests of docs/deploy/scale-out/ (and docs/deploy/cronjob.yaml)
# offline, in a venv of its own (.venv-k8s/, git-ignored; made on first use from PyPI):
#
#   - the Kubernetes objects against the JSON schemas that the PyPI package kubernetes-validate
#     carries, for Kubernetes K8S_VERSION (default 1.33.0: backoffLimitPerIndex is GA there), strict:
#     unknown fields are errors;
#   - the Argo CronWorkflow against hera's models of the Argo Workflows API, and what neither schema
#     checks (values we rely on, the DAG, the same command lines in the Jobs and the workflow):
#     scripts/validate_manifests.py.
#
#   scripts/validate-manifests.sh           # validate (exit 1 with one line per problem)
#   scripts/validate-manifests.sh --setup   # only make the venv
#
# Exit 77 ("skipped") when the venv cannot be made because pip cannot reach PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv-k8s}
K8S_VERSION=${K8S_VERSION:-1.33.0}
PACKAGES="kubernetes-validate==1.37.0 hera==7.1.0"
MANIFESTS=${MANIFESTS:-docs/deploy/scale-out}

if ! "$VENV/bin/python" -c "import kubernetes_validate, hera.workflows.models" 2>/dev/null; then
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  if ! "$VENV/bin/pip" install -q --disable-pip-version-check --timeout 20 --retries 1 $PACKAGES > "$VENV/pip.log" 2>&1; then
    echo "skipped: pip cannot install $PACKAGES (is PyPI reachable?); see $VENV/pip.log" >&2
    exit 77
  fi
fi
[ "${1:-}" = "--setup" ] && exit 0

"$VENV/bin/kubernetes-validate" --strict --quiet -k "$K8S_VERSION" \
  "$MANIFESTS/pvc.yaml" "$MANIFESTS/plan-job.yaml" "$MANIFESTS/partitions-job.yaml" "$MANIFESTS/merge-job.yaml" \
  docs/deploy/cronjob.yaml
"$VENV/bin/python" scripts/validate_manifests.py "$MANIFESTS"
echo "manifests valid: Kubernetes $K8S_VERSION (strict) and the Argo Workflows API"
