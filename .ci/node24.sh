# Sourced by .ci/run: puts Node.js 24 first on PATH, from the `node` package of the npm registry
# (no other download site is needed). Installed once into a cache folder outside the repository.
NODE24_DIR="${TANDEM_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tandem-tools}/node24"
if ! "$NODE24_DIR/node_modules/node/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-audit --no-fund --no-save --loglevel=error node@24 >/dev/null
fi
export PATH="$NODE24_DIR/node_modules/node/bin:$PATH"
echo "node $(node --version) from $NODE24_DIR"
