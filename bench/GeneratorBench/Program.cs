// Training steps/s of the generator DiT, the C# side of a TorchSharp-vs-PyTorch comparison.
// bench/generator_bench.py builds the same architecture (same parameter count, printed by both) and runs
// the same step: flow-matching MSE on random data, backward, clip_grad_norm 1.0, AdamW, loss.item() as the sync.
//
//   dotnet run -c Release --project bench/GeneratorBench -- --preset shapes-s --batch 32 --steps 20 --device cpu
//   (on a GPU: --device cuda --dtype bfloat16; bench/gpu/session.sh runs both sides)
// --optimizer flat|torch|both picks the AdamW: FlatAdam (the trainers' default: flat buffers, a handful of kernels per
// step) or TorchSharp's optim.AdamW (kernels per parameter tensor); `both` builds one model per optimizer from the same
// seed and alternates their steps, so both see the same machine load, and prints one JSON line per optimizer.
// Every step's phases (zero_grad, forward, backward, clip, optimizer) are timed on the CPU; on CUDA only in extra
// breakdown steps, which synchronise after each phase.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Optimization;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using static TorchSharp.torch;

var options = ParseArgs(args);
var preset = ModelPresets.Get(options.GetValueOrDefault("preset", "shapes-s"));
var batch = int.Parse(options.GetValueOrDefault("batch", "32"), CultureInfo.InvariantCulture);
var steps = int.Parse(options.GetValueOrDefault("steps", "20"), CultureInfo.InvariantCulture);
var warmup = int.Parse(options.GetValueOrDefault("warmup", "3"), CultureInfo.InvariantCulture);
var threads = options.TryGetValue("threads", out var th) ? int.Parse(th, CultureInfo.InvariantCulture) : (int?)null;
var dtype = options.GetValueOrDefault("dtype", "float32") switch
{
    "float32" => ScalarType.Float32,
    "bfloat16" => ScalarType.BFloat16,
    var other => throw new ArgumentException($"--dtype must be float32 or bfloat16, not {other}."),
};
var optimizers = options.GetValueOrDefault("optimizer", "flat") switch
{
    "flat" => new[] { AdamImplementation.Flat },
    "torch" => [AdamImplementation.Torch],
    "both" => [AdamImplementation.Torch, AdamImplementation.Flat],
    var other => throw new ArgumentException($"--optimizer must be flat, torch or both, not {other}."),
};
var selection = TorchRuntime.Initialize(DeviceSpec.Parse(options.GetValueOrDefault("device", "cpu")), threads);
var device = selection.Device;
var cfg = preset.DiT;
var textTokens = preset.Text.MaxTokens;

var sides = optimizers.Select(implementation =>
{
    manual_seed(0);
    var dit = new DiT(cfg);
    dit.to(device);
    if (dtype != ScalarType.Float32)
        dit.to(dtype);
    // Built after the moves: module.to() replaces Parameter objects (TorchSharp #1455).
    var optimizer = AdamOptimizers.Create(implementation, dit.parameters(), AdamSettings.AdamW(1e-4, 0.9, 0.99, 0));
    return new Side(implementation, dit, optimizer);
}).ToArray();
var parameterCount = sides[0].Dit.parameters().Sum(p => p.numel());
var onCuda = device.type == DeviceType.CUDA;

// One training step; with a phase clock it records each phase's time (on CUDA it synchronises after each phase, so
// there the breakdown steps are timed apart from the measured ones).
double Step(Side side, Dictionary<string, double>? phases = null)
{
    using var scope = NewDisposeScope();
    var clock = Stopwatch.StartNew();
    var cpuClock = ThreadCpuClock.Milliseconds();
    void Mark(string phase)
    {
        if (phases is null) return;
        if (onCuda)
        {
            cuda.synchronize();
            phases[phase] = phases.GetValueOrDefault(phase) + clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            return;
        }
        // On the CPU, this thread's CPU time: with one torch thread every kernel runs on it, and a shared machine's
        // load does not inflate it as it does wall time.
        var now = ThreadCpuClock.Milliseconds();
        phases[phase] = phases.GetValueOrDefault(phase) + now - cpuClock;
        cpuClock = now;
    }
    var x = randn(batch, cfg.InChannels, cfg.ImageSize, cfg.ImageSize, dtype: dtype, device: device);
    var noise = randn(batch, cfg.InChannels, cfg.ImageSize, cfg.ImageSize, dtype: dtype, device: device);
    var t = rand(batch, dtype: dtype, device: device);
    var text = randn(batch, textTokens, cfg.TextDim, dtype: dtype, device: device);
    var mask = ones(batch, textTokens, dtype: ScalarType.Bool, device: device);
    var tt = t.view(-1, 1, 1, 1);
    var xt = (1 - tt) * x + tt * noise;
    Mark("data_ms");
    side.Optimizer.ZeroGrad();
    Mark("zero_grad_ms");
    var v = side.Dit.call(xt, t, text, mask, null);
    var loss = nn.functional.mse_loss(v.to(ScalarType.Float32), (noise - x).to(ScalarType.Float32));
    Mark("forward_ms");
    loss.backward();
    Mark("backward_ms");
    side.Optimizer.ClipGradNorm(1.0);
    Mark("clip_ms");
    side.Optimizer.Step();
    Mark("optimizer_ms");
    return loss.item<float>();
}

for (var i = 0; i < warmup; i++)
    foreach (var side in sides)
        Step(side);
// Alternating the sides' steps: both see the same load on a shared machine.
for (var i = 0; i < steps; i++)
    foreach (var side in sides)
    {
        var cpu = ThreadCpuClock.Milliseconds();
        var clock = Stopwatch.StartNew();
        Step(side, onCuda ? null : side.Phases);
        side.Times.Add(clock.Elapsed.TotalMilliseconds);
        side.CpuTimes.Add(ThreadCpuClock.Milliseconds() - cpu);
    }
const int BreakdownSteps = 5;
if (onCuda)
    foreach (var side in sides)
        for (var i = 0; i < BreakdownSteps; i++)
            Step(side, side.Phases);
foreach (var side in sides)
{
    var times = side.Times.Order().ToList();
    var phaseSteps = onCuda ? BreakdownSteps : steps;
    var result = new
    {
        impl = "torchsharp",
        optimizer = side.Implementation.ToString().ToLowerInvariant(),
        preset = preset.Name,
        device = device.ToString(),
        dtype = dtype.ToString().ToLowerInvariant(),
        batch,
        tokens = cfg.ImageTokens + textTokens,
        parameters = parameterCount,
        parameter_tensors = side.Dit.parameters().Count(),
        threads = torch.get_num_threads(),
        steps,
        ms_per_step_median = times[times.Count / 2],
        ms_per_step_mean = times.Average(),
        thread_cpu_ms_per_step_mean = side.CpuTimes.Average(),
        phases_clock = onCuda ? "wall, synchronised" : "thread cpu",
        steps_per_second = 1000.0 / times.Average(),
        phases_ms = side.Phases.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / phaseSteps, 2)),
    };
    Console.WriteLine(JsonSerializer.Serialize(result));
}
return 0;

static Dictionary<string, string> ParseArgs(string[] args)
{
    var map = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"Expected --key value pairs (--preset, --batch, --steps, --warmup, --device, --dtype, --threads, --optimizer), got '{args[i]}'.");
        map[args[i][2..]] = args[++i];
    }
    return map;
}
