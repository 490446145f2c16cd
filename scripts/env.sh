# Sourced by the other scripts: puts the pnpm that setup.sh installed on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$ROOT/.tools/pnpm/node_modules/.bin/pnpm" ] && [ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]; then
  export PATH="$ROOT/.tools/pnpm/node_modules/.bin:$PATH"
fi
