// Training steps/s of the generator DiT, the C# side of a TorchSharp-vs-PyTorch comparison.
// bench/generator_bench.py builds the same architecture (same parameter count, printed by both) and runs
// the same step: flow-matching MSE on random data, backward, clip_grad_norm 1.0, AdamW, loss.item() as the sync.
//
//   dotnet run -c Release --project bench/GeneratorBench -- --preset shapes-s --batch 32 --steps 20 --device cpu
//   (on a GPU: --device cuda --dtype bfloat16; bench/gpu/session.sh runs both sides)
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NpEdit.Trainer.Models;
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
var selection = TorchRuntime.Initialize(DeviceSpec.Parse(options.GetValueOrDefault("device", "cpu")), threads);
var device = selection.Device;
var cfg = preset.DiT;
var textTokens = preset.Text.MaxTokens;

manual_seed(0);
var dit = new DiT(cfg);
dit.to(device);
if (dtype != ScalarType.Float32)
    dit.to(dtype);
// Built after the moves: module.to() replaces Parameter objects (TorchSharp #1455).
var optimizer = optim.AdamW(dit.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.99, weight_decay: 0);
var parameterCount = dit.parameters().Sum(p => p.numel());

// One training step; with a phase clock (CUDA only) it synchronises after each phase and records its time, so the
// breakdown steps are timed apart from the measured ones (the syncs would slow them).
double Step(Dictionary<string, double>? phases = null)
{
    using var scope = NewDisposeScope();
    var clock = Stopwatch.StartNew();
    void Mark(string phase)
    {
        if (phases is null) return;
        cuda.synchronize();
        phases[phase] = phases.GetValueOrDefault(phase) + clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }
    var x = randn(batch, cfg.InChannels, cfg.ImageSize, cfg.ImageSize, dtype: dtype, device: device);
    var noise = randn(batch, cfg.InChannels, cfg.ImageSize, cfg.ImageSize, dtype: dtype, device: device);
    var t = rand(batch, dtype: dtype, device: device);
    var text = randn(batch, textTokens, cfg.TextDim, dtype: dtype, device: device);
    var mask = ones(batch, textTokens, dtype: ScalarType.Bool, device: device);
    var tt = t.view(-1, 1, 1, 1);
    var xt = (1 - tt) * x + tt * noise;
    optimizer.zero_grad();
    Mark("data_ms");
    var v = dit.call(xt, t, text, mask, null);
    var loss = nn.functional.mse_loss(v.to(ScalarType.Float32), (noise - x).to(ScalarType.Float32));
    Mark("forward_ms");
    loss.backward();
    Mark("backward_ms");
    nn.utils.clip_grad_norm_(dit.parameters(), 1.0);
    Mark("clip_ms");
    optimizer.step();
    Mark("optimizer_ms");
    return loss.item<float>();
}

for (var i = 0; i < warmup; i++)
    Step();
var times = new List<double>();
var clock = new Stopwatch();
for (var i = 0; i < steps; i++)
{
    clock.Restart();
    Step();
    times.Add(clock.Elapsed.TotalMilliseconds);
}
times.Sort();
var phases = new Dictionary<string, double>();
const int BreakdownSteps = 5;
if (device.type == DeviceType.CUDA)
    for (var i = 0; i < BreakdownSteps; i++)
        Step(phases);
var result = new
{
    impl = "torchsharp",
    preset = preset.Name,
    device = device.ToString(),
    dtype = dtype.ToString().ToLowerInvariant(),
    batch,
    tokens = cfg.ImageTokens + textTokens,
    parameters = parameterCount,
    threads = torch.get_num_threads(),
    steps,
    ms_per_step_median = times[times.Count / 2],
    ms_per_step_mean = times.Average(),
    steps_per_second = 1000.0 / times.Average(),
    phases_ms = phases.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / BreakdownSteps, 2)),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

static Dictionary<string, string> ParseArgs(string[] args)
{
    var map = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"Expected --key value pairs (--preset, --batch, --steps, --warmup, --device, --dtype, --threads), got '{args[i]}'.");
        map[args[i][2..]] = args[++i];
    }
    return map;
}
