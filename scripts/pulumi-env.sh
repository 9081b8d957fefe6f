#!/usr/bin/env bash
# Provision a Pulumi CLI (>= 3.221) and a Node.js language host for agentguard.
#
#   eval "$(npm run --silent pulumi:env)"
#
# prints only `export PATH=...` lines on stdout; progress and errors go to stderr.
#
# 1. If a `pulumi` >= 3.221 is already on PATH and a `pulumi-language-nodejs` sits next
#    to it (or is elsewhere on PATH), use them.
# 2. Otherwise use (building on first use) v3.274.1 in a cache outside the repository:
#    ${AGENTGUARD_CACHE:-$HOME/.cache/agentguard}/pulumi/v3.274.1/bin/ holding
#      pulumi                         built from tools/pulumi-cli (go.mod/go.sum pinned)
#      pulumi-language-nodejs         built from tools/pulumi-language-nodejs (our minimal host)
#      pulumi-resource-pulumi-nodejs  launcher for Node.js dynamic providers
#    Cached binaries are reused when they run and report v3.274.1; the language host is
#    also rebuilt when its sources change. See tools/README.md.
set -euo pipefail

PULUMI_VERSION=v3.274.1
MIN_VERSION=3.221.0

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${AGENTGUARD_CACHE:-$HOME/.cache/agentguard}
bin=$cache/pulumi/$PULUMI_VERSION/bin

log() { printf 'pulumi-env: %s\n' "$*" >&2; }
die() {
  printf 'pulumi-env: error: %s\n' "$*" >&2
  exit 1
}

# semver_ge A B: true when version A >= version B (leading "v" and suffixes ignored).
semver_ge() {
  local a b i
  IFS=. read -r -a a <<<"$(sed -E 's/^v//; s/[-+].*$//' <<<"$1")"
  IFS=. read -r -a b <<<"$(sed -E 's/^v//; s/[-+].*$//' <<<"$2")"
  for i in 0 1 2; do
    if ((10#${a[i]:-0} > 10#${b[i]:-0})); then return 0; fi
    if ((10#${a[i]:-0} < 10#${b[i]:-0})); then return 1; fi
  done
  return 0
}

# version_of BIN [ARGS...]: first vX.Y.Z-looking token printed by BIN, or nothing.
version_of() {
  PULUMI_SKIP_UPDATE_CHECK=true "$@" 2>/dev/null </dev/null |
    grep -Eo 'v?[0-9]+\.[0-9]+\.[0-9]+[^[:space:]]*' | head -n1 || true
}

emit_path() {
  local dir
  for dir in "$@"; do
    printf 'export PATH=%q:"$PATH"\n' "$dir"
  done
}

sha256_of_files() {
  if command -v sha256sum >/dev/null 2>&1; then
    cat "$@" | sha256sum | cut -d' ' -f1
  else
    cat "$@" | shasum -a 256 | cut -d' ' -f1
  fi
}

# --- 1. an adequate pulumi already on PATH ------------------------------------------
if existing=$(command -v pulumi 2>/dev/null) && [[ -x $existing ]]; then
  v=$(version_of "$existing" version)
  if [[ -n $v ]] && semver_ge "$v" "$MIN_VERSION"; then
    pdir=$(dirname "$existing")
    if [[ -x $pdir/pulumi-language-nodejs ]]; then
      log "using pulumi $v and pulumi-language-nodejs from $pdir"
      emit_path "$pdir"
      exit 0
    elif lh=$(command -v pulumi-language-nodejs 2>/dev/null); then
      log "using pulumi $v from $pdir and pulumi-language-nodejs from $(dirname "$lh")"
      emit_path "$(dirname "$lh")" "$pdir"
      exit 0
    fi
    log "pulumi $v on PATH has no pulumi-language-nodejs; using $PULUMI_VERSION from the cache"
  elif [[ -n $v ]]; then
    log "pulumi $v on PATH is older than $MIN_VERSION; using $PULUMI_VERSION from the cache"
  fi
fi

# --- 2. the cache -------------------------------------------------------------------
cli_src=$repo/tools/pulumi-cli
host_src=$repo/tools/pulumi-language-nodejs
[[ -f $cli_src/go.mod && -f $host_src/go.mod ]] ||
  die "cannot provision pulumi: tools/pulumi-cli or tools/pulumi-language-nodejs is missing from $repo."

mkdir -p "$bin" || die "cannot provision pulumi: cannot create the cache directory $bin."

host_files=()
while IFS= read -r f; do host_files+=("$f"); done < <(cd "$host_src" && ls go.mod go.sum *.go 2>/dev/null | LC_ALL=C sort)
host_hash=$(cd "$host_src" && sha256_of_files "${host_files[@]}")
host_stamp=$bin/.pulumi-language-nodejs.sha256

need_cli=1
need_host=1
[[ -x $bin/pulumi && $(version_of "$bin/pulumi" version) == "$PULUMI_VERSION" ]] && need_cli=0
if [[ -x $bin/pulumi-language-nodejs && $(version_of "$bin/pulumi-language-nodejs" -version) == "$PULUMI_VERSION" &&
  -f $host_stamp && $(cat "$host_stamp") == "$host_hash" ]]; then
  need_host=0
fi

if ((need_cli || need_host)); then
  command -v go >/dev/null 2>&1 ||
    die "cannot provision pulumi: no pulumi >= $MIN_VERSION with pulumi-language-nodejs on PATH and no Go toolchain to build $PULUMI_VERSION (install Go >= 1.26.6, or install Pulumi with: curl -fsSL https://get.pulumi.com | sh)."
  ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
  # Builds use the committed go.mod/go.sum as they are (-mod=readonly) and leave no
  # output in the repository (-o points into the cache).
  export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false"
fi

if ((need_cli)); then
  log "building pulumi $PULUMI_VERSION into $bin (first build takes several minutes) ..."
  start=$SECONDS
  tmp=$bin/.pulumi.tmp.$$
  if ! go -C "$cli_src" build -o "$tmp" -ldflags "$ldflags" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2; then
    rm -f "$tmp"
    die "cannot provision pulumi: building pulumi $PULUMI_VERSION from tools/pulumi-cli failed (see the Go output above)."
  fi
  mv -f "$tmp" "$bin/pulumi"
  log "built pulumi in $((SECONDS - start))s"
  [[ $(version_of "$bin/pulumi" version) == "$PULUMI_VERSION" ]] ||
    die "cannot provision pulumi: the freshly built $bin/pulumi does not report $PULUMI_VERSION."
fi

if ((need_host)); then
  log "building pulumi-language-nodejs $PULUMI_VERSION into $bin ..."
  start=$SECONDS
  tmp=$bin/.pulumi-language-nodejs.tmp.$$
  if ! go -C "$host_src" build -o "$tmp" -ldflags "$ldflags" . >&2; then
    rm -f "$tmp"
    die "cannot provision pulumi: building the Node.js language host from tools/pulumi-language-nodejs failed (see the Go output above)."
  fi
  mv -f "$tmp" "$bin/pulumi-language-nodejs"
  printf '%s\n' "$host_hash" >"$host_stamp"
  log "built pulumi-language-nodejs in $((SECONDS - start))s"
  [[ $(version_of "$bin/pulumi-language-nodejs" -version) == "$PULUMI_VERSION" ]] ||
    die "cannot provision pulumi: the freshly built $bin/pulumi-language-nodejs does not report $PULUMI_VERSION."
fi

# The dynamic provider launcher: runs the @pulumi/pulumi of the program (the engine
# starts provider plugins in the program directory).
launcher=$(
  cat <<'EOF'
#!/bin/sh
# pulumi-resource-pulumi-nodejs: Pulumi dynamic provider launcher (written by agentguard's
# scripts/pulumi-env.sh). Runs @pulumi/pulumi/cmd/dynamic-provider of the program in the
# current directory.
sdk=$(node -e 'process.stdout.write(require("path").dirname(require.resolve("@pulumi/pulumi/package.json", {paths: [process.cwd()]})))') || {
  echo "pulumi-resource-pulumi-nodejs: cannot find @pulumi/pulumi from $(pwd); run npm install there" >&2
  exit 1
}
exec node "$sdk/cmd/dynamic-provider" "$@"
EOF
)
if [[ ! -x $bin/pulumi-resource-pulumi-nodejs || $(cat "$bin/pulumi-resource-pulumi-nodejs") != "$launcher" ]]; then
  printf '%s\n' "$launcher" >"$bin/.pulumi-resource-pulumi-nodejs.tmp.$$"
  chmod 0755 "$bin/.pulumi-resource-pulumi-nodejs.tmp.$$"
  mv -f "$bin/.pulumi-resource-pulumi-nodejs.tmp.$$" "$bin/pulumi-resource-pulumi-nodejs"
fi

command -v node >/dev/null 2>&1 || log "warning: node is not on PATH; Node.js programs and policy packs need it."

log "using pulumi $PULUMI_VERSION from $bin"
emit_path "$bin"
