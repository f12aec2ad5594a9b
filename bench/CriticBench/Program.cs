// Time of one VLM-loss evaluation as NP-Edit uses the critic: a LLaVA-OneVision-0.5B-shaped model (random weights:
// SigLIP so400m 26 layers, Qwen2-0.5B 24 layers, tied head), two images per question (reference under no_grad,
// edited with grad, bicubic-antialias resize from --image-size to 384 inside the graph), one teacher-forced forward,
// −log σ(ℓ_Yes − ℓ_No), backward into the edited image; loss.item() is the sync. bench/critic_bench.py runs the same
// step in PyTorch/transformers with the same token layout (printed by both).
//
//   dotnet run -c Release --project bench/CriticBench -- --device cuda --dtype bfloat16 --batch 4 --steps 20
//   dotnet run -c Release --project bench/CriticBench -- --preset tiny --device cpu --steps 5     (smoke run)
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using static TorchSharp.torch;

var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var batch = Int("batch", 4);
var steps = Int("steps", 20);
var warmup = Int("warmup", 3);
var imageSize = Int("image-size", 512);
var textTokens = Int("text-tokens", 100);
var dtype = options.GetValueOrDefault("dtype", "float32") == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
var selection = TorchRuntime.Initialize(DeviceSpec.Parse(options.GetValueOrDefault("device", "cpu")));
var device = selection.Device;

var config = options.GetValueOrDefault("preset", "llava-ov-0.5b") switch
{
    "llava-ov-0.5b" => new LlavaOnevisionConfig(),   // the defaults are LLaVA-OV-0.5B's shapes
    "tiny" => new LlavaOnevisionConfig
    {
        VisionConfig = new SiglipVisionConfig { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, ImageSize = 56, PatchSize = 14 },
        TextConfig = new Qwen2TextConfig { VocabSize = 1000, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2 },
        ImageTokenIndex = 999,
    },
    var other => throw new ArgumentException($"--preset must be llava-ov-0.5b or tiny, not {other}."),
};
if (!options.ContainsKey("image-size"))
    imageSize = config.VisionConfig.ImageSize * 4 / 3;

manual_seed(0);
var model = new LlavaOnevisionModel(config);
model.to(device);
if (dtype != ScalarType.Float32)
    model.to(dtype);
foreach (var p in model.parameters())
    p.requires_grad = false;
model.eval();
var parameterCount = model.parameters().Sum(p => p.numel());

// Token layout: text, two images (each patches + newline), text; the same in critic_bench.py.
var generator = new Generator(1);
var prefix = randint(0, 100, [batch, 20], generator: generator);
var suffix = randint(0, 100, [batch, textTokens - 20], generator: generator);
var images = full([batch, 2 * (long)config.TokensPerImage], config.ImageTokenIndex, dtype: int64);
var ids = cat([prefix, images, suffix], 1).to(device);
var mask = ones_like(ids, dtype: @bool);
var reference = (rand([batch, 3, imageSize, imageSize], generator: generator) * 2 - 1).to(dtype, device);
var edited = (rand([batch, 3, imageSize, imageSize], generator: generator) * 2 - 1).to(dtype, device);
// Qwen2's "Yes"/"No" ids; the tiny smoke preset has no such ids, so it uses 1 and 2.
var (yes, no) = config.TextConfig.VocabSize > 9454 ? (9454L, 2753L) : (1L, 2L);

double Step()
{
    using var scope = NewDisposeScope();
    var x = edited.detach().requires_grad_();
    Tensor referenceTokens;
    using (no_grad())
        referenceTokens = model.ImageTokens(CriticImageProcessor.Prepare(reference, config));
    var editedTokens = model.ImageTokens(CriticImageProcessor.Prepare(x, config));
    var logits = model.AnswerLogits(ids, mask, cat([referenceTokens, editedTokens], 1)).to(float32);
    var loss = -nn.functional.logsigmoid(logits[.., yes] - logits[.., no]).mean();
    loss.backward();
    return loss.item<float>() + x.grad!.abs().sum().to(float32).item<float>() * 0;   // both syncs (the grad has the image's dtype)
}

for (var i = 0; i < warmup; i++)
    Step();
var clock = Stopwatch.StartNew();
for (var i = 0; i < steps; i++)
    Step();
var msPerStep = clock.Elapsed.TotalMilliseconds / steps;
Console.WriteLine(JsonSerializer.Serialize(new
{
    side = "torchsharp",
    device = device.ToString(),
    dtype = dtype.ToString(),
    parameters = parameterCount,
    batch,
    sequence = ids.shape[1],
    image_size = imageSize,
    ms_per_step = Math.Round(msPerStep, 2),
    questions_per_s = Math.Round(batch * 1000 / msPerStep, 2),
}));
