#!/usr/bin/env bash
# On the GPU machine: unpacks .npedit/gpu/npedit-gpu.tar.xz (bench/gpu/pack.sh), then runs the DiT
# training-step benchmark in TorchSharp (bench/GeneratorBench) and in PyTorch (bench/generator_bench.py)
# on the same card in the same session, alternating, and writes $OUT/summary.md and $OUT/results.jsonl.
# Peak memory: PyTorch's allocator peak, and for both the peak of nvidia-smi's used memory during the run
# (TorchSharp has no memory statistics, TorchSharp #892/#1521).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
torch_lib="${NPEDIT_LIBTORCH:-/opt/torch/.venv/lib/python3.12/site-packages/torch/lib}"
python="${PYTHON:-/opt/torch/.venv/bin/python}"
out="${OUT:-$root/.npedit/gpu/out}"
work="$(mktemp -d)"
mkdir -p "$out"
tar -C "$work" -xJf "$root/.npedit/gpu/npedit-gpu.tar.xz"
export NPEDIT_LIBTORCH="$torch_lib"
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_ROOT="$work/dotnet"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
results="$out/results.jsonl"
: > "$results"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1 || true

# run IMPL PRESET DTYPE BATCH: one measurement, with the peak of nvidia-smi memory.used sampled every 100 ms.
run() {
  local impl=$1 preset=$2 dtype=$3 batch=$4 log="$work/smi.$$"
  local base; base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$log" 2>/dev/null &
  local smi=$!
  local line
  if [ "$impl" = torchsharp ]; then
    line=$("$work/dotnet/dotnet" "$work/app/GeneratorBench.dll" --preset "$preset" --dtype "$dtype" --batch "$batch" --steps 20 --warmup 5 --device cuda 2>>"$out/stderr.log" | tail -1) || line=""
  else
    line=$("$python" "$root/bench/generator_bench.py" --preset "$preset" --dtype "$dtype" --batch "$batch" --steps 20 --warmup 5 --device cuda 2>>"$out/stderr.log" | tail -1) || line=""
  fi
  kill "$smi" 2>/dev/null || true
  wait "$smi" 2>/dev/null || true
  local peak; peak=$(sort -n "$log" | tail -1)
  if [ -z "$line" ]; then
    echo "{\"impl\":\"$impl\",\"preset\":\"$preset\",\"dtype\":\"$dtype\",\"batch\":$batch,\"error\":\"failed; see stderr.log\"}" >> "$results"
  else
    "$python" -c 'import json,sys; r=json.loads(sys.argv[1]); r["smi_peak_mib"]=int(sys.argv[2])-int(sys.argv[3]); print(json.dumps(r))' "$line" "${peak:-0}" "${base:-0}" >> "$results"
  fi
  tail -1 "$results"
}

for config in "shapes-m float32 32" "shapes-m bfloat16 32" "dit-2b bfloat16 4"; do
  set -- $config
  run pytorch "$1" "$2" "$3"
  run torchsharp "$1" "$2" "$3"
  run pytorch "$1" "$2" "$3"
  run torchsharp "$1" "$2" "$3"
done

"$python" - "$results" "$out/summary.md" "$out/gpu.txt" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
gpu = open(sys.argv[3]).read().strip()
by = collections.defaultdict(lambda: collections.defaultdict(list))
for r in rows:
    by[(r["preset"], r["dtype"], r["batch"])][r["impl"]].append(r)
lines = ["# GeneratorBench on the GPU", "", f"GPU: {gpu}", "",
         "Training step (forward + backward + clip + AdamW) of the same DiT; best of two alternating runs, 20 steps each after 5 warm-up steps.", "",
         "| preset | dtype | batch | params | PyTorch ms/step | TorchSharp ms/step | TorchSharp / PyTorch speed | PyTorch peak alloc GiB | smi peak MiB (PyTorch / TorchSharp) |",
         "|---|---|---|---|---|---|---|---|---|"]
for (preset, dtype, batch), impls in by.items():
    def best(name):
        ok = [r for r in impls.get(name, []) if "error" not in r]
        return min(ok, key=lambda r: r["ms_per_step_mean"]) if ok else None
    p, t = best("pytorch"), best("torchsharp")
    fmt = lambda r, k, f="{:.1f}": f.format(r[k]) if r and r.get(k) is not None else "failed"
    ratio = f"{p['ms_per_step_mean'] / t['ms_per_step_mean']:.3f}" if p and t else "n/a"
    params = (p or t or {}).get("parameters", "?")
    if p and t and p["parameters"] != t["parameters"]:
        params = f"MISMATCH {p['parameters']} vs {t['parameters']}"
    lines.append(f"| {preset} | {dtype} | {batch} | {params} | {fmt(p, 'ms_per_step_mean')} | {fmt(t, 'ms_per_step_mean')} | {ratio} | "
                 f"{fmt(p, 'peak_memory_gib', '{:.2f}')} | {fmt(p, 'smi_peak_mib', '{}')} / {fmt(t, 'smi_peak_mib', '{}')} |")
lines += ["", "Raw rows: results.jsonl; errors: stderr.log."]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
rm -rf "$work"
