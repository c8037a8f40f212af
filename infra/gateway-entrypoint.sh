#!/bin/sh
# Entry point of the im-server container on ECS Fargate. Connection records carry the URL of the
# node's @connections API, which push functions call directly: it must be this task's own private
# address, not the load balancer's. Fargate publishes it in the task metadata (endpoint v4).
set -eu
if [ -z "${IM_CONNECTIONS_URL:-}" ] && [ -n "${ECS_CONTAINER_METADATA_URI_V4:-}" ]; then
  ip=$(curl -fsS --max-time 2 "$ECS_CONTAINER_METADATA_URI_V4" \
    | tr -d '\n ' | sed -n 's/.*"IPv4Addresses":\["\([0-9.]*\)".*/\1/p')
  if [ -n "$ip" ]; then
    IM_CONNECTIONS_URL="http://$ip:${IM_CONNECTIONS_ADDR##*:}"
    export IM_CONNECTIONS_URL
  else
    echo "gateway-entrypoint: no task IPv4 address in the ECS metadata" >&2
  fi
fi
exec /usr/local/bin/im-server "$@"
