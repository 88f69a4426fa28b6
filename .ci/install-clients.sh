#!/usr/bin/env bash
# Installs the real TLS clients that scripts/fixtures/refresh.sh captures from; the servers
# and tshark come from install-peers.sh (which keeps their daemons from starting).
# Not part of CI: the tests read the committed fixtures and never run these programs.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
bash "$(dirname "${BASH_SOURCE[0]}")/install-peers.sh"
apt-get update -qq
apt-get install -y --no-install-recommends chromium firefox-esr golang-go gnutls-bin curl wget openssl python3
