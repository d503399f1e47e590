#!/usr/bin/env bash
# Packs what bench/train-gpu.ts needs on the lent GPU machine, which has no Node.js and no network,
# into .device-bundle/ (git-ignored; pass it as a carried path): this machine's Node binary, the
# runtime packages (bench/gpu/runtime-packages.js) without source maps, type declarations, browser
# bundles or other platforms' binaries, and Debian 12's Vulkan loader and GL-dispatch libraries that
# Dawn needs on the GPU machine. Run from the repository root after `npm install`.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device-bundle
rm -rf "$out/debs" "$out/node_modules.tar.xz" && mkdir -p "$out/debs"

# Node compresses slowly (about a minute): kept from an earlier pack of the same binary.
if [ ! -s "$out/node.xz" ] || [ "$(command -v node)" -nt "$out/node.xz" ]; then xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"; fi

tensorflow_keep() { # a @tensorflow package: its package.json, the Node bundle (its main) and wasm binaries
  local dir=$1 main
  main=$(node -p "require('./$dir/package.json').main")
  echo "$dir/package.json"; echo "$dir/$main"
  find "$dir/dist" -maxdepth 1 -name '*.wasm' 2>/dev/null || true
}
{
  for dir in $(node bench/gpu/runtime-packages.js); do
    case "$dir" in
      node_modules/@tensorflow/*/node_modules/*) find "$dir" -type f ! -name "*.map" ! -name "*.d.ts" ;;
      node_modules/@tensorflow/*) tensorflow_keep "$dir" ;;
      node_modules/webgpu) echo "$dir/package.json"; echo "$dir/index.js"; echo "$dir/dist/linux-x64/dawn.node" ;;
      *) find "$dir" -type f ! -name '*.map' ! -name '*.d.ts' ! -name '*.md' ;;
    esac
  done
} > "$out/files.txt"
tar -cf - -T "$out/files.txt" | xz -T0 -6 > "$out/node_modules.tar.xz"

# Debian 12 (bookworm) amd64 packages, fetched through apt like any Debian package download.
lists=$(mktemp -d)
apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists="$lists")
mkdir -p "$lists/partial"
apt-get "${apt_opts[@]}" update -qq
(cd "$out/debs" && apt-get "${apt_opts[@]}" download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
rm -rf "$lists"
du -sh "$out"/* | sed 's/^/packed: /'
