#!/usr/bin/env bash
# Packs bench/GeneratorBench and bench/TrainStepBench (Release, framework-dependent) and the .NET runtime it needs into
# .npedit/gpu/npedit-gpu.tar.xz (limit 64 MB) for a GPU machine that has PyTorch but no .NET.
# The CPU libtorch is left out: on the GPU machine the CUDA libtorch of the PyTorch install is used
# (NPEDIT_LIBTORCH, see /work/shared/notes/gpu-and-native.md §3–4). Run from the repository root:
#   bench/gpu/pack.sh        then, on the GPU machine:   bench/gpu/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.npedit/gpu"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/app" "$stage/dotnet"

dotnet build "$root/bench/GeneratorBench/GeneratorBench.csproj" -c Release -o "$stage/app" --nologo -v quiet
dotnet build "$root/bench/TrainStepBench/TrainStepBench.csproj" -c Release -o "$stage/app" --nologo -v quiet   # bench/gpu/stepbench.sh
# Only linux-x64 natives are needed, and of TorchSharp's only its glue library (libLibTorchSharp.so):
# libtorch itself comes from the PyTorch install.
find "$stage/app/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
find "$stage/app/runtimes/linux-x64/native" -type f ! -name 'libLibTorchSharp.so' -delete 2>/dev/null || true

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fx="$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/* | sort -V | tail -1)"
fxr="$(ls -d "$dotnet_root"/host/fxr/* | sort -V | tail -1)"
cp "$dotnet_root/dotnet" "$stage/dotnet/"
mkdir -p "$stage/dotnet/host/fxr" "$stage/dotnet/shared/Microsoft.NETCore.App"
cp -r "$fxr" "$stage/dotnet/host/fxr/"
cp -r "$fx" "$stage/dotnet/shared/Microsoft.NETCore.App/"

tar -C "$stage" -cJf "$out/npedit-gpu.tar.xz" app dotnet
rm -rf "$stage"
size=$(stat -c %s "$out/npedit-gpu.tar.xz")
echo "wrote $out/npedit-gpu.tar.xz ($((size / 1024 / 1024)) MB)"
if [ "$size" -gt $((64 * 1024 * 1024)) ]; then
  echo "pack.sh: the pack is over 64 MB; it cannot travel to the GPU machine." >&2
  exit 1
fi
