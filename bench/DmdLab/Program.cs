// DMD diagnostics without a database (issue 7: why DMD turns the ShapesWorld editor's output into patch noise).
// Measures, on a batch of training rows, what the DMD gradient of NpEditTrainer looks like and what it does:
//
//   NPEDIT_TORCH_THREADS=1 dotnet run -c Release --project bench/DmdLab -- --init G_INIT.safetensors --shards DIR \
//       [--editor RUN/checkpoints/step-N] [--out DIR] [--mode teacher,grad,descend] [--neg "low quality, artifacts"] \
//       [--teacher-caption compact] [--cfg 2] [--batch 8] [--descend-steps 200] [--descend-lr 0.02] [--aux-steps 200] [--aux-lr 1e-4]
//
//   teacher  the frozen teacher's own samples (Euler, 32 steps) for the rows' edited captions c^x, at CFG 1 and
//            at --cfg against the empty prompt and against --neg, plus the 4-step few-step sampler: is it clean?
//   grad     the DMD gradient g = (x̂0_fake − x̂0_real) / mean|x − x̂0_real| per t bin, for x = the references
//            (clean renders) and x = the editor's 4-step outputs (with --editor, A_φ from the same checkpoint),
//            split into the fake-vs-conditional part and the CFG part, with its patch-grid share.
//   aux-lag  (with --editor) how far A_φ lags G_θ: A_φ's x̂0 on a fixed batch of the editor's samples before and after
//            --aux-steps more A_φ updates (Adam, --aux-lr, β = (0, 0.9)) on fresh samples of the frozen editor, against
//            the whole fake-vs-real difference DMD uses. A large move means the saved A_φ had not caught up with G_θ.
//   descend  DMD alone in pixel space: x ← x − lr·g from the references, A_φ frozen at G_init (so only the
//            teacher's field acts), to see whether the teacher's gradient itself draws the 4-px mosaic.
//
// The patch-grid share of an image or gradient (Seams): the mean |difference| of horizontally and vertically
// adjacent pixels across the DiT's patch borders over the same inside patches. Clean renders have edges at
// random places (≈ 1); the mosaic the editor draws has its jumps at the borders (> 1).
using System.Globalization;
using NpEdit.Core.Config.Training;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Sampling;
using NpEdit.Trainer.Training;
using NpEdit.ShapesWorld.Rendering;
using static TorchSharp.torch;

string? Option(string name) => args.Select((a, i) => (a, i)).Where(p => p.a == "--" + name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).LastOrDefault();
double Number(string name, double fallback) => Option(name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

var initPath = Option("init") ?? throw new ArgumentException("--init G_INIT.safetensors is required");
var shards = Option("shards") ?? throw new ArgumentException("--shards DATASET_DIR is required");
var editorDir = Option("editor");
var outDir = Option("out") ?? "dmdlab-out";
var modes = (Option("mode") ?? "teacher,grad,descend").Split(',');
var negativePrompt = Option("neg") ?? new LossSection().NegativePrompt;
var cfg = Number("cfg", 2.0);
var batchSize = (int)Number("batch", 8);
Directory.CreateDirectory(outDir);
TorchRuntime.Initialize(DeviceSpec.Parse("cpu"));

var init = GeneratorCheckpoint.Load(initPath);
var teacher = init.DiT;
var text = init.Text;
teacher.eval();
var patch = teacher.Config.PatchSize;
var size = teacher.Config.ImageSize;
var dataset = await EditDataset.LoadAsync([shards]);
// After the await: grad mode is per thread, and the code after an await may run on another one.
using var noGrad = no_grad();
var sampler = new EditBatchSampler(dataset.Rows, 1.0, 0.25, seed: 7);
var batch = EditBatch.Load(sampler.Next(batchSize), size, CPU);
var samples = batch.Examples.Select(e => e.Sample).ToArray();
var y = batch.References;
// --teacher-caption compact: what the teacher and A_φ read is c^x in G_init's compact form (loss.teacher_caption).
var compact = Option("teacher-caption") == "compact";
var teacherCaptions = samples.Select(s => compact ? CompactCaptionRewriter.Rewrite(s.EditedCaption) : s.EditedCaption).ToArray();
var cx = text.Encode(teacherCaptions, CPU);
var cxCompact = text.Encode(samples.Select(s => CompactCaptionRewriter.Rewrite(s.EditedCaption)).ToArray(), CPU);
var empty = text.Encode(Enumerable.Repeat("", batchSize).ToArray(), CPU);
var negative = text.Encode(Enumerable.Repeat(negativePrompt, batchSize).ToArray(), CPU);
Console.WriteLine($"G_init {initPath}: {size} px, patch {patch}; negative prompt '{negativePrompt}' → tokens [{string.Join(',', text.Tokenizer.Tokenize(negativePrompt))}]");
foreach (var s in samples)
    Console.WriteLine($"  [{s.EditType}] c: '{s.Instruction}' | c^y: '{s.SourceCaption}' | c^x: '{s.EditedCaption}' (unknown words in c^x: {text.Tokenizer.Tokenize(s.EditedCaption).Count(id => id == WordTokenizer.UnkId)}, tokens {text.Tokenizer.Tokenize(s.EditedCaption).Length}/{text.Tokenizer.MaxTokens}) → compact '{CompactCaptionRewriter.Rewrite(s.EditedCaption)}'");
Console.WriteLine($"references: seams {Seams(y):F2}, tv {Tv(y):F3}");

Tensor V(DiT model, Tensor x, Tensor t, TextEncoding c, Tensor? reference = null) => model.call(x, t, c.Tokens, c.Mask, reference);

if (modes.Contains("teacher"))
{
    var noise = SeededNoise.Randn(y.shape, SeededNoise.NewGenerator(11), CPU);
    var rows = new List<(string Name, Tensor Images)> { ("references", y) };
    VelocityField cond = (x, t) => V(teacher, x, t, cx);
    rows.Add(("euler32 cfg1", EulerSampler.Sample(cond, noise, 32)));
    rows.Add(($"euler32 cfg{cfg} neg ''", EulerSampler.Sample(cond, noise, 32, (x, t) => V(teacher, x, t, empty), cfg)));
    rows.Add(($"euler32 cfg{cfg} neg '{negativePrompt}'", EulerSampler.Sample(cond, noise, 32, (x, t) => V(teacher, x, t, negative), cfg)));
    VelocityField condCompact = (x, t) => V(teacher, x, t, cxCompact);
    rows.Add(("compact c^x: euler32 cfg1", EulerSampler.Sample(condCompact, noise, 32)));
    rows.Add(($"compact c^x: euler32 cfg{cfg} neg ''", EulerSampler.Sample(condCompact, noise, 32, (x, t) => V(teacher, x, t, empty), cfg)));
    rows.Add(("fewstep4 cfg1", FewStepSampler.Sample(cond, noise, 4, generator: SeededNoise.NewGenerator(12))));
    foreach (var (name, images) in rows)
        Console.WriteLine($"teacher {name,-40} seams {Seams(images):F2}  tv {Tv(images):F3}");
    WriteGrid(Path.Combine(outDir, "teacher.png"), rows.Select(r => r.Images).ToList());
}

var bins = new[] { (0.02, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 0.98) };
DiT auxiliary = Copy(teacher);
Tensor? edited = null;
if (editorDir is not null)
{
    var editor = Copy(teacher);
    TrainingCheckpoint.LoadDiT(editor, Path.Combine(editorDir, TrainingCheckpoint.GeneratorFile));
    TrainingCheckpoint.LoadDiT(auxiliary, Path.Combine(editorDir, TrainingCheckpoint.AuxiliaryFile));
    editor.eval();
    auxiliary.eval();
    var c = text.Encode(samples.Select(s => s.Instruction).ToArray(), CPU);
    edited = FewStepSampler.Sample((x, t) => V(editor, x, t, c, y), SeededNoise.Randn(y.shape, SeededNoise.NewGenerator(13), CPU), 4,
        generator: SeededNoise.NewGenerator(14));
    Console.WriteLine($"editor outputs: seams {Seams(edited):F2}, tv {Tv(edited):F3}, |x − y| {(edited - y).abs().mean().item<float>():F3}");
}

if (modes.Contains("grad"))
{
    foreach (var (name, x, fake) in new[] { ("references, A_φ = G_init", y, teacher), ("editor outputs, its A_φ", edited, auxiliary) })
    {
        if (x is null)
            continue;
        Console.WriteLine($"DMD gradient at {name} (cfg {cfg}, neg '{negativePrompt}'):");
        Console.WriteLine("  t bin        w=mean|x−x̂0_real|  |g|      seams(g)  |fake−cond|/w  |cfg part|/w  seams(cfg part)  cos(g, x̂0_real−x)");
        foreach (var (lo, hi) in bins)
        {
            var g = SeededNoise.NewGenerator(21);
            var t = SeededNoise.Rand([batchSize], g, CPU) * (hi - lo) + lo;
            var xt = FlowMatching.Interpolate(x, SeededNoise.Randn(x.shape, g, CPU), t);
            var vCond = V(teacher, xt, t, cx);
            var vNeg = V(teacher, xt, t, negative);
            var x0Cond = FlowMatching.PredictX0(xt, t, vCond);
            var x0Real = FlowMatching.PredictX0(xt, t, vNeg + cfg * (vCond - vNeg));
            var x0Fake = FlowMatching.PredictX0(xt, t, V(fake, xt, t, cx));
            var w = (x - x0Real).abs().mean([1, 2, 3], keepdim: true);
            var grad = (x0Fake - x0Real) / w;
            var fakePart = (x0Fake - x0Cond) / w;
            var cfgPart = (x0Cond - x0Real) / w;
            var cos = nn.functional.cosine_similarity(grad.flatten(1), (x0Real - x).flatten(1), 1).mean().item<float>();
            Console.WriteLine($"  [{lo:F2},{hi:F2}]  {w.mean().item<float>(),10:F3}        {grad.abs().mean().item<float>():F3}    {Seams(grad):F2}      {fakePart.abs().mean().item<float>():F3}          {cfgPart.abs().mean().item<float>():F3}         {Seams(cfgPart):F2}             {-cos:F2}");
        }
    }
}

if (modes.Contains("aux-lag") && editorDir is not null)
{
    var editor = Copy(teacher);
    TrainingCheckpoint.LoadDiT(editor, Path.Combine(editorDir, TrainingCheckpoint.GeneratorFile));
    var c = text.Encode(samples.Select(s => s.Instruction).ToArray(), CPU);
    var fresh = Copy(auxiliary);
    var parameters = fresh.parameters().ToArray();
    foreach (var p in parameters)
        p.requires_grad = true;
    using var optimizer = NpEdit.Trainer.Optimization.AdamOptimizers.Create(new OptimSection().Implementation, parameters,
        new NpEdit.Trainer.Optimization.AdamSettings(Number("aux-lr", 1e-4), 0, 0.9));
    var steps = (int)Number("aux-steps", 200);
    (Tensor Fake, Tensor Real, Tensor W)[] Probe(DiT fake) => bins.Select(b =>
    {
        var g = SeededNoise.NewGenerator(41);
        var t = SeededNoise.Rand([batchSize], g, CPU) * (b.Item2 - b.Item1) + b.Item1;
        var xt = FlowMatching.Interpolate(edited!, SeededNoise.Randn(edited!.shape, g, CPU), t);
        var vCond = V(teacher, xt, t, cx);
        var vNeg = V(teacher, xt, t, negative);
        var real = FlowMatching.PredictX0(xt, t, vNeg + cfg * (vCond - vNeg));
        return (FlowMatching.PredictX0(xt, t, V(fake, xt, t, cx)), real, (edited! - real).abs().mean([1, 2, 3], keepdim: true));
    }).ToArray();
    var before = Probe(fresh);
    var rows = new EditBatchSampler(dataset.Rows, 1.0, 0.25, seed: 8);
    var rng = SeededNoise.NewGenerator(42);
    for (var k = 0; k < steps; k++)
    {
        using var scope = NewDisposeScope();
        var next = EditBatch.Load(rows.Next(batchSize), size, CPU);
        var nc = text.Encode(next.Examples.Select(e => e.Sample.Instruction).ToArray(), CPU);
        var ncx = text.Encode(next.Examples.Select(e => compact ? CompactCaptionRewriter.Rewrite(e.Sample.EditedCaption) : e.Sample.EditedCaption).ToArray(), CPU);
        var x0 = FewStepSampler.Sample((x, t) => V(editor, x, t, nc, next.References), SeededNoise.Randn(next.References.shape, rng, CPU),
            new[] { 1, 2, 4 }[k % 3], generator: rng);
        var tt = SeededNoise.Rand([batchSize], rng, CPU);
        var eps = SeededNoise.Randn(x0.shape, rng, CPU);
        using var grad = enable_grad();
        var loss = nn.functional.mse_loss(V(fresh, FlowMatching.Interpolate(x0, eps, tt), tt, ncx), FlowMatching.Velocity(x0, eps));
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.ClipGradNorm(2.0);
        optimizer.Step();
        if ((k + 1) % 50 == 0)
            Console.WriteLine($"  extra A_φ step {k + 1}: flow loss {loss.item<float>():F3}");
    }
    fresh.eval();
    var after = Probe(fresh);
    Console.WriteLine($"A_φ lag after {steps} more A_φ updates on the frozen editor (per t bin, all divided by w):");
    Console.WriteLine("  t bin        |fake−real| before  |fake−real| after  |fake moved|");
    for (var i = 0; i < bins.Length; i++)
        Console.WriteLine($"  [{bins[i].Item1:F2},{bins[i].Item2:F2}]  {((before[i].Fake - before[i].Real) / before[i].W).abs().mean().item<float>(),12:F3}  {((after[i].Fake - after[i].Real) / after[i].W).abs().mean().item<float>(),17:F3}  {((after[i].Fake - before[i].Fake) / before[i].W).abs().mean().item<float>(),12:F3}");
}

if (modes.Contains("descend"))
{
    var steps = (int)Number("descend-steps", 200);
    var lr = Number("descend-lr", 0.02);
    var x = (edited ?? y).clone();
    var snapshots = new List<Tensor> { x.clone() };
    var g = SeededNoise.NewGenerator(31);
    for (var k = 1; k <= steps; k++)
    {
        using var scope = NewDisposeScope();
        var t = SeededNoise.Rand([batchSize], g, CPU) * 0.96 + 0.02;
        var xt = FlowMatching.Interpolate(x, SeededNoise.Randn(x.shape, g, CPU), t);
        var vCond = V(teacher, xt, t, cx);
        var vNeg = V(teacher, xt, t, negative);
        var x0Real = FlowMatching.PredictX0(xt, t, vNeg + cfg * (vCond - vNeg));
        var x0Fake = FlowMatching.PredictX0(xt, t, V(teacher, xt, t, cx));
        var w = (x - x0Real).abs().mean([1, 2, 3], keepdim: true);
        x.sub_(lr * (x0Fake - x0Real) / w);
        if (k % (steps / 4) == 0)
        {
            snapshots.Add(x.clone().MoveToOuterDisposeScope());
            Console.WriteLine($"descend step {k}: seams {Seams(x):F2}, tv {Tv(x):F3}, |x − y| {(x - (edited ?? y)).abs().mean().item<float>():F3}");
        }
    }
    WriteGrid(Path.Combine(outDir, "descend.png"), snapshots);
}

// Patch-border jumps over inside jumps, for horizontal and vertical neighbours (see the header).
double Seams(Tensor image)
{
    using var scope = NewDisposeScope();
    var dx = (image[.., .., .., 1..] - image[.., .., .., ..^1]).abs().mean([0, 1, 2]);   // (W−1,) jump between column j and j+1
    var dy = (image[.., .., 1.., ..] - image[.., .., ..^1, ..]).abs().mean([0, 1, 3]);   // (H−1,)
    var border = arange(dx.shape[0]).add(1).remainder(patch).eq(0);                      // the jump from the last column of a patch
    var across = (dx[border].mean() + dy[border].mean()).item<float>();
    var inside = (dx[border.logical_not()].mean() + dy[border.logical_not()].mean()).item<float>();
    return across / Math.Max(inside, 1e-8);
}

// Mean absolute difference of neighbouring pixels (total variation per pixel).
double Tv(Tensor image)
{
    using var scope = NewDisposeScope();
    return ((image[.., .., .., 1..] - image[.., .., .., ..^1]).abs().mean() + (image[.., .., 1.., ..] - image[.., .., ..^1, ..]).abs().mean()).item<float>() / 2;
}

// One column per tensor of the list, one row per batch item, each cell 64 px (nearest).
void WriteGrid(string path, IReadOnlyList<Tensor> columns)
{
    const int cell = 64, gap = 2;
    var n = (int)columns[0].shape[0];
    var (width, height) = (columns.Count * (cell + gap) + gap, n * (cell + gap) + gap);
    var rgb = Enumerable.Repeat((byte)255, width * height * 3).ToArray();
    for (var col = 0; col < columns.Count; col++)
        for (var row = 0; row < n; row++)
        {
            var big = nn.functional.interpolate(columns[col][row].unsqueeze(0), size: [cell, cell], mode: InterpolationMode.Nearest).squeeze(0);
            var image = ImageTensors.ToRgb(big);
            for (var yy = 0; yy < cell; yy++)
                Array.Copy(image, yy * cell * 3, rgb, (((row * (cell + gap) + gap) + yy) * width + col * (cell + gap) + gap) * 3, cell * 3);
        }
    File.WriteAllBytes(path, PngCodec.Encode(rgb, width, height));
    Console.WriteLine($"wrote {path}");
}

static DiT Copy(DiT source)
{
    var copy = new DiT(source.Config);
    copy.load_state_dict(source.state_dict());
    copy.eval();
    return copy;
}
