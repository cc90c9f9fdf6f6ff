#!/usr/bin/env bash
# The investigation of one IAM-user GuardDuty finding, done the way an analyst's script would do it with
# the AWS CLI: one call after another, each CLI invocation a new process. It gathers the same
# information `gd-ir investigate <id> --json` reports, so bench/investigation.ts can time both against
# the same sandbox.
#
# Usage: aws-cli-investigation.sh <endpoint-url> <finding-id> <region> <start-epoch> <end-epoch> <trail-regions…>
#   Credentials come from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); set
#   AWS_CONFIG_FILE=/dev/null and AWS_PAGER='' so nothing from the machine's AWS config interferes.
#   <start-epoch> <end-epoch> is the CloudTrail window (the bench passes the one gd-ir used).
#
# Calls, in order:
#   guardduty list-detectors                          the detector of <region>
#   guardduty get-findings                            the finding: access key, user name
#   guardduty list-findings + get-findings            other open findings about the same user
#   cloudtrail lookup-events (AccessKeyId = key)      per trail region, every page (the CLI follows NextToken)
#   cloudtrail lookup-events (AccessKeyId = ASIA…)    per trail region, for each temporary key minted by the
#                                                     key's GetSessionToken/AssumeRole/GetFederationToken calls
#   iam get-user                                      path, creation, permissions boundary
#   iam list-attached-user-policies                   managed policies, then per policy:
#     iam get-policy + iam get-policy-version           its default version's document
#   iam list-user-policies                            inline policies, then per policy:
#     iam get-user-policy                               its document
#   iam list-groups-for-user                          groups, then per group:
#     iam list-attached-group-policies (+ get-policy + get-policy-version per policy)
#     iam list-group-policies (+ get-group-policy per policy)
#   iam list-access-keys                              the user's keys, then per key:
#     iam get-access-key-last-used                      when, where and for what it was last used
#
# Output: the gathered JSON documents in a temporary directory (removed at exit), and one summary line
# on stdout: "calls=<n> events=<n> derived=<n> policies=<n> keys=<n>".
set -euo pipefail

if [ $# -lt 6 ]; then
  echo "usage: $0 <endpoint-url> <finding-id> <region> <start-epoch> <end-epoch> <trail-regions…>" >&2
  exit 2
fi
endpoint=$1 finding_id=$2 region=$3 start=$4 end=$5
shift 5
trail_regions=("$@")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Counted in a file: most calls run inside $(…), a subshell.
aws_() {
  echo >>"$out/calls"
  aws --endpoint-url "$endpoint" --output json "$@"
}

# --- the finding ---------------------------------------------------------------------------------
detector=$(aws_ guardduty list-detectors --region "$region" | jq -r '.DetectorIds[0]')
aws_ guardduty get-findings --region "$region" --detector-id "$detector" --finding-ids "$finding_id" >"$out/finding.json"
key=$(jq -r '.Findings[0].Resource.AccessKeyDetails.AccessKeyId' "$out/finding.json")
user=$(jq -r '.Findings[0].Resource.AccessKeyDetails.UserName' "$out/finding.json")

# Other open findings about the same user.
criteria=$(jq -nc --arg u "$user" '{Criterion: {"service.archived": {Eq: ["false"]}, "resource.accessKeyDetails.userName": {Eq: [$u]}}}')
aws_ guardduty list-findings --region "$region" --detector-id "$detector" --finding-criteria "$criteria" >"$out/related-ids.json"
mapfile -t related < <(jq -r '.FindingIds[]' "$out/related-ids.json")
if [ ${#related[@]} -gt 0 ]; then
  aws_ guardduty get-findings --region "$region" --detector-id "$detector" --finding-ids "${related[@]}" >"$out/related.json"
fi

# --- what the key did ------------------------------------------------------------------------------
events=0
for r in "${trail_regions[@]}"; do
  aws_ cloudtrail lookup-events --region "$r" --start-time "$start" --end-time "$end" \
    --lookup-attributes "AttributeKey=AccessKeyId,AttributeValue=$key" >"$out/trail-$r.json"
  events=$((events + $(jq '.Events | length' "$out/trail-$r.json")))
done

# Temporary credentials the key minted, and what they did (from their issue time).
derived=0
jq -r 'select(.Events) | .Events[] | select(.EventName == "GetSessionToken" or .EventName == "AssumeRole" or .EventName == "GetFederationToken")
       | .CloudTrailEvent | fromjson | select(.responseElements.credentials.accessKeyId != null)
       | "\(.responseElements.credentials.accessKeyId) \(.eventTime)"' "$out"/trail-*.json | sort -u >"$out/derived.txt"
while read -r asia issued; do
  [ -n "$asia" ] || continue
  derived=$((derived + 1))
  issued_epoch=$(date -u -d "$issued" +%s)
  for r in "${trail_regions[@]}"; do
    aws_ cloudtrail lookup-events --region "$r" --start-time "$issued_epoch" --end-time "$end" \
      --lookup-attributes "AttributeKey=AccessKeyId,AttributeValue=$asia" >"$out/trail-$asia-$r.json"
    events=$((events + $(jq '.Events | length' "$out/trail-$asia-$r.json")))
  done
done <"$out/derived.txt"

# --- what the user can do --------------------------------------------------------------------------
policies=0
aws_ iam get-user --user-name "$user" >"$out/user.json"

managed_policy() { # <arn>: the default version's document
  local arn=$1 version
  version=$(aws_ iam get-policy --policy-arn "$arn" | jq -r '.Policy.DefaultVersionId')
  aws_ iam get-policy-version --policy-arn "$arn" --version-id "$version" >"$out/policy-$policies.json"
  policies=$((policies + 1))
}

boundary=$(jq -r '.User.PermissionsBoundary.PermissionsBoundaryArn // empty' "$out/user.json")
if [ -n "$boundary" ]; then managed_policy "$boundary"; fi

for arn in $(aws_ iam list-attached-user-policies --user-name "$user" | jq -r '.AttachedPolicies[].PolicyArn'); do
  managed_policy "$arn"
done
for name in $(aws_ iam list-user-policies --user-name "$user" | jq -r '.PolicyNames[]'); do
  aws_ iam get-user-policy --user-name "$user" --policy-name "$name" >"$out/policy-$policies.json"
  policies=$((policies + 1))
done
for group in $(aws_ iam list-groups-for-user --user-name "$user" | jq -r '.Groups[].GroupName'); do
  for arn in $(aws_ iam list-attached-group-policies --group-name "$group" | jq -r '.AttachedPolicies[].PolicyArn'); do
    managed_policy "$arn"
  done
  for name in $(aws_ iam list-group-policies --group-name "$group" | jq -r '.PolicyNames[]'); do
    aws_ iam get-group-policy --group-name "$group" --policy-name "$name" >"$out/policy-$policies.json"
    policies=$((policies + 1))
  done
done

# --- the user's keys ------------------------------------------------------------------------------
keys=0
for k in $(aws_ iam list-access-keys --user-name "$user" | jq -r '.AccessKeyMetadata[].AccessKeyId'); do
  aws_ iam get-access-key-last-used --access-key-id "$k" >"$out/key-$k.json"
  keys=$((keys + 1))
done

echo "calls=$(wc -l <"$out/calls") events=$events derived=$derived policies=$policies keys=$keys"
