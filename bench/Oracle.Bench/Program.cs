using System.Diagnostics;
using System.Globalization;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// Times the oracle's parts on this machine: rendering a batch, one training step (forward + backward + AdamW),
// and parsing (forward only). Usage: dotnet run -c Release --project bench/Oracle.Bench -- [--steps N] [--batch B]
// With --diagnose N it instead breaks an oracle's pattern and rotation errors down on N held-out scenes
// (OracleDiagnosis; --checkpoint PATH, default the bundled oracle; --first-scene I; --dump DIR writes each misread
// pattern's cell as a PNG). --refine-misses N lists what the refined oracle still misreads on N held-out scenes
// (RefineMisses; --checkpoint, --first-scene); --judge-check K judges the copy-input and true-target editors on K items
// per edit type, with the network alone and refined (OracleJudgeCheck).
int steps = 10, batch = 32, diagnose = 0, judgeCheck = 0, refineMisses = 0;
long firstScene = 0;
string? checkpoint = null, dump = null;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--steps") steps = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--batch") batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--judge-check") judgeCheck = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--refine-misses") refineMisses = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--diagnose") diagnose = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--checkpoint") checkpoint = args[i + 1];
    else if (args[i] == "--dump") dump = args[i + 1];
    else if (args[i] == "--first-scene") firstScene = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else throw new ArgumentException($"Unknown option {args[i]}; use --steps N and --batch B, --diagnose N [--checkpoint PATH] [--first-scene I] [--dump DIR], --refine-misses N [--checkpoint PATH] [--first-scene I], or --judge-check K [--checkpoint PATH].");
}

TorchRuntime.Initialize(DeviceSpec.Cpu);
if (refineMisses > 0)
{
    RefineMisses.Run(checkpoint, refineMisses, firstScene);
    return;
}
if (judgeCheck > 0)
{
    OracleJudgeCheck.Run(checkpoint, judgeCheck);
    return;
}
if (diagnose > 0)
{
    OracleDiagnosis.Run(checkpoint, diagnose, firstScene, dump);
    return;
}
var config = new OracleTrainConfig { Steps = steps + 2, BatchSize = batch };
using var trainer = new OracleTrainer(config);
Console.WriteLine($"threads {get_num_threads()}, batch {batch}, resolution {config.Model.Resolution}, crop {config.Model.CropSize}, parameters {trainer.Network.parameters().Sum(p => p.numel())}");

var render = Stopwatch.StartNew();
for (int i = 0; i < batch * steps; i++) Renderer.Render(OracleScenes.Training(i).Scene, config.Model.Resolution);
double renderMs = render.Elapsed.TotalMilliseconds / steps;

trainer.TrainStep();
trainer.TrainStep();
var train = Stopwatch.StartNew();
for (int i = 0; i < steps; i++) trainer.TrainStep();
double trainMs = train.Elapsed.TotalMilliseconds / steps;

using var parser = new SceneParser(trainer.Network);
var images = Enumerable.Range(0, batch).Select(i => RgbImage.Render(OracleScenes.HeldOut(i).Scene, config.Model.Resolution)).ToArray();
parser.Parse(images);
var parse = Stopwatch.StartNew();
for (int i = 0; i < steps; i++) parser.Parse(images);
double parseMs = parse.Elapsed.TotalMilliseconds / steps;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"render {renderMs:F1} ms/batch | train step {trainMs:F0} ms ({batch * 1000 / trainMs:F0} img/s, render included) | parse {parseMs:F0} ms/batch ({batch * 1000 / parseMs:F0} img/s)"));
