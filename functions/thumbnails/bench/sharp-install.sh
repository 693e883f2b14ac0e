# Sourced by the sharp comparison scripts: installs npm's sharp (it ships its own libvips) into a scratch folder
# outside the repository, once. Environment: SHARP_DIR (default ~/.cache/media-suite-sharp), SHARP_VERSION
# (default 0.34.5). Exports SHARP_DIR for the node scripts.
export SHARP_DIR="${SHARP_DIR:-$HOME/.cache/media-suite-sharp}"
if [ ! -d "$SHARP_DIR/node_modules/sharp" ]; then
  mkdir -p "$SHARP_DIR"
  npm install --prefix "$SHARP_DIR" --no-save --no-audit --no-fund "sharp@${SHARP_VERSION:-0.34.5}" >&2
fi
