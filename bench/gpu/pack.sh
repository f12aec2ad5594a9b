#!/usr/bin/env bash
# Packs what a GPU session runs into .npedit/gpu/npedit-gpu.tar.xz (limit 64 MB): the benches (GeneratorBench,
# CriticBench, TrainStepBench when present, CriticLab, T2ILab) and the npedit CLI, each a Release framework-dependent build in its
# own folder, plus the .NET runtime they need (Microsoft.NETCore.App and, for the CLI, Microsoft.AspNetCore.App).
# The GPU machine has PyTorch but no .NET; its CUDA libtorch is used (NPEDIT_LIBTORCH, shared/notes/gpu-and-native.md
# §3–4), so the CPU libtorch is left out. Run from anywhere:
#   bench/gpu/pack.sh        then, on the GPU machine:   bench/gpu/session.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.npedit/gpu"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/dotnet"

declare -A apps=(
  [GeneratorBench]="bench/GeneratorBench/GeneratorBench.csproj"
  [CriticBench]="bench/CriticBench/CriticBench.csproj"
  [TrainStepBench]="bench/TrainStepBench/TrainStepBench.csproj"
  [CriticLab]="bench/CriticLab/CriticLab.csproj"
  [T2ILab]="bench/T2ILab/T2ILab.csproj"
  [npedit]="src/Jobs/NpEdit.Jobs.csproj"
)
# PACK_APPS="T2ILab npedit" packs only those (a quicker pack for a smoke test of one session part).
for app in "${!apps[@]}"; do
  [ -z "${PACK_APPS:-}" ] || [[ " $PACK_APPS " == *" $app "* ]] || continue
  project="$root/${apps[$app]}"
  [ -f "$project" ] || { echo "pack.sh: $app skipped (${apps[$app]} does not exist)"; continue; }
  dotnet build "$project" -c Release -o "$stage/$app" --nologo -v quiet
  # Only linux-x64 natives, and none of the CPU libtorch: the PyTorch install provides libtorch there.
  find "$stage/$app/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
  find "$stage/$app/runtimes/linux-x64/native" -type f \( -name 'libtorch*' -o -name 'libc10*' -o -name 'libgomp*' \
    -o -name 'libshm.so' -o -name 'libaoti*' -o -name 'libbackend_with_compiler.so' -o -name 'libjitbackend_test.so' \
    -o -name 'libnnapi_backend.so' \) -delete 2>/dev/null || true
done

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fxr="$(ls -d "$dotnet_root"/host/fxr/* | sort -V | tail -1)"
cp "$dotnet_root/dotnet" "$stage/dotnet/"
mkdir -p "$stage/dotnet/host/fxr" "$stage/dotnet/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/Microsoft.AspNetCore.App"
cp -r "$fxr" "$stage/dotnet/host/fxr/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  cp -r "$(ls -d "$dotnet_root/shared/$framework"/* | sort -V | tail -1)" "$stage/dotnet/shared/$framework/"
done

# The apps share most assemblies: hard-link identical files so tar stores each once.
python3 - "$stage" <<'PY'
import hashlib, os, sys
seen = {}
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if digest in seen:
            os.remove(path)
            os.link(seen[digest], path)
        else:
            seen[digest] = path
PY
tar -C "$stage" -cf - . | xz -T0 -6 > "$out/npedit-gpu.tar.xz"
rm -rf "$stage"
size=$(stat -c %s "$out/npedit-gpu.tar.xz")
echo "wrote $out/npedit-gpu.tar.xz ($((size / 1024 / 1024)) MB)"
if [ "$size" -gt $((60 * 1024 * 1024)) ]; then
  echo "pack.sh: the pack is over 60 MB; with the working tree it cannot travel to the GPU machine (64 MB)." >&2
  exit 1
fi
