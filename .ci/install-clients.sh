#!/usr/bin/env bash
# Installs the real TLS clients and servers that scripts/fixtures/refresh.sh captures from.
# Not part of CI: the tests read the committed fixtures and never run these programs.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y --no-install-recommends \
  chromium firefox-esr golang-go gnutls-bin curl wget openssl python3 caddy nginx-light tshark
