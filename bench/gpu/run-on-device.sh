#!/usr/bin/env bash
# Runs bench/train-gpu.ts on the lent NVIDIA machine from the repository root, with
# .device-bundle/ (bench/gpu/pack-device-bundle.sh) carried along: unpacks Node and the runtime
# packages, installs the Vulkan/GL-dispatch libraries with dpkg -x (no package manager run), points
# the Vulkan loader at the NVIDIA driver's ICD, then runs the bench with any arguments given, or,
# with `--exec CMD ARGS…`, that command (e.g. `--exec node -r ./project/register-ts.js pipelines/demo.ts`).
set -euo pipefail
bundle=.device-bundle
work=$(mktemp -d)
xz -dc "$bundle/node.xz" > "$work/node" && chmod +x "$work/node"
export PATH="$work:$PATH"
if [ ! -d node_modules/@tensorflow/tfjs ]; then xz -dc "$bundle/node_modules.tar.xz" | tar -xf -; fi
for deb in "$bundle"/debs/*.deb; do dpkg -x "$deb" /; done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
export XDG_RUNTIME_DIR="$work/xdg" && mkdir -m 700 -p "$XDG_RUNTIME_DIR"
node --version
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
if [ "${1:-}" = --exec ]; then shift; exec "$@"; fi
exec node -r ./project/register-ts.js bench/train-gpu.ts "$@"
