// Time of one full NP-Edit training step, NpEditTrainer.Step (paper Algorithm 1) as training runs it: G_θ unrolled
// in two passes with gradients through both, the VLM critic's Yes/No loss over two questions per sample, DMD with the
// frozen teacher (CFG) and A_φ, then N_aux updates of A_φ, each with its Adam step. Random weights, a synthetic batch
// (one local edit type, no do-nothing samples, always two passes) so every step costs the same; loss.item() syncs.
// bench/train_step_bench.py runs the same step in PyTorch/transformers; both print one JSON line.
//
//   dotnet run -c Release --project bench/TrainStepBench -- --device cpu --preset shapes-xs --critic shapes-mini --batch 2 --steps 2 --warmup 1
//   dotnet run -c Release --project bench/TrainStepBench -- --device cuda --preset dit-2b --critic llava-ov-0.5b --dtype bfloat16 --batch 2
//   … --optimizer flat|torch|both   the Adam of G_θ and A_φ (optim.implementation; default flat); `both` builds one trainer
//                        per optimizer (sharing the frozen critic), alternates their steps and prints a JSON line for each.
//   … --find-max-batch   doubles the batch from --batch (up to --batch-limit, 1024) until a step fails (out of memory)
//                        and reports the largest that ran.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length && !args[p.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[p.i + 1] : "");
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var presetName = options.GetValueOrDefault("preset", "shapes-xs");
var criticName = options.GetValueOrDefault("critic", "shapes-mini");
var dtypeName = options.GetValueOrDefault("dtype", "float32");
var batch = Int("batch", 2);
var steps = Int("steps", 5);
var warmup = Int("warmup", 2);
var precision = dtypeName switch
{
    "float32" => Precision.Fp32,
    "bfloat16" => Precision.Bf16,
    _ => throw new ArgumentException($"--dtype must be float32 or bfloat16, not {dtypeName}."),
};
var optimizers = options.GetValueOrDefault("optimizer", "flat") switch
{
    "flat" => new[] { AdamImplementation.Flat },
    "torch" => [AdamImplementation.Torch],
    "both" => [AdamImplementation.Torch, AdamImplementation.Flat],
    var other => throw new ArgumentException($"--optimizer must be flat, torch or both, not {other}."),
};
var preset = ModelPresets.Get(presetName);
var device = TorchRuntime.Initialize(DeviceSpec.Parse(options.GetValueOrDefault("device", "cpu"))).Device;
var checkpointing = options.TryGetValue("checkpointing", out var ck) ? ck != "off" : preset.DiT.HiddenSize >= 1024;

var config = new NpEditConfig
{
    Loss = new LossSection { DoNothingProbability = 0 },
    Schedule = new ScheduleSection { WarmupSteps = 0, SingleStepSteps = 0, Unroll = UnrollPolicy.TwoPass, AuxUpdates = Int("aux-updates", 10) },
    Run = new RunSection { Seed = 1, Precision = precision, ActivationCheckpointing = checkpointing },
};

// One local edit, repeated: two two-image critic questions per sample (edit verification, identity).
var sample = new EditSample
{
    Id = "bench", SourceCaption = "a red circle on the left and a green square on the right",
    Instruction = "make the red circle blue", EditedCaption = "a blue circle on the left and a green square on the right",
    EditType = EditType.Color, ObjectName = "circle", Task = EditTask.Local,
};
var words = $"{sample.SourceCaption} {sample.Instruction} {sample.EditedCaption} {config.Loss.NegativePrompt} {config.Loss.DoNothingInstruction}"
    .Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();

// Build on the device directly (a 2B DiT initialised on the CPU and copied takes minutes).
set_default_device(device);
manual_seed(0);
var factor = preset.DiT.InChannels == 3 ? 1 : 8;
IAutoencoder autoencoder = factor == 1 ? new IdentityAutoencoder() : new LatentStandIn(preset.DiT.InChannels, factor, device);
var criticConfig = criticName switch
{
    "shapes-mini" => CriticPresets.ShapesMini(),
    "llava-ov-0.5b" => Llava05B(),
    _ => throw new ArgumentException($"--critic must be shapes-mini or llava-ov-0.5b, not {criticName}."),
};
var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(criticConfig.Model), new CriticWordTokenizer(criticConfig.Words), criticConfig);
critic.Model.to(device);
if (precision == Precision.Bf16)
    critic.Model.to(ScalarType.BFloat16);
var init = new DiT(preset.DiT);
var text = new ShapesTextEncoder(preset.Text, words);
var trainers = optimizers.Select(implementation => new NpEditTrainer(config with { Optim = config.Optim with { Implementation = implementation } },
    (init, text, new GeneratorConfig(preset.Name, preset.DiT, preset.Text, text.Tokenizer.Words)), critic, device, autoencoder: autoencoder)).ToArray();
var trainer = trainers[0];
init.Dispose();
text.Dispose();
set_default_device(CPU);
GC.Collect();                      // the fp32 tensors that the bf16 casts replaced (dit-2b: 16 GB) go now, not at some later GC
GC.WaitForPendingFinalizers();

var genParams = trainer.Generator.parameters().Sum(p => p.numel());
var criticParams = critic.Module.parameters().Sum(p => p.numel());
// Sequence length of each question (text + 2 images), so bench/train_step_bench.py can use the same.
var criticSequence = CriticQuestions.For(sample, identity: true).Select(q => critic.Prompts.Ids(q.Text, 2).Length).ToArray();
var common = new Dictionary<string, object>
{
    ["side"] = "torchsharp", ["device"] = device.ToString(), ["preset"] = presetName, ["critic"] = criticName, ["dtype"] = dtypeName,
    ["gen_params"] = genParams, ["critic_params"] = criticParams, ["critic_sequence"] = criticSequence,
    ["critic_vocab"] = criticConfig.Model.TextConfig.VocabSize, ["critic_yes_no_image"] = new[] { criticConfig.YesTokenId, criticConfig.NoTokenId, criticConfig.Model.ImageTokenIndex },
    ["aux_updates"] = config.Schedule.AuxUpdates, ["checkpointing"] = checkpointing,
};

// Thread CPU milliseconds per step of each trainer (the CPU figure: with one torch thread all its work runs on this thread).
var threadCpu = new double[trainers.Length];

// Milliseconds per step of each trainer; with several, their steps alternate so that all see the same machine load.
double[] MsPerStep(int n, int measured, int warm)
{
    using var scope = NewDisposeScope();
    var examples = Enumerable.Range(0, n).Select(i => new EditExample(sample, "synthetic", i)).ToList();
    var side = trainer.ImageSize;
    var references = (rand([n, 3, side, side], device: device) * 2 - 1);
    var editBatch = new EditBatch(examples, references);
    for (var i = 0; i < warm; i++)
        foreach (var t in trainers)
            Check(t.Step(editBatch));
    var total = new double[trainers.Length];
    for (var i = 0; i < measured; i++)
        for (var k = 0; k < trainers.Length; k++)
        {
            var clock = Stopwatch.StartNew();
            var cpu = ThreadCpuClock.Milliseconds();
            Check(trainers[k].Step(editBatch));
            total[k] += clock.Elapsed.TotalMilliseconds;
            threadCpu[k] += ThreadCpuClock.Milliseconds() - cpu;
        }
    for (var k = 0; k < trainers.Length; k++)
        threadCpu[k] /= measured;
    return [.. total.Select(t => t / measured)];
}

if (options.ContainsKey("find-max-batch"))
{
    var (largest, largestMs, failedAt, error) = (0, double.NaN, 0, "");
    for (var n = Math.Max(1, batch); n <= Int("batch-limit", 1024); n *= 2)
    {
        try
        {
            var ms = MsPerStep(n, 1, 1)[0];
            (largest, largestMs) = (n, ms);
            // A line per batch that ran: a run killed by a timeout still reports the largest batch reached.
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>(common)
            {
                ["find_max_batch"] = true, ["max_batch"] = n, ["ms_per_step_at_max"] = Math.Round(ms, 2), ["complete"] = false,
            }));
        }
        catch (Exception e)
        {
            (failedAt, error) = (n, e.Message.Split('\n')[0]);
            break;
        }
    }
    common["find_max_batch"] = true;
    common["max_batch"] = largest;
    common["ms_per_step_at_max"] = largest > 0 ? Math.Round(largestMs, 2) : null!;
    common["failed_batch"] = failedAt;
    common["failure"] = error;
    common["complete"] = true;
}
else
{
    common["batch"] = batch;
    common["steps"] = steps;
    try
    {
        var ms = MsPerStep(batch, steps, warmup);
        for (var k = 0; k < trainers.Length - 1; k++)
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>(common)
            {
                ["optimizer"] = Name(optimizers[k]), ["ms_per_step"] = Math.Round(ms[k], 2), ["thread_cpu_ms_per_step"] = Math.Round(threadCpu[k], 2),
            }));
        common["ms_per_step"] = Math.Round(ms[^1], 2);
        common["thread_cpu_ms_per_step"] = Math.Round(threadCpu[^1], 2);
    }
    catch (Exception e)
    {
        common["error"] = $"step (batch {batch}): {e.GetType().Name}: {e.Message.Split('\n')[0]}";   // e.g. CUDA out of memory
        Console.Error.WriteLine(e);
    }
}
common["optimizer"] = Name(optimizers[^1]);
Console.WriteLine(JsonSerializer.Serialize(common));

static string Name(AdamImplementation implementation) => implementation.ToString().ToLowerInvariant();

// Every loss finite, else the timing would be of skipped steps.
static void Check(IReadOnlyDictionary<string, double> logs)
{
    if (logs["skipped"] != 0 || !double.IsFinite(logs["loss/total"]))
        throw new InvalidOperationException($"the step was skipped or not finite: {string.Join(", ", logs.Select(kv => $"{kv.Key}={kv.Value}"))}");
}

// LLaVA-OneVision-0.5B's shapes (SigLIP so400m 26 layers, Qwen2-0.5B) with a word-level tokenizer over the
// ShapesWorld vocabulary: random weights need no Qwen2 tokenizer file, and its ids fall inside Qwen2's vocabulary.
static CriticConfig Llava05B()
{
    var tokenizer = new CriticWordTokenizer(ShapesCriticVocabulary.Words);
    return new CriticConfig
    {
        Name = "llava-ov-0.5b",
        Model = new LlavaOnevisionConfig { ImageTokenIndex = tokenizer.ImageTokenId },
        Words = [.. tokenizer.Words],
        YesTokenId = tokenizer.TokenId("Yes"),
        NoTokenId = tokenizer.TokenId("No"),
    };
}
