# Sourced by the scripts that run `chorus conform` against Chorus (scripts/conformance.sh,
# scripts/cluster-smoke.sh): the apps every capability needs, so no case is skipped — a second app,
# a disabled app, a rate-limited app, one with client events disabled, one with subscription counts, one
# allowing the origins https://*.allowed.test only, and history on `hist-*` channels of the first with
# push on it, and delta conflation on `conflated-*` channels keyed by `symbol`.
#   conformance_apps_yaml      prints the configuration's `apps:` section
#   "${conformance_apps[@]}"   the matching `chorus conform` app arguments
conformance_apps_yaml() {
    cat <<'YAML'
apps:
  - {id: 1, key: chorus-key, secret: chorus-secret, history: {enabled: true, channels: ["hist-*"]}, push: {enabled: true}, channel_delta_compression: {"conflated-*": {conflation_key: symbol}}}
  - {id: 2, key: second-key, secret: second-secret}
  - {id: 3, key: disabled-key, secret: disabled-secret, enabled: false}
  - {id: 4, key: limited-key, secret: limited-secret, max_api_requests_per_window: 5, api_rate_limit_window_seconds: 60}
  - {id: 5, key: quiet-key, secret: quiet-secret, client_events_enabled: false}
  - {id: 6, key: counting-key, secret: counting-secret, subscription_count_enabled: true}
  - {id: 7, key: origins-key, secret: origins-secret, allowed_origins: ["https://*.allowed.test"]}
YAML
}

conformance_apps=(
    --app-id 1 --key chorus-key --secret chorus-secret
    --second-app 2:second-key:second-secret
    --disabled-app 3:disabled-key:disabled-secret
    --rate-limited-app 4:limited-key:limited-secret --api-rate-limit 5
    --no-client-events-app 5:quiet-key:quiet-secret
    --subscription-count-app 6:counting-key:counting-secret
    --origins-app 7:origins-key:origins-secret
    --capabilities conflation
)
