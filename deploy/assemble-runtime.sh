#!/bin/sh
# Assembles the runtime tree of the container image into OUT: what the built gateway, the built
# subgraphs and the `pactum` bin need at run time, and nothing else: no TypeScript sources, no
# tests, no dev dependencies (the Dockerfile runs `npm prune --omit=dev` before this).
# Run from the repository root after `npm run build`:  deploy/assemble-runtime.sh OUT
#   NODE_MODULES=link  links node_modules instead of copying them (the test of the image layout).
set -eu
out="$1"
mode="${NODE_MODULES:-copy}"
mkdir -p "$out"

copy() { # copy <path relative to the repository root>: the file or folder, or fail
  [ -e "$1" ] || { echo "assemble-runtime: $1 is missing (run npm run build first)" >&2; exit 1; }
  mkdir -p "$out/$(dirname "$1")"
  cp -R "$1" "$out/$1"
}
modules() { # modules <folder>: its node_modules, if it has any
  [ -d "$1/node_modules" ] || return 0
  mkdir -p "$out/$1"
  if [ "$mode" = link ]; then ln -s "$(pwd)/$1/node_modules" "$out/$1/node_modules"; else cp -R "$1/node_modules" "$out/$1/node_modules"; fi
}

copy package.json
modules .
copy policies
rm -rf "$out/policies/tests"
copy subgraphs/subgraphs.yaml
copy schema/supergraph.graphql
copy schema/operations
for ws in gateway schema subgraphs/*/; do
  ws="${ws%/}"
  [ -f "$ws/package.json" ] || continue
  copy "$ws/package.json"
  copy "$ws/dist"
  modules "$ws"
  find "$out/$ws/dist" \( -name '*.d.ts' -o -name '*.map' -o -name '.tsbuildinfo' \) -delete
done
copy gateway/bin
