#!/usr/bin/env bash
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Builds one pinned upstream tool from the Go module proxy into DEST (a folder keyed by the tool's version, under
# ~/.cache/community.camunda/tools), unless it is already there: make tools calls it once per tool.
#   build.sh helm VERSION DEST | build.sh etcd VERSION DEST | build.sh kube-apiserver VERSION DEST
# The Go module and build caches (~/go, ~/.cache/go-build) make a rebuild fast; GOTOOLCHAIN=local uses the Go here.
set -euo pipefail
tool=$1 version=$2 dest=$3
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
if [ -x "$dest/$tool" ]; then exit 0; fi
command -v go >/dev/null || { echo "tools: $tool $version needs Go (1.24 or later) on the PATH" >&2; exit 1; }
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
case $tool in
helm)
	GOBIN="$work/bin" go install "helm.sh/helm/v4/cmd/helm@$version"
	mv "$work/bin/helm" "$dest/helm.part"
	;;
etcd)
	# etcd's server module has no main package of its own to install: a two-line one calls etcdmain.
	printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > main.go
	go mod init community.camunda/etcd >/dev/null 2>&1
	go get "go.etcd.io/etcd/server/v3@$version"
	go mod tidy
	go build -o "$dest/etcd.part" .
	;;
kube-apiserver)
	# k8s.io/kubernetes replaces its staging modules by local paths, so it cannot be installed directly:
	# require it and point each staging module at its published version (v1.X.Y is published as v0.X.Y).
	staging=v0.${version#v1.}
	go mod init community.camunda/kube-apiserver >/dev/null 2>&1
	go mod edit -require "k8s.io/kubernetes@$version"
	for module in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
		cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client \
		csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator \
		kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission \
		sample-apiserver sample-cli-plugin sample-controller; do
		go mod edit -replace "k8s.io/$module=k8s.io/$module@$staging"
	done
	go build -o "$dest/kube-apiserver.part" k8s.io/kubernetes/cmd/kube-apiserver
	;;
*) echo "tools: unknown tool $tool" >&2; exit 2 ;;
esac
mv "$dest/$tool.part" "$dest/$tool"
echo "tools: built $tool $version in $dest"
