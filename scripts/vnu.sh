# Sourced by scripts/test.sh: makes sure the pinned W3C Nu HTML checker (vnu.jar) is in the git-ignored .cache/ and
# exports VNU_JAR for the browser tests (tests/browser/conftest.py runs it as a local HTTP service). Downloads the
# npm registry's vnu-jar tarball only when the jar is missing and checks its SHA-256. Needs Java 17+ to run (test.sh
# installs default-jre-headless). Can also be run on its own: bash scripts/vnu.sh. VNU_URL may name a mirror of the
# same tarball; VNU_JAR another place for the jar.
VNU_VERSION=26.9.27
VNU_SHA256=5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
VNU_URL="${VNU_URL:-https://registry.npmjs.org/vnu-jar/-/vnu-jar-$VNU_VERSION.tgz}"
export VNU_JAR="${VNU_JAR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/vnu-$VNU_VERSION/vnu.jar}"

fetch_vnu() (
  set -euo pipefail
  mkdir -p "$(dirname "$VNU_JAR")"
  tmp=$(mktemp -d "$(dirname "$VNU_JAR")/.download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "Downloading the Nu HTML checker $VNU_VERSION from $VNU_URL"
  if command -v curl >/dev/null; then
    curl --fail --silent --show-error --location --retry 3 -o "$tmp/vnu.tgz" "$VNU_URL"
  else
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$VNU_URL" "$tmp/vnu.tgz"
  fi || { echo "ERROR: could not download $VNU_URL (needed by the browser tests' HTML check)" >&2; exit 1; }
  echo "$VNU_SHA256  $tmp/vnu.tgz" | sha256sum --check --quiet - \
    || { echo "ERROR: $VNU_URL does not have the expected SHA-256 $VNU_SHA256" >&2; exit 1; }
  tar -xzf "$tmp/vnu.tgz" -C "$tmp" package/build/dist/vnu.jar
  mv "$tmp/package/build/dist/vnu.jar" "$VNU_JAR"
  echo "Nu HTML checker installed at $VNU_JAR"
)

[ -f "$VNU_JAR" ] || fetch_vnu
