#!/usr/bin/env bash
# End-to-end check of the simulators with a real Pulumi CLI and a local backend:
# preview, up, refresh, preview (no changes), change + up, destroy.
#   bash test/simulators/smoke/e2e.sh     (needs scripts/pulumi-env.sh or pulumi on PATH)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
if ! command -v pulumi >/dev/null; then eval "$(bash "$repo/scripts/pulumi-env.sh")"; fi
export PATH="$repo/test/simulators/bin:$PATH"

tmp="$(mktemp -d /tmp/agentguard-sim-e2e.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export PULUMI_BACKEND_URL="file://$tmp/state" PULUMI_CONFIG_PASSPHRASE=x PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$tmp/home"
mkdir -p "$tmp/state" "$tmp/prog"
cp "$here/program/index.js" "$tmp/prog/"
ln -s "$repo/node_modules" "$tmp/prog/node_modules"
printf 'name: sim-e2e\nruntime: nodejs\nmain: index.js\n' >"$tmp/prog/Pulumi.yaml"
printf '{"name": "sim-e2e", "private": true, "main": "index.js"}\n' >"$tmp/prog/package.json"
cd "$tmp/prog"

step() { echo; echo "=== $*"; }
out() { pulumi stack output --json --show-secrets | jq -r "$1"; }
expect() { [ "$1" = "$2" ] || { echo "FAIL: expected '$2', got '$1'"; exit 1; }; echo "ok: $3"; }

echo "simulators: $(command -v pulumi-resource-aws) $(command -v pulumi-resource-cloudflare)"
pulumi version
pulumi stack init dev >/dev/null
pulumi config set aws:region us-west-2
pulumi config set --path aws:defaultTags.tags.owner platform

step "pulumi preview"
pulumi preview --non-interactive --diff
step "pulumi up --yes"
pulumi up --yes --non-interactive
expect "$(out .bucketTagsAll.owner)/$(out .bucketTagsAll.stage)" "platform/v1" "bucket tagsAll = defaultTags + tags"
expect "$(out .bucketArn)" "arn:aws:s3:us-west-2:123456789012:bucket/acme-logs" "bucket arn (default provider)"
expect "$(out .roleArn)" "arn:aws:iam:eu-west-1:111111111111:role/deployer-v1" "role arn (explicit provider)"
expect "$(out .roleTagsAll)" "none" "explicit provider has no default tags"
expect "$(out .account)/$(out .prodAccount)" "123456789012/111111111111" "getCallerIdentity per provider"
expect "$(out .recordZoneId)" "$(out .zoneId)" "dns record uses getZone's zoneId"
expect "$(out .recordContent)" "$(out .bucketId).s3.amazonaws.com" "dns record content from bucket id"
expect "$(pulumi stack output --json | jq -r .tokenValue)" "[secret]" "token value is secret"
bucket_id="$(out .bucketId)"
ids_before="$(pulumi stack export | jq -c '[.deployment.resources[] | .id] | sort')"

step "pulumi refresh --yes"
pulumi refresh --yes --non-interactive
step "pulumi preview (expect no changes)"
pulumi preview --non-interactive --expect-no-changes
expect "$(pulumi stack export | jq -c '[.deployment.resources[] | .id] | sort')" "$ids_before" "ids unchanged by refresh"

step "change (stage=v2: bucket tags update, role name replace) + pulumi up --yes"
pulumi config set stage v2
pulumi preview --non-interactive --diff
pulumi up --yes --non-interactive
expect "$(out .bucketTagsAll.stage)" "v2" "bucket updated in place"
expect "$(out .bucketId)" "$bucket_id" "bucket id kept"
expect "$(out .roleArn)" "arn:aws:iam:eu-west-1:111111111111:role/deployer-v2" "role replaced"
pulumi preview --non-interactive --expect-no-changes >/dev/null && echo "ok: no changes after update"

step "pulumi destroy --yes"
pulumi destroy --yes --non-interactive
expect "$(pulumi stack export | jq '.deployment.resources // [] | length')" "0" "stack empty"
echo; echo "e2e: all steps passed"
