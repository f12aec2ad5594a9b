// Critic pretraining diagnostics without a database: the CriticPretrainer on the ShapesWorld streams with per-family
// (and per-candidate-kind) held-out accuracy every --eval-every steps, running train means, and the process CPU time,
// so learning curves of settings can be compared quickly (bench/RESULTS.md, critic section).
//
//   NPEDIT_TORCH_THREADS=1 dotnet run -c Release --project bench/CriticLab -- --set steps=300 --set vision_steps=50 --eval-every 100 --heldout 60
//   options: --set key=value (CriticPretrainConfig, snake case; repeatable), --patch 16 (the preset's patch size),
//            --families presence,edit (train and evaluate only these), --eval-every N, --heldout N (per family),
//            --dump N (print N held-out questions first), --save critic.safetensors (the trained critic, for --probe; written at every evaluation),
//            --device cuda (default cpu; bench/gpu/session.sh criticlab runs it on the GPU machine),
//            --init critic.safetensors (start from a saved critic of the same preset: --set init=…),
//            --render-workers N (threads rendering batches ahead of the step, default cores − 2 up to 4; 0: on the training thread),
//            --shortcuts N (how well the images alone predict the answers of N held-out questions per family),
//            --render-bench N (only render N Yes/No batches, inline and with the workers: batches/s, and that they agree),
//            (--set prompt_layout=question_first: the prompt layout, CriticPromptLayout)
//            (--set caption_steps=400 [--set caption_order=name_first]: the captioning stage, CriticPretrainer.TrainCaptionStep)
//   NPEDIT_TORCH_THREADS=1 dotnet run -c Release --project bench/CriticLab -- --probe critic.safetensors --heldout 100
//            (what a trained critic's answer depends on: the question, the candidate image; and its accuracy on held-out
//            contrastive pairs, where the images alone give 50 %)
//   NPEDIT_TORCH_THREADS=1 dotnet run -c Release --project bench/CriticLab -- --gc-race     (the libtorch toFloat error)
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NpEdit.Core.Config;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using static TorchSharp.torch;

string? Option(string name) => args.Select((a, i) => (a, i)).Where(p => p.a == "--" + name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).LastOrDefault();
var sets = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToArray();
// --init C.safetensors is --set init=C.safetensors: continue from a saved critic of the same preset (CriticPretrainConfig.Init).
var config = ConfigLoader.Load<CriticPretrainConfig>(null, [.. sets, .. Option("init") is { } init ? [$"init={init}"] : Array.Empty<string>()]).Value.Validate();
var evalEvery = int.Parse(Option("eval-every") ?? "100", CultureInfo.InvariantCulture);
var heldOutPerFamily = int.Parse(Option("heldout") ?? "60", CultureInfo.InvariantCulture);
var families = (Option("families") ?? string.Join(',', CriticExample.Families)).Split(',');
var selection = TorchRuntime.Initialize(DeviceSpec.Parse(Option("device") ?? "cpu"));

var critic = config.Critic();
if (Option("patch") is { } patch)
    critic = critic with { Model = critic.Model with { VisionConfig = critic.Model.VisionConfig with { PatchSize = int.Parse(patch, CultureInfo.InvariantCulture) } } };
Console.WriteLine($"config: {string.Join(' ', sets)} patch {critic.Model.VisionConfig.PatchSize} ({critic.Model.TokensPerImage} positions per image), layout {critic.PromptLayout}, families {string.Join(',', families)}");

var renderWorkers = int.Parse(Option("render-workers") ?? CriticTrainingBatches.DefaultWorkers.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
IEnumerable<CriticExample> Stream(ulong stream, long start = 0) => ShapesCriticData.Stream(stream, start).Where(e => families.Contains(e.Family));
var heldOut = CriticTrainingBatches.HeldOut(families.Length * heldOutPerFamily, renderWorkers, families);
if (Option("render-bench") is { } renderBatches)
{
    // Rendering alone: Yes/No batches per second on the training thread and with the workers, and whether they agree.
    var count = int.Parse(renderBatches, CultureInfo.InvariantCulture);
    string Fingerprint(CriticExample[] b) => string.Join('|', b.Select(e => e.Question + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(e.Candidate))));
    string[] Render(int workers)
    {
        var clock = Stopwatch.StartNew();
        using var prefetcher = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.YesNo(config, b, families), workers, count: count);
        var prints = Enumerable.Range(0, count).Select(_ => Fingerprint(prefetcher.Next())).ToArray();
        Console.WriteLine($"render-bench: {count} batches of {config.BatchSize} with {workers} workers: {count / clock.Elapsed.TotalSeconds:F1} batches/s");
        return prints;
    }
    Render(0);   // warm-up: the first renders include the JIT's compilation
    var inline = Render(0);
    Console.WriteLine($"render-bench: the same batches with {renderWorkers} workers: {inline.SequenceEqual(Render(renderWorkers))}");
    return;
}
foreach (var e in heldOut.Take(int.Parse(Option("dump") ?? "0", CultureInfo.InvariantCulture)))
    Console.WriteLine($"  {e.Family}/{e.Kind} {(e.AnswerIsYes ? "Yes" : "No")}: {e.Question}");
if (Option("shortcuts") is { } shortcutCount)
{
    // How far the images alone predict the answer: per family, the accuracy of the best rule that sees only what the
    // images show — presence: the number of objects; two images: unchanged, degraded, background or style changed, and
    // how many objects differ — i.e. the majority answer per bucket, over N held-out questions per family.
    var rows = CriticTrainingBatches.HeldOut(3 * int.Parse(shortcutCount, CultureInfo.InvariantCulture), renderWorkers);
    string Bucket(CriticExample e)
    {
        if (e.Reference is null)
            return $"{e.CandidateScene!.Objects.Count} objects";
        if (e.Reference.AsSpan().SequenceEqual(e.Candidate))
            return "unchanged";
        if (e.Kind is CandidateKind.Noisy or CandidateKind.Blurred)
            return "degraded";
        var (a, b) = (e.ReferenceScene!, e.CandidateScene!);
        var global = a.Background != b.Background || a.Style != b.Style || a.Sign != b.Sign;
        var changed = a.Objects.Except(b.Objects).Count() + b.Objects.Except(a.Objects).Count();
        return $"{(global ? "global" : "local")} change, {Math.Min(changed, 3)} object rows differ";
    }
    foreach (var family in rows.GroupBy(e => e.Family))
    {
        var buckets = family.GroupBy(Bucket).OrderByDescending(g => g.Count()).ToArray();
        var best = buckets.Sum(g => Math.Max(g.Count(e => e.AnswerIsYes), g.Count(e => !e.AnswerIsYes))) / (double)family.Count();
        Console.WriteLine($"SHORTCUT {family.Key}: image-only rule {100 * best:F1} % of {family.Count()} ({100 * family.Average(e => e.AnswerIsYes ? 1.0 : 0.0):F1} % Yes)");
        foreach (var g in buckets)
            Console.WriteLine($"  {g.Key}: {g.Count()} questions, {100 * g.Average(e => e.AnswerIsYes ? 1.0 : 0.0):F0} % Yes");
    }
    return;
}
if (args.Contains("--gc-race"))
{
    // Reproduces libtorch's "Expected false to be true … Exception raised from toFloat": tensor + tensor passes an
    // implicit Scalar alpha = 1 that nothing keeps alive during the native call, so a GC started by another thread
    // can finalize (free) it while libtorch still reads it (Runtime/TorchGcGuard says more). Forced collections
    // make the race happen in seconds; in training it needs a GC from another thread at the wrong microsecond.
    var stop = false;
    var collector = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
    collector.Start();
    var (a, b) = (randn(64, 64), randn(64, 64));
    var clock = Stopwatch.StartNew();
    long additions = 0;
    try
    {
        for (; clock.Elapsed.TotalSeconds < 60; additions++)
            using (var sum = a + b) { }
        Console.WriteLine($"gc-race: {additions} additions in 60 s without the error");
    }
    catch (ExternalException e)
    {
        Console.WriteLine($"gc-race: libtorch failed after {additions} additions in {clock.Elapsed.TotalSeconds:F1} s: {e.Message.Split('\n')[0]}");
    }
    stop = true;
    collector.Join();
    return;
}
if (args.Contains("--label-tokens"))
{
    // The decoder alone, on image tokens made from the ground truth (per patch: one-hot colour ⊕ one-hot shape through
    // a fixed random projection) instead of the vision tower: can it learn the questions when the image is read perfectly?
    var labelCritic = critic;
    using var model = new LlavaOnevisionModel(labelCritic.Model);
    var prompts = new CriticPrompts(CriticCheckpoint.CreateTokenizer(labelCritic, "."), labelCritic.Template, labelCritic.Model);
    var grid = labelCritic.Model.VisionConfig.ImageSize / labelCritic.Model.VisionConfig.PatchSize;
    var (colors, shapes) = (SceneLabels.PatchClasses[0], SceneLabels.PatchClasses[1]);
    var projection = randn(colors + shapes, labelCritic.Model.TextConfig.HiddenSize) / Math.Sqrt(2);
    Tensor Tokens(IEnumerable<NpEdit.ShapesWorld.Scenes.Scene> scenes) => stack(scenes.Select(scene =>
    {
        var labels = SceneLabels.Of(scene, grid);
        var hot = cat([nn.functional.one_hot(tensor(labels.Color), colors), nn.functional.one_hot(tensor(labels.Shape), shapes)], 1).to(float32);
        return cat([hot.matmul(projection), zeros(1, labelCritic.Model.TextConfig.HiddenSize)], 0);
    }));
    var labelTokenizer = CriticCheckpoint.CreateTokenizer(labelCritic, ".");
    var subjectAnswer = args.Contains("--subject-answer");
    var patchMatch = args.Contains("--patch-match");
    // Per patch of the candidate: does it show the named object (colour and shape)? The dense "match" target of --patch-match.
    var names = Enum.GetValues<NpEdit.ShapesWorld.Scenes.NamedColor>().SelectMany(c => Enum.GetValues<NpEdit.ShapesWorld.Scenes.ShapeKind>().Select(k => (c, k)))
        .ToDictionary(p => new NpEdit.ShapesWorld.Edits.ObjectRef(p.c, p.k).Name, p => ((long)p.c + 1, (long)p.k + 1));
    float[] Matches(CriticExample row)
    {
        var labels = SceneLabels.Of(row.CandidateScene!, grid);
        var (color, shape) = names[row.Subject!];
        return [.. Enumerable.Range(0, grid * grid).Select(p => labels.Color[p] == color && labels.Shape[p] == shape ? 1f : 0f)];
    }
    var visible = heldOut.Where(e => e.Family == CriticExample.Presence && e.AnswerIsYes).Average(e => Matches(e).Any(m => m > 0) ? 1.0 : 0.0);
    Console.WriteLine($"label tokens: {visible:P1} of the held-out present objects cover a patch centre of the {grid}×{grid} grid");
    Tensor? matchLogits = null;
    var matchHead = nn.Linear(labelCritic.Model.TextConfig.HiddenSize, 1);
    (Tensor Answer, Tensor Subject) Margins(CriticExample[] rows)
    {
        var imageCount = rows[0].Reference is null ? 1 : 2;
        var images = imageCount == 1 ? Tokens(rows.Select(r => r.CandidateScene!)) : cat([Tokens(rows.Select(r => r.ReferenceScene!)), Tokens(rows.Select(r => r.CandidateScene!))], 1);
        var (ids, mask) = prompts.Batch([.. rows.Select(r => r.Question)], imageCount, CPU);
        var hidden = model.call(ids, mask, images);
        var length = ids.shape[1];
        if (patchMatch)
        {
            // The candidate's patches: the last image's positions before its newline, in every (left-padded) row.
            var candidateEnd = rows.Select(r => { var rowIds = prompts.Ids(r.Question, imageCount); return length - rowIds.Length + Array.LastIndexOf(rowIds, labelCritic.Model.ImageTokenIndex); }).ToArray();
            var positions = candidateEnd.SelectMany(end => Enumerable.Range(0, grid * grid).Select(p => (long)(end - grid * grid + p))).ToArray();
            var rowIndex = Enumerable.Range(0, rows.Length).SelectMany(i => Enumerable.Repeat((long)i, grid * grid)).ToArray();
            matchLogits = matchHead.call(hidden.index([TensorIndex.Tensor(tensor(rowIndex)), TensorIndex.Tensor(tensor(positions))])).squeeze(-1);
        }
        // The last token of the subject (object name or instruction) in each left-padded row.
        var subjectPositions = rows.Select(r =>
        {
            var rowIds = prompts.Ids(r.Question, imageCount);
            var words = labelTokenizer.Encode(r.Subject!);
            var start = Enumerable.Range(0, rowIds.Length - words.Length + 1).Last(s => rowIds.AsSpan(s, words.Length).SequenceEqual(words));
            return length - rowIds.Length + start + words.Length - 1;
        }).ToArray();
        var answer = model.Head(hidden[.., -1]);
        var subject = model.Head(hidden.index([TensorIndex.Tensor(arange(rows.Length)), TensorIndex.Tensor(tensor(subjectPositions))]));
        return (answer[.., labelCritic.YesTokenId] - answer[.., labelCritic.NoTokenId], subject[.., labelCritic.YesTokenId] - subject[.., labelCritic.NoTokenId]);
    }
    Tensor Margin(CriticExample[] rows) => Margins(rows).Answer;
    var optimizer = optim.AdamW(model.parameters().Concat(matchHead.parameters()), lr: config.LearningRate, beta1: 0.9, beta2: 0.98, weight_decay: config.WeightDecay);
    var family = families[0];
    using var rowsOf = Stream(ShapesCriticData.TrainStream).Where(e => e.Family == family && e.Kind is not (CandidateKind.Noisy or CandidateKind.Blurred)).Chunk(config.BatchSize).GetEnumerator();
    var test = heldOut.Where(e => e.Family == family && e.Kind is not (CandidateKind.Noisy or CandidateKind.Blurred)).ToArray();
    var accuracies = new List<double>();
    for (var step = 1; step <= config.Steps; step++)
    {
        using var scope = NewDisposeScope();
        rowsOf.MoveNext();
        var answers = tensor(rowsOf.Current.Select(r => r.AnswerIsYes ? 1f : -1f).ToArray());
        var (margin, subjectMargin) = Margins(rowsOf.Current);
        var loss = -nn.functional.logsigmoid(margin * answers).mean();
        if (subjectAnswer)
            loss = loss - nn.functional.logsigmoid(subjectMargin * answers).mean();
        if (patchMatch)
            loss = loss + nn.functional.binary_cross_entropy_with_logits(matchLogits!, tensor(rowsOf.Current.SelectMany(Matches).ToArray()));
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), config.GradClip);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = config.LearningRate * Math.Min(1.0, step / (double)Math.Max(1, config.WarmupSteps));
        optimizer.step();
        accuracies.Add((margin.detach() * answers > 0).to(float32).mean().item<float>());
        if (step % 50 == 0)
        {
            using var _ = no_grad();
            var right = test.Chunk(48).SelectMany(c => Margin(c).data<float>().ToArray().Zip(c, (m, e) => (m > 0) == e.AnswerIsYes)).Average(r => r ? 1.0 : 0.0);
            Console.WriteLine($"label-tokens{(subjectAnswer ? " + subject answer" : "")}{(patchMatch ? " + patch match" : "")} {family} step {step}: train accuracy {accuracies.Average():P1}, held-out {right:P1} ({test.Length})  cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s");
            accuracies.Clear();
        }
    }
    return;
}
if (Option("probe") is { } checkpoint)
{
    // What a trained critic's answer depends on: its margin ℓ_Yes − ℓ_No on held-out questions as they are, with each
    // question moved to the next example of its family (same images, another instruction or object), and with the
    // candidate replaced by the reference (a no-op) or by the next example's candidate.
    using var probed = (LlavaOnevisionCritic)CriticCheckpoint.Load(checkpoint, selection.Device);
    static Tensor Pixels(IEnumerable<byte[]> rgb) => stack(rgb.Select(b => tensor(b, [64, 64, 3]).to(float32).permute(2, 0, 1) / 127.5f - 1f));
    float[] Margins(IReadOnlyList<CriticExample> rows, IReadOnlyList<string> questions, IReadOnlyList<byte[]> candidates)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = probed.AnswerLogits(rows[0].Reference is null ? null : Pixels(rows.Select(r => r.Reference!)), Pixels(candidates), questions);
        return (logits[.., probed.YesTokenId] - logits[.., probed.NoTokenId]).data<float>().ToArray();
    }
    using (no_grad())
    {
        // Scale of what the decoder reads: image tokens (common part vs per-patch part) against text embeddings.
        var tokens = probed.Model.ImageTokens(CriticImageProcessor.Prepare(Pixels(heldOut.Take(16).Select(e => e.Candidate)), probed.Config.Model))[.., ..^1];
        var mean = tokens.mean([0L, 1L]);
        var text = probed.Model.named_parameters().First(p => p.name.EndsWith("embed_tokens.weight", StringComparison.Ordinal)).parameter;
        Console.WriteLine($"image token rms {tokens.pow(2).mean().sqrt().item<float>():F3}, common part rms {mean.pow(2).mean().sqrt().item<float>():F3}, per-patch deviation rms {(tokens - mean).pow(2).mean().sqrt().item<float>():F3}; text embedding rms {text.pow(2).mean().sqrt().item<float>():F3}");
    }
    foreach (var family in families)
    {
        var rows = heldOut.Where(e => e.Family == family).ToArray();
        string[] Rotate(IEnumerable<string> q) { var a = q.ToArray(); return [.. a.Skip(1), a[0]]; }
        byte[][] RotateImages(IEnumerable<byte[]> q) { var a = q.ToArray(); return [.. a.Skip(1), a[0]]; }
        var asIs = Margins(rows, [.. rows.Select(r => r.Question)], [.. rows.Select(r => r.Candidate)]);
        var otherQuestion = Margins(rows, Rotate(rows.Select(r => r.Question)), [.. rows.Select(r => r.Candidate)]);
        var otherCandidate = Margins(rows, [.. rows.Select(r => r.Question)], RotateImages(rows.Select(r => r.Candidate)));
        var accuracy = rows.Zip(asIs).Average(p => (p.Second > 0) == p.First.AnswerIsYes ? 1.0 : 0.0);
        double MeanAbs(float[] a, float[] b) => a.Zip(b).Average(p => Math.Abs(p.First - p.Second));
        var line = $"PROBE {family}: accuracy {100 * accuracy:F1}, mean |margin| {asIs.Average(Math.Abs):F3}, |Δ| other question {MeanAbs(asIs, otherQuestion):F3}, other candidate {MeanAbs(asIs, otherCandidate):F3}";
        if (rows[0].Reference is not null)
            line += $", candidate := reference {MeanAbs(asIs, Margins(rows, [.. rows.Select(r => r.Question)], [.. rows.Select(r => r.Reference!)])):F3}";
        Console.WriteLine(line);
        if (family == CriticExample.Presence)
        {
            // Where presence fails: present objects, and absent names by what of them the image does show — both the
            // colour and the shape on different objects (a binding error would say Yes), one of them, or neither.
            string Case(CriticExample e)
            {
                if (e.AnswerIsYes)
                    return "present";
                var objects = e.CandidateScene!.Objects;
                var color = objects.Any(o => e.Subject!.StartsWith(NpEdit.ShapesWorld.Scenes.Vocabulary.Color(o.Color) + " ", StringComparison.Ordinal));
                var shape = objects.Any(o => e.Subject!.EndsWith(" " + NpEdit.ShapesWorld.Scenes.Vocabulary.Shape(o.Shape), StringComparison.Ordinal));
                return color && shape ? "absent, colour and shape shown apart" : color ? "absent, colour shown" : shape ? "absent, shape shown" : "absent, neither shown";
            }
            foreach (var group in rows.Zip(asIs).GroupBy(p => Case(p.First)).OrderBy(g => g.Key))
                Console.WriteLine($"  {group.Key}: {100 * group.Average(p => (p.Second > 0) == p.First.AnswerIsYes ? 1.0 : 0.0):F1} % of {group.Count()}");
        }
    }
    // Held-out contrastive pairs (the same images asked a Yes and a No question): no image-only rule beats 50 % there, so
    // what is above 50 % is read from the question (PairAccuracy, also a run metric of npedit pretrain critic).
    var pairs = CriticTrainingBatches.HeldOutPairs(heldOutPerFamily, renderWorkers, families);
    // One family at a time: Margins asks one- or two-image questions per call.
    float[] PairMargins(IEnumerable<CriticExample> rows) =>
        [.. rows.Chunk(48).SelectMany(c => Margins(c, [.. c.Select(r => r.Question)], [.. c.Select(r => r.Candidate)]))];
    foreach (var family in pairs.GroupBy(p => p.Family))
    {
        var ofFamily = family.ToArray();
        var pairMetrics = PairAccuracy.Compute(ofFamily, PairMargins(ofFamily.Select(p => p.Yes)), PairMargins(ofFamily.Select(p => p.No)));
        Console.WriteLine($"PAIRS {family.Key}: accuracy {100 * pairMetrics[PairAccuracy.AccuracyKey(family.Key)]:F1}, both answers right in {100 * pairMetrics[PairAccuracy.BothRightKey(family.Key)]:F1} % of {ofFamily.Length} pairs (image-only: 50 % and 0 %)");
    }
    return;
}
var cpu = Process.GetCurrentProcess();
double CpuSeconds() { cpu.Refresh(); return cpu.TotalProcessorTime.TotalSeconds; }
var start = CpuSeconds();

using var trainer = new CriticPretrainer(config, critic, selection.Device);
// What the image tokens carry (colour, shape, … per patch with an object), on the held-out candidates.
string SceneLabelAccuracy() => string.Join(" ", trainer.EvaluateSceneLabels(heldOut).Select(m => $"{m.Key["heldout/scene_labels/".Length..]} {100 * m.Value:F1}"));
var wallClock = Stopwatch.StartNew();
using (var images = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.Vision(config, b, families), renderWorkers, count: config.VisionSteps))
{
    var losses = new List<double>();
    while (trainer.VisionStep < config.VisionSteps)
    {
        losses.Add(trainer.TrainVisionStep(images.Next())["vision/loss"]);
        if (trainer.VisionStep % 50 == 0 || trainer.VisionStep == config.VisionSteps)
        {
            Console.WriteLine($"vision {trainer.VisionStep}: loss {losses.Average():F3}  cpu {CpuSeconds() - start:F0} s, wall {wallClock.Elapsed.TotalSeconds:F0} s");
            losses.Clear();
            if (trainer.VisionStep % evalEvery == 0 && trainer.VisionStep < config.VisionSteps)
                Console.WriteLine($"SCENE LABELS at vision step {trainer.VisionStep}: {SceneLabelAccuracy()}");
        }
    }
}
if (config.VisionSteps > 0)
    Console.WriteLine($"SCENE LABELS after the vision stage: {SceneLabelAccuracy()}");
using (var images = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.Caption(config, b, families), renderWorkers, count: config.CaptionSteps))
{
    var losses = new List<(double Caption, double ObjectWords, double Labels)>();
    while (trainer.CaptionStep < config.CaptionSteps)
    {
        var step = trainer.TrainCaptionStep(images.Next());
        losses.Add((step["caption/loss"], step["caption/object_words"], step["caption/scene_labels"]));
        if (trainer.CaptionStep % 25 == 0 || trainer.CaptionStep == config.CaptionSteps)
        {
            Console.WriteLine($"caption {trainer.CaptionStep}: caption loss {losses.Average(l => l.Caption):F3} (colour and shape words {losses.Average(l => l.ObjectWords):F3}) scene labels {losses.Average(l => l.Labels):F3}  cpu {CpuSeconds() - start:F0} s, wall {wallClock.Elapsed.TotalSeconds:F0} s");
            losses.Clear();
        }
    }
}
using var batches = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.YesNo(config, b, families), renderWorkers, count: config.Steps);
var (stepsAtWindow, wallAtWindow) = (0L, wallClock.Elapsed.TotalSeconds);
var window = new List<IReadOnlyDictionary<string, double>>();
var (allocated, collections) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
while (trainer.Step < config.Steps)
{
    window.Add(trainer.TrainStep(batches.Next()));
    if (trainer.Step % 25 == 0)
    {
        string Mean(string key) => window.Select(w => w.GetValueOrDefault(key, double.NaN)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average().ToString("F3", CultureInfo.InvariantCulture);
        var stepsPerSecond = (trainer.Step - stepsAtWindow) / (wallClock.Elapsed.TotalSeconds - wallAtWindow);
        (stepsAtWindow, wallAtWindow) = (trainer.Step, wallClock.Elapsed.TotalSeconds);
        Console.WriteLine($"step {trainer.Step}: yes_no {Mean("loss/yes_no")} acc {Mean("train/accuracy")} kind {Mean("loss/kind")} change {Mean("loss/change")} caption {Mean("loss/caption")} subject {Mean("loss/subject_answer")} grounding {Mean("loss/grounding")} scene_caption {Mean("loss/scene_caption")} labels {Mean("loss/scene_labels")}  cpu {CpuSeconds() - start:F0} s, wall {wallClock.Elapsed.TotalSeconds:F0} s, {stepsPerSecond:F2} steps/s, {(GC.GetTotalAllocatedBytes() - allocated) / 25.0 / (1 << 20):F1} MB managed and {(GC.CollectionCount(0) - collections) / 25.0:F2} GCs per step");
        (allocated, collections) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
        window.Clear();
    }
    if (trainer.Step % evalEvery == 0 || trainer.Step == config.Steps)
    {
        var metrics = trainer.Evaluate(heldOut);
        var perFamily = string.Join("  ", families.Select(f => $"{f} {100 * metrics[$"heldout/accuracy/{f}"]:F1}"));
        var perKind = string.Join(" ", metrics.Where(m => m.Key.Count(c => c == '/') == 3).OrderBy(m => m.Key)
            .Select(m => $"{m.Key["heldout/accuracy/".Length..]}={100 * m.Value:F0}"));
        Console.WriteLine($"EVAL step {trainer.Step}: overall {100 * metrics["heldout/accuracy"]:F1}  {perFamily}  cpu {CpuSeconds() - start:F0} s, wall {wallClock.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"  kinds: {perKind}");
        Console.WriteLine($"  scene labels: {SceneLabelAccuracy()}");
        // A run cut by a time limit (bench/gpu/session.sh criticlab) keeps the critic of its last evaluation.
        if (Option("save") is { } savePath)
            trainer.Save(savePath);
        wallAtWindow = wallClock.Elapsed.TotalSeconds;   // steps/s counts training steps only
        stepsAtWindow = trainer.Step;
    }
}
