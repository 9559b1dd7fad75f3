#!/usr/bin/env bash
# Installs everything zookit needs on a fresh Debian 12 machine, idempotently: pnpm, Debian's ZooKeeper
# and Curator jars (for the local test servers and the Java interop tests), and the workspace's
# dependencies (which compiles the native `zookeeper` binding). Safe to run again; does nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
[ -f /usr/share/java/zookeeper.jar ] || apt_packages+=(zookeeper)
[ -f /usr/share/java/curator-recipes.jar ] || apt_packages+=(libcurator-framework-java libcurator-recipes-java)
command -v javac >/dev/null 2>&1 || apt_packages+=(default-jdk-headless)
command -v openssl >/dev/null 2>&1 || apt_packages+=(openssl)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${apt_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
# Debian's package may register a system service; the tests start their own servers on free ports.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet zookeeper 2>/dev/null; then
  as_root systemctl disable --now zookeeper >/dev/null 2>&1 || true
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
fi

# node-gyp builds the binding against the machine's own Node headers when they are installed.
if [ -f /usr/include/node/node.h ] && [ -z "${npm_config_nodedir:-}" ]; then export npm_config_nodedir=/usr; fi
pnpm install --frozen-lockfile --reporter=silent
node -e "require('$(pwd)/node_modules/.pnpm/node_modules/zookeeper')" 2>/dev/null \
  || { echo "setup: the native zookeeper binding did not build" >&2; exit 1; }
