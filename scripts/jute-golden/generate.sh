#!/usr/bin/env bash
# Regenerates packages/client/test/wire/fixtures/jute-golden.json from ZooKeeper's own Java jute classes
# (Debian's libzookeeper-java: /usr/share/java/zookeeper.jar and zookeeper-jute.jar). Plain javac, no build
# tool. The output is committed as data; run this again only when a record or a sample value changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jars=/usr/share/java
cp="$jars/zookeeper.jar:$jars/zookeeper-jute.jar:$jars/slf4j-api.jar:$jars/slf4j-nop.jar"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
javac -nowarn -d "$build" -cp "$cp" "$here/JuteGolden.java"
out="$root/packages/client/test/wire/fixtures/jute-golden.json"
mkdir -p "$(dirname "$out")"
java -cp "$build:$cp" JuteGolden > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(grep -c '": "' "$out") records)"
