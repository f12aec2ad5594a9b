#!/usr/bin/env bash
# One GPU session (device time is scarce: every part has its own time limit, and one part failing does not stop
# the others). On the GPU machine, from the repository root, after bench/gpu/pack.sh ran here:
#   bench/gpu/session.sh [parts...]      parts: doctor fixture generator critic stepbench oracle criticlab ginit (default: all but criticlab and ginit);
#                                        a+b runs parts a and b side by side
# Unpacks .npedit/gpu/npedit-gpu.tar.xz, uses the PyTorch install's CUDA libtorch (NPEDIT_LIBTORCH), and writes at
# most 8 files to $OUT: summary.md, results.jsonl, logs.tar.gz, and one tar per artefact (fixture.tar, oracle.tar,
# ginit-<name>.tar, criticlab-<run>.tar).
# TorchSharp and PyTorch runs of one configuration alternate, so their ratio is measured side by side.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
parts=("$@"); [ ${#parts[@]} -eq 0 ] && parts=(doctor fixture generator critic stepbench oracle)
python="${PYTHON:-$(command -v python3)}"
torch_lib="${NPEDIT_LIBTORCH:-$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}"
out="${OUT:-$root/.npedit/gpu/out}"
work="$(mktemp -d)"
logs="$work/logs"
mkdir -p "$out" "$logs"
results="$out/results.jsonl"
: > "$results"
began=$SECONDS
budget=${SESSION_SECONDS:-420}   # the whole session; each part's limit is cut to what is left
left() { echo $((budget - (SECONDS - began))); }

tar -C "$work" -xJf "$root/.npedit/gpu/npedit-gpu.tar.xz"
export NPEDIT_LIBTORCH="$torch_lib" LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_ROOT="$work/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYTHONUNBUFFERED=1
dotnet="$work/dotnet/dotnet"
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  "$python" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'
  nproc
} > "$logs/machine.txt" 2>&1
echo "unpacked in $((SECONDS - began)) s: $(tr '\n' ' ' < "$logs/machine.txt")"

# measure PART LIMIT_S COMMAND...: runs one measurement, appends its last stdout line (JSON) to results.jsonl with
# the peak of nvidia-smi's used memory above the idle level, or an error row.
measure() {
  local part=$1 limit=$2; shift 2
  if [ "$(left)" -lt 40 ]; then
    echo "{\"part\":\"$part\",\"error\":\"skipped: the session's ${budget} s are used up\",\"command\":\"$*\"}" >> "$results"
    tail -1 "$results"; return
  fi
  [ "$limit" -gt "$(($(left) - 20))" ] && limit=$(($(left) - 20))
  local smi="$work/smi.$RANDOM" base line rc
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$smi" 2>/dev/null &
  local sampler=$!
  line=$(timeout "$limit" "$@" 2>>"$logs/$part.stderr" | tail -1); rc=$?
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  local peak; peak=$(sort -n "$smi" | tail -1)
  if [ $rc -ne 0 ] || [ "${line:0:1}" != "{" ]; then
    echo "{\"part\":\"$part\",\"error\":\"exit $rc (124 = over ${limit} s); see logs.tar.gz $part.stderr\",\"command\":\"$*\"}" >> "$results"
  else
    "$python" -c 'import json,sys; r=json.loads(sys.argv[1]); r["part"]=sys.argv[2]; r["smi_peak_mib"]=int(sys.argv[3] or 0)-int(sys.argv[4] or 0); print(json.dumps(r))' \
      "$line" "$part" "${peak:-0}" "${base:-0}" >> "$results"
  fi
  tail -1 "$results"
}

part_doctor() {
  timeout 60 "$dotnet" "$work/npedit/npedit.dll" doctor --device cuda > "$logs/doctor.log" 2>&1
  echo "doctor: exit $?"; grep -i -E "cuda|torch|device" "$logs/doctor.log" | head -8
}

# CPU only (the reference logits are fp32 on the CPU), so it runs beside the GPU parts; collected at the end.
part_fixture() {
  ( timeout 150 "$python" "$root/tools/critic-parity/make_fixture.py" --out "$work/critic-parity" > "$logs/fixture.log" 2>&1
    echo "exit $?" >> "$logs/fixture.log" ) &
  fixture_job=$!
}

collect_fixture() {
  [ -n "${fixture_job:-}" ] || return 0
  wait "$fixture_job"
  echo "fixture: $(tail -2 "$logs/fixture.log" | tr '\n' ' ')"
  [ -d "$work/critic-parity" ] && tar -C "$work" -cf "$out/fixture.tar" critic-parity
}

# The TorchSharp side once per Adam (GENERATOR_OPTIMIZERS): FlatAdam (the trainers' default) and optim.AdamW.
# BENCH_DEVICE=cpu runs the same commands on the CPU (a smoke test of this script where there is no GPU).
part_generator() {
  local config optimizer device="${BENCH_DEVICE:-cuda}"
  for config in ${GENERATOR_CONFIGS:-shapes-m:float32:32:60 shapes-m:bfloat16:32:60 dit-2b:bfloat16:4:120}; do
    IFS=: read -r preset dtype batch limit <<< "$config"
    measure generator "$limit" "$python" "$root/bench/generator_bench.py" --preset "$preset" --dtype "$dtype" --batch "$batch" --steps 20 --warmup 5 --device "$device"
    for optimizer in ${GENERATOR_OPTIMIZERS:-flat torch}; do
      measure generator "$limit" "$dotnet" "$work/GeneratorBench/GeneratorBench.dll" --preset "$preset" --dtype "$dtype" --batch "$batch" --steps 20 --warmup 5 --device "$device" --optimizer "$optimizer"
    done
  done
}

part_critic() {
  local round
  for round in $(seq "${CRITIC_ROUNDS:-1}"); do
    measure critic 90 "$python" "$root/bench/critic_bench.py" --device cuda --dtype bfloat16 --batch 4 --steps 20
    measure critic 90 "$dotnet" "$work/CriticBench/CriticBench.dll" --device cuda --dtype bfloat16 --batch 4 --steps 20
  done
}

# The oracle on the GPU (evaluation only, issue 8). The network is small, so rendering on the CPU bounds a step. Each
# ORACLE_VARIANTS entry trains side by side from ORACLE_INIT (default: the bundled oracle; one without the detail branch
# grows it, starting at zero, so it first answers as before) on full scenes:
#   continued  the whole network (ORACLE_LR)             detail  only the new detail branch (ORACLE_DETAIL_LR)
#   fresh      a new network with the easy-scenes curriculum (no init)
# Each writes a checkpoint every 500 steps, so a run the time limit stops still leaves one; all go into oracle.tar.
# BENCH_DEVICE=cpu (with small ORACLE_STEPS/ORACLE_BATCH) smoke-tests this part where there is no GPU.
part_oracle() {
  local seconds=$(($(left) - 25)) steps=${ORACLE_STEPS:-4000} batch=${ORACLE_BATCH:-128} device="${BENCH_DEVICE:-cuda}"
  [ "$seconds" -gt "${ORACLE_SECONDS:-170}" ] && seconds=${ORACLE_SECONDS:-170}
  [ "$seconds" -lt 60 ] && { echo "oracle: skipped, only $(left) s left"; return; }
  local init="${ORACLE_INIT:-$root/src/Evaluator/Oracle/Pretrained/shapesworld-oracle.safetensors}" variant jobs=() seed=${ORACLE_SEED:-20}
  for variant in ${ORACLE_VARIANTS:-continued detail}; do
    local args=()
    case "$variant" in
      continued) args=(--init "$init" --simplify-until 0 --lr "${ORACLE_LR:-1e-3}") ;;
      detail) args=(--init "$init" --simplify-until 0 --detail-only --lr "${ORACLE_DETAIL_LR:-3e-3}") ;;
      fresh) args=(--lr 2e-3) ;;
      *) echo "oracle: unknown variant '$variant' (continued, detail, fresh)"; continue ;;
    esac
    mkdir -p "$work/oracle/$variant"
    seed=$((seed + 1))
    timeout "$seconds" "$dotnet" "$work/npedit/npedit.dll" oracle train --device "$device" --seed "$seed" "${args[@]}" \
      --steps "$steps" --batch "$batch" --save-every 500 --eval-scenes "${ORACLE_EVAL_SCENES:-1000}" \
      --out "$work/oracle/$variant/shapesworld-oracle.safetensors" > "$logs/oracle-$variant.log" 2>&1 &
    jobs+=($!)
  done
  [ ${#jobs[@]} -gt 0 ] && wait "${jobs[@]}"
  for variant in ${ORACLE_VARIANTS:-continued detail}; do
    [ -f "$logs/oracle-$variant.log" ] && echo "oracle $variant: $(grep -E "step [0-9]+/" "$logs/oracle-$variant.log" | tail -1) $(grep -vE "step [0-9]+/" "$logs/oracle-$variant.log" | grep -E "│ *(shape|pattern|rotation|all attributes) |^Wrote" | tr -s ' │|' ' ' | tr '\n' ' ')"
  done
  tar -C "$work" -cf "$out/oracle.tar" oracle
}

# Critic pretraining recipes at GPU speed (issue 5). Each CRITICLAB_RUNS entry (name=CriticLab arguments, entries
# separated by ';') runs concurrently for at most CRITICLAB_SECONDS, with CRITICLAB_RENDER_WORKERS threads each
# rendering its ShapesWorld batches ahead of the step (default: the cores shared out, at most 6 per run), one torch CPU
# thread each. CriticLab prints held-out accuracy per family every --eval-every steps and saves the critic there, so a
# run cut by the limit still leaves its last evaluated checkpoint; each run's checkpoint (.safetensors + .config.json)
# and log go to $OUT/criticlab-<name>.tar (at most 5 runs: $OUT may hold 8 files). The default recipe: three runs with
# the Yes/No stage of `npedit pretrain critic` (run M2: 1,000 vision + 400 caption steps, then 1,200) twice as long —
# M2's settings (is the critic compute-limited?), M2 with half its presence and edit questions as contrastive pairs
# (takes away the image-only shortcut), and that with the question first after a 1,000-step presence stage (the layout
# in which pairs made the critic read the object name on the CPU; no hard negatives: with pairs they slowed it there).
# BENCH_DEVICE=cpu smoke-tests it here.
part_criticlab() {
  local seconds=$(($(left) - 25)) entry name jobs=() device="${BENCH_DEVICE:-cuda}"
  [ "$seconds" -gt "${CRITICLAB_SECONDS:-280}" ] && seconds=${CRITICLAB_SECONDS:-280}
  [ "$seconds" -lt 60 ] && { echo "criticlab: skipped, only $(left) s left"; return; }
  local runs="${CRITICLAB_RUNS:-m2x2=--set steps=2400 --eval-every 400 --heldout 200;contrastive=--set contrastive_share=0.5 --set steps=2400 --eval-every 400 --heldout 200;question_first=--set prompt_layout=question_first --set presence_steps=1000 --set contrastive_share=0.5 --set steps=2400 --eval-every 400 --heldout 200}"
  IFS=';' read -ra entries <<< "$runs"
  local workers=${CRITICLAB_RENDER_WORKERS:-$(( $(nproc) / ${#entries[@]} - 1 ))}
  [ "$workers" -gt 6 ] && workers=6
  [ "$workers" -lt 0 ] && workers=0
  mkdir -p "$work/criticlab"
  for entry in "${entries[@]}"; do
    name="${entry%%=*}"
    # shellcheck disable=SC2086
    NPEDIT_TORCH_THREADS=${CRITICLAB_TORCH_THREADS:-1} timeout "$seconds" "$dotnet" "$work/CriticLab/CriticLab.dll" --device "$device" \
      --render-workers "$workers" --save "$work/criticlab/$name.safetensors" ${entry#*=} > "$logs/criticlab-$name.log" 2>&1 &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  for entry in "${entries[@]}"; do
    name="${entry%%=*}"
    echo "criticlab $name ($workers render workers):"; grep "^config" "$logs/criticlab-$name.log"
    for stage in vision caption step; do grep "^$stage " "$logs/criticlab-$name.log" | tail -1; done
    grep -E "^(EVAL|  kinds)" "$logs/criticlab-$name.log"
    # One tar per run (a 5 MB checkpoint each, under the 16 MiB a returned file may have): $OUT holds at most 8 files.
    cp "$logs/criticlab-$name.log" "$work/criticlab/"
    tar -C "$work/criticlab" -cf "$out/criticlab-$name.tar" $(cd "$work/criticlab" && ls "$name.safetensors" "$name.config.json" "criticlab-$name.log" 2>/dev/null)
    echo "criticlab $name: $(tar -tf "$out/criticlab-$name.tar" | tr '\n' ' ')"
  done
}

# G_init (issue 4) at GPU speed: each GINIT_RUNS entry (name=T2ILab arguments, ';'-separated) trains shapes-s from
# GINIT_CONFIG (experiments/e002-pretrain-shapes-s-gpu.yaml) concurrently for GINIT_SECONDS, its cosine schedule fitted
# to that time at the end of the warm-up; T2ILab checkpoints every 1,000 steps (and on SIGTERM), prints the colour proxy
# and the oracle's reading at its evaluations, and ends with a JSON line (into results.jsonl). Each run's last
# checkpoint (generator.safetensors + .config.json, what generator.init and 'npedit eval g-init' read), its oracle
# grids and its log go to $OUT/ginit-<name>.tar (one file per run: a file that comes back is at most 16 MiB).
# BENCH_DEVICE=cpu with tiny GINIT_ARGS smoke-tests it where there is no GPU.
part_ginit() {
  local seconds=$(($(left) - 45)) entry name jobs=() device="${BENCH_DEVICE:-cuda}"
  [ "$seconds" -gt "${GINIT_SECONDS:-240}" ] && seconds=${GINIT_SECONDS:-240}
  [ "$seconds" -lt 30 ] && { echo "ginit: skipped, only $(left) s left"; return; }
  local runs="${GINIT_RUNS:-e002=;lr1e-3=--set learning_rate=0.001;b1024=--set data.batch_size=1024}"
  IFS=';' read -ra entries <<< "$runs"
  for entry in "${entries[@]}"; do
    name="${entry%%=*}"
    mkdir -p "$work/ginit/$name"
    # shellcheck disable=SC2086
    NPEDIT_TORCH_THREADS="${GINIT_THREADS:-2}" timeout -k 15 $((seconds + 40)) "$dotnet" "$work/T2ILab/T2ILab.dll" \
      --config "$root/${GINIT_CONFIG:-experiments/e002-pretrain-shapes-s-gpu.yaml}" --device "$device" --seconds "$seconds" \
      --out "$work/ginit/$name/run" ${entry#*=} ${GINIT_ARGS:-} > "$work/ginit/$name/t2ilab.log" 2>&1 &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  for entry in "${entries[@]}"; do
    name="${entry%%=*}"
    local run="$work/ginit/$name/run" line last
    cp "$work/ginit/$name/t2ilab.log" "$logs/ginit-$name.log"
    echo "ginit $name:"; grep -E "^(config|device|data|schedule|EVAL|stopped|T2ILab)" "$work/ginit/$name/t2ilab.log"; grep "^step" "$work/ginit/$name/t2ilab.log" | tail -1
    line=$(tail -1 "$work/ginit/$name/t2ilab.log")
    if [ "${line:0:1}" = "{" ]; then
      "$python" -c 'import json,sys; r=json.loads(sys.argv[1]); r["part"]="ginit"; r["name"]=sys.argv[2]; print(json.dumps(r))' "$line" "$name" >> "$results"
    else
      echo "{\"part\":\"ginit\",\"name\":\"$name\",\"error\":\"no summary line; see logs.tar.gz ginit-$name.log\",\"command\":\"T2ILab ${entry#*=}\"}" >> "$results"
    fi
    last=$(ls -d "$run"/step-* 2>/dev/null | sort | tail -1)
    [ -n "$last" ] || { echo "ginit $name: no checkpoint"; continue; }
    mkdir -p "$work/ginit-out/$name"
    cp "$last/generator.safetensors" "$last/generator.config.json" "$work/ginit/$name/t2ilab.log" "$work/ginit-out/$name/"
    echo "$(basename "$last")" > "$work/ginit-out/$name/step.txt"
    [ -d "$run/grids" ] && cp -r "$run/grids" "$work/ginit-out/$name/"
    tar -C "$work/ginit-out" -cf "$out/ginit-$name.tar" "$name"
  done
}

part_stepbench() {
  [ -x "$root/bench/gpu/stepbench.sh" ] || { echo "stepbench: bench/gpu/stepbench.sh is missing"; return; }
  GPU_WORK="$work" MEASURE_RESULTS="$results" "$root/bench/gpu/stepbench.sh" > "$logs/stepbench.log" 2>&1
  echo "stepbench: exit $?"; tail -20 "$logs/stepbench.log"
}

# A part named a+b+c runs its members side by side (training parts that share the GPU); plain parts run one by one.
for part in "${parts[@]}"; do
  start=$SECONDS
  IFS='+' read -ra members <<< "$part"
  if [ ${#members[@]} -eq 1 ]; then
    "part_$part"
  else
    for member in "${members[@]}"; do "part_$member" > "$logs/part-$member.out" 2>&1 & done
    wait
    for member in "${members[@]}"; do cat "$logs/part-$member.out"; done
  fi
  echo "== $part took $((SECONDS - start)) s"
done

collect_fixture

"$python" - "$results" "$out/summary.md" "$logs/machine.txt" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
lines = ["# GPU session", "", "Machine: " + open(sys.argv[3]).read().replace("\n", "; "), ""]
groups = collections.defaultdict(lambda: collections.defaultdict(list))
ginit = [r for r in rows if r.get("part") == "ginit" and "error" not in r]
rows = [r for r in rows if not (r.get("part") == "ginit" and "error" not in r)]
for r in rows:
    if "error" in r:
        lines.append(f"- ERROR in {r['part']}: {r['error']} ({r['command']})")
        continue
    side = r.get("impl") or r.get("side")
    if side == "torchsharp":
        side += ":" + r.get("optimizer", "torch")   # rows from before --optimizer ran optim.AdamW
    key = (r["part"], r.get("preset", ""), r.get("critic", ""), str(r.get("dtype", "")).lower(), r.get("batch", ""))
    groups[key][side].append(r)
lines += [] if not groups else ["", "| part | preset | critic | dtype | batch | TorchSharp Adam | params (PyTorch / TorchSharp) | PyTorch ms | TorchSharp ms | TorchSharp speed / PyTorch | smi peak MiB (PyTorch / TorchSharp) |",
          "|---|---|---|---|---|---|---|---|---|---|---|"]
def ms(r): return r.get("ms_per_step_mean", r.get("ms_per_step"))
def params(r): return r.get("parameters", r.get("gen_params"))
for key, sides in groups.items():
    p = min(sides.get("pytorch", []), key=ms, default=None)
    f = lambda r, g: str(g(r)) if r else "—"
    for side in sorted(s for s in sides if s.startswith("torchsharp")) or ["torchsharp:—"]:
        t = min(sides.get(side, []), key=ms, default=None)
        ratio = f"{ms(p) / ms(t):.3f}" if p and t else "n/a"
        lines.append(f"| {' | '.join(map(str, key))} | {side.split(':')[1]} | {f(p, params)} / {f(t, params)} | {f(p, ms)} | {f(t, ms)} | {ratio} | {f(p, lambda r: r['smi_peak_mib'])} / {f(t, lambda r: r['smi_peak_mib'])} |")
lines += ["", "Best of the alternating runs per side. Raw rows: results.jsonl; logs: logs.tar.gz."]
if ginit:
    rates = ["color", "shape", "cell", "all_three", "background", "empty_cells_empty", "agreement"]
    lines += ["", "## G_init (T2ILab; oracle reading at the last step, CFG from the config)", "",
              "| run | steps (schedule) | steps/s | stopped | proxy colour / strict | " + " | ".join("oracle " + k for k in rates) + " | ceiling |",
              "|---|---|---|---|---|" + "---|" * len(rates) + "---|"]
    for r in ginit:
        e = r.get("eval") or {}
        f = lambda k: f"{e[k]:.3f}" if isinstance(e.get(k), (int, float)) else "—"
        lines.append(f"| {r['name']} | {r['steps']} ({r.get('schedule_steps', '?')}) | {r['steps_per_second']} | {r['stopped']} | {f('proxy_color')} / {f('proxy_strict')} | "
                     + " | ".join(f("oracle_" + k) for k in rates) + f" | {f('oracle_ceiling')} |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
tar -C "$work" -czf "$out/logs.tar.gz" logs
echo "session took $((SECONDS - began)) s"
rm -rf "$work"
