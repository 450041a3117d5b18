#!/usr/bin/env bash
# Starts the print-server notification container in the foreground.
# Builds it first when the jar is missing (or when called with --build). Honours JAVA_OPTS.
# Configuration: conf/*.cfg (applied while running); state: var/ (outbox, tokens, pickup, framework cache).
set -euo pipefail
cd "$(dirname "$0")"
jar=notification.app/target/app.jar
if [ ! -f "$jar" ] || [ "${1:-}" = "--build" ]; then
  echo "Building the container (mvn -DskipTests install)..."
  mvn -q -B -DskipTests install
fi
mkdir -p conf var
echo "Starting the container: console on http://localhost:9191/system/console/notifications"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar"
