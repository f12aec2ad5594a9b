#!/usr/bin/env bash
# On the GPU machine: one full NP-Edit training step (G_θ two passes + critic + teacher + A_φ + N_aux = 10 A_φ updates),
# TorchSharp (bench/TrainStepBench, the real NpEditTrainer.Step) against PyTorch (bench/train_step_bench.py), alternating,
# on the same card. Needs .npedit/gpu/npedit-gpu.tar.xz from bench/gpu/pack.sh (which also builds TrainStepBench).
# Appends one JSON line per run to $OUT/stepbench.jsonl (with the nvidia-smi peak of used memory; TorchSharp has no
# allocator statistics) and writes $OUT/stepbench.md; under bench/gpu/session.sh (GPU_WORK set) it appends to the
# session's results.jsonl and leaves stepbench.md in its logs. Each run is bounded by `timeout`; the whole by ≈ 240 s.
# BENCH_DEVICE=cpu runs the same commands on the CPU (a smoke test of this script where there is no GPU; with
# STEPBENCH_SMALL / STEPBENCH_LARGE set to small presets and STEPBENCH_MAX_BATCH=0, see bench/RESULTS.md).
#   bench/gpu/pack.sh            then, on the GPU machine:   bench/gpu/session.sh stepbench   (or bench/gpu/stepbench.sh)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-$(command -v python3)}"
out="${OUT:-$root/.npedit/gpu/out}"
if [ -n "${GPU_WORK:-}" ]; then
  # Called by bench/gpu/session.sh stepbench: the pack is unpacked and the environment set; rows go to its results.jsonl.
  work="$GPU_WORK"; keep_work=1
  results="${MEASURE_RESULTS:-$out/stepbench.jsonl}"
  report="$work/logs/stepbench.md"; errors="$work/logs/stepbench.stderr"
else
  torch_lib="${NPEDIT_LIBTORCH:-$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)}"
  work="$(mktemp -d)"; keep_work=0
  mkdir -p "$out"
  tar -C "$work" -xJf "$root/.npedit/gpu/npedit-gpu.tar.xz" || { echo "stepbench: cannot unpack .npedit/gpu/npedit-gpu.tar.xz; run bench/gpu/pack.sh first" >&2; exit 1; }
  export NPEDIT_LIBTORCH="$torch_lib"
  export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export DOTNET_ROOT="$work/dotnet"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1
  results="$out/stepbench.jsonl"
  report="$out/stepbench.md"; errors="$out/stepbench.stderr.log"
fi
mkdir -p "$(dirname "$results")" "$(dirname "$report")"
touch "$results"
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1)"
started=$SECONDS

# run SECONDS IMPL ARGS...: one measurement bounded by `timeout`, with the peak of nvidia-smi memory.used (every 100 ms).
run() {
  local limit=$1 impl=$2; shift 2
  local log="$work/smi.$impl.$SECONDS" base line
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$log" 2>/dev/null &
  local smi=$!
  echo "== $impl $* (limit ${limit}s, at $((SECONDS - started))s)" >> "$errors"
  if [ "$impl" = torchsharp ]; then
    line=$(timeout "$limit" "$work/dotnet/dotnet" "$work/TrainStepBench/TrainStepBench.dll" --device "${BENCH_DEVICE:-cuda}" "$@" 2>>"$errors" | tail -1)
  else
    line=$(timeout "$limit" "$python" "$root/bench/train_step_bench.py" --device "${BENCH_DEVICE:-cuda}" "$@" 2>>"$errors" | tail -1)
  fi
  local rc=$?
  kill "$smi" 2>/dev/null; wait "$smi" 2>/dev/null
  local peak; peak=$(sort -n "$log" | tail -1)
  case "$line" in
    \{*) ;;
    *) line="{\"side\":\"$impl\",\"error\":\"no JSON line (exit $rc; 124 = timeout); see stepbench.stderr\"}" ;;
  esac
  # part and command: the keys bench/gpu/session.sh's summary reads.
  "$python" -c 'import json,sys; r=json.loads(sys.argv[1]); r["part"]="stepbench"; r["command"]=sys.argv[5]+" "+sys.argv[4]; r["args"]=sys.argv[4]; r["smi_peak_mib"]=int(sys.argv[2] or 0)-int(sys.argv[3] or 0); print(json.dumps(r))' \
    "$line" "${peak:-0}" "${base:-0}" "$*" "$impl" >> "$results" || echo "$line" >> "$results"
  tail -1 "$results"
}

small="${STEPBENCH_SMALL:---preset shapes-m --critic shapes-mini --batch 4 --steps 5 --warmup 2}"
large="${STEPBENCH_LARGE:---preset dit-2b --critic llava-ov-0.5b --dtype bfloat16 --batch 1 --steps 3 --warmup 1}"
# The TorchSharp side once per Adam of G_θ and A_φ: FlatAdam (the default, optim.implementation flat) and optim.Adam
# (STEPBENCH_OPTIMIZERS for shapes-m, STEPBENCH_LARGE_OPTIMIZERS for dit-2b).
# STEPBENCH_SIZES picks what runs (default both): "small" (shapes-m, fp32 and bf16) and/or "large" (dit-2b).
sizes=" ${STEPBENCH_SIZES:-small large} "
if [[ "$sizes" == *" small "* ]]; then
  run 40 pytorch $small --dtype float32
  for optimizer in ${STEPBENCH_OPTIMIZERS:-flat torch}; do run 40 torchsharp $small --dtype float32 --optimizer "$optimizer"; done
  run 30 pytorch $small --dtype bfloat16
  for optimizer in ${STEPBENCH_OPTIMIZERS:-flat torch}; do run 30 torchsharp $small --dtype bfloat16 --optimizer "$optimizer"; done
fi
if [[ "$sizes" == *" large "* ]]; then
  run 75 pytorch $large
  for optimizer in ${STEPBENCH_LARGE_OPTIMIZERS:-flat torch}; do run 75 torchsharp $large --optimizer "$optimizer"; done
  # Prints a JSON line after each batch that ran, so a timeout still leaves the largest batch reached.
  [ "${STEPBENCH_MAX_BATCH:-1}" = 1 ] && run 50 torchsharp --preset dit-2b --critic llava-ov-0.5b --dtype bfloat16 --batch 1 --find-max-batch --batch-limit 16
fi

"$python" - "$results" "$report" "$gpu" <<'PY' || true
import json, sys
rows = [r for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()) if r.get("part") == "stepbench"]
lines = ["# One full NP-Edit training step on the GPU (bench/gpu/stepbench.sh)", "", "GPU: " + sys.argv[3].strip(), "",
         "| side | Adam | preset | critic | dtype | batch | gen params | critic params | ms/step | PyTorch peak GiB | smi peak MiB | note |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    note = (r["error"] + " [" + r.get("args", "") + "]" if "error" in r else "") or (f"max batch {r.get('max_batch')} ({r.get('ms_per_step_at_max')} ms/step); failed at {r.get('failed_batch')}: {r.get('failure', '')[:80]}"
                              if r.get("find_max_batch") else "")
    lines.append(f"| {r.get('side')} | {r.get('optimizer', '')} | {r.get('preset', '')} | {r.get('critic', '')} | {r.get('dtype', '')} | {r.get('batch', '')} | "
                 f"{r.get('gen_params', '')} | {r.get('critic_params', '')} | {r.get('ms_per_step', '')} | {r.get('peak_gib', '')} | "
                 f"{r.get('smi_peak_mib', '')} | {note} |")
pairs = {}
for r in rows:
    if "ms_per_step" in r:
        side = r["side"] + (":" + r.get("optimizer", "torch") if r["side"] == "torchsharp" else "")
        pairs.setdefault((r.get("preset"), r.get("critic"), r.get("dtype"), r.get("batch")), {})[side] = r
lines += ["", "| preset | dtype | batch | TorchSharp Adam | TorchSharp / PyTorch speed |", "|---|---|---|---|---|"]
for (preset, critic, dtype, batch), sides in pairs.items():
    for side in sorted(s for s in sides if s.startswith("torchsharp:")):
        if "pytorch" in sides:
            lines.append(f"| {preset} + {critic} | {dtype} | {batch} | {side.split(':')[1]} | {sides['pytorch']['ms_per_step'] / sides[side]['ms_per_step']:.3f} |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "stepbench: done in $((SECONDS - started)) s"
[ "$keep_work" = 1 ] || rm -rf "$work"
