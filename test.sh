#!/usr/bin/env bash
# Runs every test (mvn -B verify, with any extra Maven arguments given), after installing the Debian packages the
# tests use when they are missing: postfix (its smtp-sink test server), chromium and chromium-driver (the console in
# a browser), postgresql (the shared outbox). Uses sudo when not run as root. ./run.sh needs none of them.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v smtp-sink >/dev/null 2>&1 || [ -x /usr/sbin/smtp-sink ] || need+=(postfix)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test.sh: ${need[*]} missing; run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "test.sh: installing the Debian packages the tests need: ${need[*]}"
  # postfix asks how to configure the mail system; the tests only run its standalone smtp-sink
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

exec mvn -B verify "$@"
