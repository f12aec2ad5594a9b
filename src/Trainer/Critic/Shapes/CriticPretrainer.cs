using NpEdit.Trainer.Losses;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Pretrains a LLaVA-OneVision critic from scratch on Yes/No questions with the loss the critic is later used
/// with (Eq. 4): −log σ(ℓ_correct − ℓ_opposite) over the "Yes"/"No" logits at the answer position, both
/// images' towers trained. The library entry point; the CLI adds the run row and metrics.
/// Optional help from ShapesWorld's ground truth, in read-out heads that are not saved with the critic: a vision
/// stage first (<see cref="TrainVisionStep"/>), a captioning stage (<see cref="TrainCaptionStep"/>), then caption, scene-caption,
/// scene-label, candidate-kind, patch-change and grounding losses
/// beside the Yes/No loss (bench/RESULTS.md says why the Yes/No bit alone does not get off chance).
/// </summary>
public sealed class CriticPretrainer : IDisposable
{
    readonly CriticPretrainConfig config;
    readonly CriticConfig criticConfig;
    readonly LlavaOnevisionModel model;
    readonly CriticPrompts prompts;
    readonly ICriticTokenizer tokenizer;
    readonly SceneLabelHeads sceneHeads;
    readonly Linear kindHead;
    readonly Linear changeHead;
    readonly Linear groundingHead;
    readonly Device device;
    readonly AdamW optimizer;
    readonly AdamW visionOptimizer;
    readonly AdamW captionOptimizer;
    readonly Parameter[] visionParameters;
    readonly optim.lr_scheduler.LRScheduler scheduler;
    readonly Parameter[] parameters;
    readonly HashSet<long> objectWordIds;

    /// <param name="config">Training settings.</param>
    /// <param name="critic">The critic to build (e.g. <see cref="CriticPresets.ShapesMini"/>).</param>
    /// <param name="device">Where to train; null means the CPU.</param>
    public CriticPretrainer(CriticPretrainConfig config, CriticConfig critic, Device? device = null)
    {
        this.config = config.Validate();
        criticConfig = critic.Validate();
        this.device = device ?? CPU;
        manual_seed(config.Seed);
        model = new LlavaOnevisionModel(critic.Model);
        sceneHeads = new SceneLabelHeads(critic.Model.TextConfig.HiddenSize);
        kindHead = nn.Linear(critic.Model.TextConfig.HiddenSize, KindClasses);
        changeHead = nn.Linear(critic.Model.TextConfig.HiddenSize, 2);
        groundingHead = nn.Linear(critic.Model.TextConfig.HiddenSize, 2);
        if (config.Init is { } init)
            InitializeFrom(init);
        // Move before building the optimizer: module.to() replaces Parameter objects (TorchSharp #1455).
        model.to(this.device);
        sceneHeads.to(this.device);
        kindHead.to(this.device);
        changeHead.to(this.device);
        groundingHead.to(this.device);
        tokenizer = CriticCheckpoint.CreateTokenizer(critic, ".");
        prompts = new CriticPrompts(tokenizer, critic.Template, critic.Model);
        objectWordIds = [.. Enum.GetValues<NpEdit.ShapesWorld.Scenes.NamedColor>().Select(NpEdit.ShapesWorld.Scenes.Vocabulary.Color)
            .Concat(Enum.GetValues<NpEdit.ShapesWorld.Scenes.ShapeKind>().Select(NpEdit.ShapesWorld.Scenes.Vocabulary.Shape)).SelectMany(tokenizer.Encode)];
        parameters = [.. model.parameters(), .. sceneHeads.parameters(), .. kindHead.parameters(), .. changeHead.parameters(), .. groundingHead.parameters()];
        optimizer = optim.AdamW(parameters, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay);
        // The vision stage trains what produces and reads image tokens: tower, projector, scene-label heads.
        visionParameters = [.. model.named_parameters().Where(p => p.name.StartsWith("vision_tower.", StringComparison.Ordinal) || p.name.StartsWith("multi_modal_projector.", StringComparison.Ordinal)).Select(p => p.parameter), .. sceneHeads.parameters()];
        visionOptimizer = optim.AdamW(visionParameters, lr: config.VisionLearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay);
        captionOptimizer = optim.AdamW(parameters, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay);
        var (warmup, total) = (Math.Max(1, config.WarmupSteps), Math.Max(1, config.Steps));
        var floor = config.FinalLearningRateFraction;
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, step => step < warmup
            ? (step + 1.0) / warmup
            : floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (step - warmup) / (double)Math.Max(1, total - warmup)))));
    }

    static readonly int KindCount = Enum.GetValues<CandidateKind>().Length;

    /// <summary>
    /// The question comes before the images: the grounding loss applies (each patch can see the question), the caption
    /// and subject-answer losses do not (the words they read come before the images).
    /// </summary>
    bool QuestionFirst => criticConfig.PromptLayout == CriticPromptLayout.QuestionFirst;

    /// <summary>Patches per side of an image: the g of the g×g grid the scene labels are laid on.</summary>
    int PatchGrid => criticConfig.Model.VisionConfig.ImageSize / criticConfig.Model.VisionConfig.PatchSize;

    /// <summary>Classes of the (family, candidate kind) read-out: every family × every kind.</summary>
    static readonly int KindClasses = CriticExample.Families.Length * KindCount;

    public LlavaOnevisionModel Model => model;

    public CriticConfig CriticConfig => criticConfig with { Step = Step };

    public long Step { get; private set; }

    /// <summary>Vision-stage steps taken.</summary>
    public long VisionStep { get; private set; }

    /// <summary>Captioning-stage steps taken.</summary>
    public long CaptionStep { get; private set; }

    /// <summary>
    /// One step of the vision stage (as SigLIP is pretrained before the LLM sees it): the image tokens of every
    /// image in <paramref name="batch"/> whose scene is known predict its <see cref="SceneLabels"/>; only the
    /// tower, the projector and the label heads learn. Returns vision/loss and vision/grad_norm.
    /// </summary>
    public IReadOnlyDictionary<string, double> TrainVisionStep(IReadOnlyList<CriticExample> batch)
    {
        using var gc = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        model.train();
        var images = KnownImages(batch, "vision");
        var tokens = model.ImageTokens(CriticImageProcessor.Prepare(Images(images.Select(i => i.Image)), criticConfig.Model));
        var (loss, _) = SceneLabelTerm(tokens[.., ..^1], [.. images.Select(i => (i.Scene, i.Kind))])!.Value;
        visionOptimizer.zero_grad();
        loss.backward();
        var gradNorm = nn.utils.clip_grad_norm_(visionParameters, config.MaxGradNorm());
        StageWarmUp(visionOptimizer, config.VisionLearningRate, VisionStep, config.VisionSteps);
        if (double.IsFinite(gradNorm))
            visionOptimizer.step();
        VisionStep++;
        return new Dictionary<string, double> { ["vision/loss"] = loss.item<float>(), ["vision/grad_norm"] = gradNorm };
    }

    /// <summary>The learning rate of a short stage (vision, captioning): linear warm-up over its first tenth, then constant.</summary>
    static void StageWarmUp(optim.Optimizer optimizer, double peak, long step, int stageSteps)
    {
        var warmup = Math.Max(1, stageSteps / 10);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = peak * Math.Min(1.0, (step + 1.0) / warmup);
    }

    /// <summary>
    /// One step of the captioning stage (LLaVA's stages 1–2, here before the Yes/No stage): after each image of
    /// <paramref name="batch"/> whose scene is known, the decoder writes its full <see cref="SceneCaption"/> word by word
    /// (next-token loss on every caption word), beside the scene-label loss; the whole critic learns. Dense targets that
    /// bind words to image content, where a Yes/No question gives one bit. Returns caption/loss, caption/object_words (the
    /// loss on the colour and shape words alone: ln 12 ≈ 2.5 until the decoder reads objects), caption/scene_labels, caption/grad_norm.
    /// </summary>
    public IReadOnlyDictionary<string, double> TrainCaptionStep(IReadOnlyList<CriticExample> batch)
    {
        using var gc = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        model.train();
        var images = KnownImages(batch, "captioning");
        var tokens = model.ImageTokens(CriticImageProcessor.Prepare(Images(images.Select(i => i.Image)), criticConfig.Model));
        var (caption, _, objectWords) = SceneCaptionTerm(tokens, [.. images.Select(i => i.Scene)])!.Value;
        var (labels, _) = SceneLabelTerm(tokens[.., ..^1], [.. images.Select(i => (i.Scene, i.Kind))])!.Value;
        var loss = caption + config.SceneLabelLossWeight * labels;
        captionOptimizer.zero_grad();
        loss.backward();
        var gradNorm = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm());
        StageWarmUp(captionOptimizer, config.LearningRate, CaptionStep, config.CaptionSteps);
        if (double.IsFinite(gradNorm))
            captionOptimizer.step();
        CaptionStep++;
        return new Dictionary<string, double>
        {
            ["caption/loss"] = caption.item<float>(), ["caption/object_words"] = objectWords, ["caption/scene_labels"] = labels.item<float>(),
            ["caption/grad_norm"] = gradNorm,
        };
    }

    /// <summary>The reference and candidate images of <paramref name="batch"/> whose scenes are known, with the candidate kind (its degradation).</summary>
    static (byte[] Image, NpEdit.ShapesWorld.Scenes.Scene? Scene, CandidateKind Kind)[] KnownImages(IReadOnlyList<CriticExample> batch, string stage)
    {
        var images = batch.Where(e => e.Reference is not null).Select(e => (Image: e.Reference!, Scene: e.ReferenceScene, Kind: CandidateKind.Correct))
            .Concat(batch.Select(e => (Image: e.Candidate, Scene: e.CandidateScene, e.Kind)))
            .Where(i => i.Scene is not null).ToArray();
        return images.Length > 0 ? images
            : throw new ArgumentException($"The {stage} stage needs examples whose scenes are known (ShapesCriticData examples).");
    }


    /// <summary>
    /// One AdamW step on <paramref name="batch"/>: the Yes/No loss (Eq. 4) plus the weighted caption, scene-label
    /// candidate-kind, patch-change, subject-answer, grounding and scene-caption losses (absent where left out); returns loss,
    /// loss/yes_no, loss/caption, loss/scene_caption, loss/scene_labels, loss/kind, loss/change, loss/subject_answer, loss/grounding, accuracy,
    /// grad_norm, lr, skipped.
    /// </summary>
    public IReadOnlyDictionary<string, double> TrainStep(IReadOnlyList<CriticExample> batch)
    {
        using var gc = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        model.train();
        var (margin, answers, caption, sceneLabels, kind, change, subject, grounding, sceneCaption) = Forward(batch, withAuxiliary: true);   // ℓ_Yes − ℓ_No, ±1
        var yesNo = VlmLoss.BinaryYesNo(margin * answers, zeros_like(margin), logitScale: 1.0, "critic").Loss;
        var loss = yesNo;
        if (subject is not null)
            loss = loss + config.SubjectAnswerLossWeight * subject;
        if (caption is not null)
            loss = loss + config.CaptionLossWeight * caption;
        if (sceneLabels is not null)
            loss = loss + config.SceneLabelLossWeight * sceneLabels;
        if (kind is not null)
            loss = loss + config.KindLossWeight * kind;
        if (change is not null)
            loss = loss + config.ChangeLossWeight * change;
        if (grounding is not null)
            loss = loss + config.GroundingLossWeight * grounding;
        if (sceneCaption is not null)
            loss = loss + config.SceneCaptionLossWeight * sceneCaption;
        optimizer.zero_grad();
        loss.backward();
        var gradNorm = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm());
        var lr = optimizer.ParamGroups.First().LearningRate;
        var skipped = !double.IsFinite(gradNorm);
        if (!skipped)
        {
            optimizer.step();
            scheduler.step();
        }
        Step++;
        var values = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["loss/yes_no"] = yesNo.item<float>(),
            ["train/accuracy"] = (margin.detach() * answers > 0).to(float32).mean().item<float>(),
            ["grad_norm"] = gradNorm,
            ["lr"] = lr,
            ["skipped"] = skipped ? 1 : 0,
        };
        foreach (var (key, term) in new[] { ("loss/caption", caption), ("loss/scene_labels", sceneLabels), ("loss/kind", kind),
                     ("loss/change", change), ("loss/subject_answer", subject), ("loss/grounding", grounding), ("loss/scene_caption", sceneCaption) })
        {
            if (term is not null)
                values[key] = term.item<float>();
        }
        return values;
    }

    /// <summary>
    /// How well the image tokens name what each patch shows: accuracy of the scene-label read-outs on the candidates of
    /// <paramref name="examples"/>, per object label (colour, shape, pattern, size), over the patches with an object under them. A
    /// critic cannot check a name its image tokens do not carry: with <c>shapes-mini-cells</c> presence fails exactly
    /// on absent names whose colour the image shows (bench/RESULTS.md, critic section), which this tells apart from a
    /// decoder that does not read the shape word.
    /// </summary>
    public IReadOnlyDictionary<string, double> EvaluateSceneLabels(IReadOnlyList<CriticExample> examples, int chunk = 48)
    {
        using var _ = no_grad();
        model.eval();
        var (right, counted) = (new long[SceneLabels.ObjectLabelNames.Length], 0L);
        foreach (var rows in examples.Where(e => e.CandidateScene is not null).Chunk(chunk))
        {
            using var gc = TorchGcGuard.Enter();
            using var scope = NewDisposeScope();
            var patches = model.ImageTokens(CriticImageProcessor.Prepare(Images(rows.Select(r => r.Candidate)), criticConfig.Model))[.., ..^1];
            var labels = rows.Select(r => SceneLabels.Of(r.CandidateScene!, PatchGrid, r.Kind)).ToArray();
            var predicted = sceneHeads.call(patches).Patch.Select(l => l.argmax(1).cpu().data<long>().ToArray()).ToArray();
            var occupied = labels.SelectMany(l => l.Color).Select(c => c != 0).ToArray();
            counted += occupied.Count(o => o);
            for (var h = 0; h < right.Length; h++)
                right[h] += labels.SelectMany(l => l.Heads[h]).Zip(predicted[h]).Where((p, i) => occupied[i] && p.First == p.Second).LongCount();
        }
        return SceneLabels.ObjectLabelNames.Select((name, h) => (name, h))
            .ToDictionary(p => $"heldout/scene_labels/{p.name}", p => counted == 0 ? double.NaN : right[p.h] / (double)counted);
    }

    /// <summary>Held-out accuracy (p(Yes) &gt; ½ agrees with the answer) per family, per candidate kind and overall.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<CriticExample> examples, int chunk = 48)
    {
        var correct = examples.Zip(Margins(examples, chunk), (e, m) => (Example: e, Right: m * (e.AnswerIsYes ? 1 : -1) > 0)).ToArray();
        var metrics = new Dictionary<string, double> { ["heldout/accuracy"] = correct.Average(c => c.Right ? 1.0 : 0.0) };
        foreach (var group in correct.GroupBy(c => c.Example.Family))
            metrics[$"heldout/accuracy/{group.Key}"] = group.Average(c => c.Right ? 1.0 : 0.0);
        foreach (var group in correct.GroupBy(c => (c.Example.Family, c.Example.Kind)))
            metrics[$"heldout/accuracy/{group.Key.Family}/{group.Key.Kind.ToString().ToLowerInvariant()}"] = group.Average(c => c.Right ? 1.0 : 0.0);
        return metrics;
    }

    /// <summary>Held-out accuracy on contrastive pairs per family (<see cref="PairAccuracy"/>): how much the critic reads the question.</summary>
    public IReadOnlyDictionary<string, double> EvaluatePairs(IReadOnlyList<CriticQuestionPair> pairs, int chunk = 48) =>
        pairs.Count == 0
            ? new Dictionary<string, double>()
            : PairAccuracy.Compute(pairs, Margins([.. pairs.Select(p => p.Yes)], chunk), Margins([.. pairs.Select(p => p.No)], chunk));

    /// <summary>ℓ_Yes − ℓ_No for each example in order, in eval mode without grad, <paramref name="chunk"/> examples per pass.</summary>
    public float[] Margins(IReadOnlyList<CriticExample> examples, int chunk = 48)
    {
        using var _ = no_grad();
        model.eval();
        var margins = new List<float>(examples.Count);
        for (var i = 0; i < examples.Count; i += chunk)
        {
            using var gc = TorchGcGuard.Enter();
            using var scope = NewDisposeScope();
            var part = examples.Skip(i).Take(chunk).ToArray();
            var (margin, _, _, _, _, _, _, _, _) = Forward(part, withAuxiliary: false);
            margins.AddRange(margin.to(float32).cpu().data<float>().ToArray());
        }
        return [.. margins];
    }

    /// <summary>
    /// ℓ_Yes − ℓ_No per example in batch order (single-image and two-image questions in separate passes), the answers as ±1,
    /// and, when asked, the auxiliary losses (each null when the batch has nothing for it): caption over
    /// <see cref="CriticExample.GroundedText"/>, scene labels over every image whose scene is known, candidate kind at
    /// the answer position, patch change over the two-image rows, the scene caption of every candidate.
    /// </summary>
    (Tensor Margin, Tensor Answers, Tensor? Caption, Tensor? SceneLabels, Tensor? Kind, Tensor? Change, Tensor? Subject, Tensor? Grounding, Tensor? SceneCaption) Forward(IReadOnlyList<CriticExample> batch, bool withAuxiliary)
    {
        var sceneCaptions = new List<(Tensor Loss, int Count)>();
        var groundings = new List<(Tensor Loss, int Count)>();
        var subjects = new List<(Tensor Loss, int Count)>();
        var changes = new List<(Tensor Loss, int Count)>();
        var kinds = new List<Tensor>();
        var margins = new List<Tensor>();
        var answers = new List<float>();
        var captions = new List<(Tensor Loss, int Count)>();
        var labels = new List<(Tensor Loss, int Count)>();
        foreach (var group in batch.GroupBy(e => e.Reference is null))
        {
            var rows = group.ToArray();
            var imageCount = group.Key ? 1 : 2;
            // One tower pass over references and candidates together, then [reference, candidate] per row.
            var pixels = group.Key ? Images(rows.Select(r => r.Candidate)) : cat([Images(rows.Select(r => r.Reference!)), Images(rows.Select(r => r.Candidate))]);
            var tokens = model.ImageTokens(CriticImageProcessor.Prepare(pixels, criticConfig.Model));     // (n·k, T + 1, D)
            var imageTokens = group.Key ? tokens : cat([tokens[..rows.Length], tokens[rows.Length..]], 1);
            var questions = rows.Select(r => prompts.Ids(r.Question, imageCount)).ToArray();
            var (ids, mask) = prompts.Batch(rows.Select(r => r.Question).ToArray(), imageCount, device);
            var hidden = model.call(ids, mask, imageTokens);                                           // (n, L, D)
            var logits = model.Head(hidden[.., -1]);
            margins.Add(logits[.., criticConfig.YesTokenId] - logits[.., criticConfig.NoTokenId]);
            answers.AddRange(rows.Select(r => r.AnswerIsYes ? 1f : -1f));
            if (!withAuxiliary)
                continue;
            var kindTargets = rows.Select(r => (long)(Array.IndexOf(CriticExample.Families, r.Family) * KindCount + (int)r.Kind)).ToArray();
            kinds.Add(CandidateKindLoss.Compute(kindHead.call(hidden[.., -1]), tensor(kindTargets, device: device)) * (rows.Length / (double)batch.Count));
            if (CaptionPositions(rows, questions, (int)ids.shape[1]) is { } caption)
            {
                var (rowIndex, position, target) = caption;
                var predicted = model.Head(hidden.index([TensorIndex.Tensor(tensor(rowIndex, device: device)), TensorIndex.Tensor(tensor(position, device: device))]));
                captions.Add((CaptionLoss.Compute(predicted, tensor(target, device: device)), target.Length));
            }
            var scenes = group.Key
                ? rows.Select(r => (r.CandidateScene, r.Kind))
                : rows.Select(r => (r.ReferenceScene, CandidateKind.Correct)).Concat(rows.Select(r => (r.CandidateScene, r.Kind)));
            if (SceneLabelTerm(tokens[.., ..^1], scenes.ToArray()) is { } term)
                labels.Add(term);
            if (!group.Key && ChangeTerm(rows, questions, hidden) is { } changeTerm)
                changes.Add(changeTerm);
            if (SubjectAnswerTerm(rows, questions, hidden) is { } subjectTerm)
                subjects.Add(subjectTerm);
            if (GroundingTerm(rows, questions, hidden) is { } groundingTerm)
                groundings.Add(groundingTerm);
            if (config.SceneCaptionLossWeight > 0 && SceneCaptionTerm(group.Key ? tokens : tokens[rows.Length..], [.. rows.Select(r => r.CandidateScene)]) is { } sceneCaptionTerm)
                sceneCaptions.Add((sceneCaptionTerm.Loss, sceneCaptionTerm.Count));
        }
        // The groups put single-image rows first; put margins and answers back in batch order.
        var grouped = batch.Select((e, i) => (e, i)).GroupBy(p => p.e.Reference is null).SelectMany(g => g.Select(p => p.i)).ToArray();
        var backToBatch = new long[grouped.Length];
        for (var position = 0; position < grouped.Length; position++)
            backToBatch[grouped[position]] = position;
        var order = tensor(backToBatch, device: device);
        return (cat(margins).index_select(0, order), tensor(answers.ToArray(), device: device).index_select(0, order), Weighted(captions), Weighted(labels),
            kinds.Count == 0 ? null : kinds.Aggregate((a, b) => a + b), Weighted(changes), Weighted(subjects), Weighted(groundings), Weighted(sceneCaptions));
    }

    /// <summary>
    /// The Yes/No loss (Eq. 4) read at the last token of each row's <see cref="CriticExample.Subject"/> (the object
    /// name or the instruction) instead of the answer position. Why: the answer position's own state is the same in
    /// every question, so the look-up "is this name in the image" has to be learnt through its attention to the name,
    /// one position among ~100, and the Yes/No gradient never got there (bench/RESULTS.md: even on ground-truth image
    /// tokens the answer stayed at chance). At the subject's last token the name is the position's own input, so the
    /// look-up is learnt first; the answer position then only has to find it a fixed number of tokens back.
    /// </summary>
    (Tensor Loss, int Count)? SubjectAnswerTerm(CriticExample[] rows, long[][] ids, Tensor hidden)
    {
        if (config.SubjectAnswerLossWeight == 0 || QuestionFirst)
            return null;
        var length = (int)hidden.shape[1];
        var (rowIndex, position, answer) = (new List<long>(), new List<long>(), new List<float>());
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Subject is not { } subject)
                continue;
            var words = tokenizer.Encode(subject);
            var start = LastIndexOf(ids[i], words);
            if (start < 0)
                throw new InvalidOperationException($"The subject '{subject}' is not part of the question '{rows[i].Question}'.");
            rowIndex.Add(i);
            position.Add(length - ids[i].Length + start + words.Length - 1);                      // rows are left-padded
            answer.Add(rows[i].AnswerIsYes ? 1f : -1f);
        }
        if (rowIndex.Count == 0)
            return null;
        var logits = model.Head(hidden.index([TensorIndex.Tensor(tensor(rowIndex.ToArray(), device: device)), TensorIndex.Tensor(tensor(position.ToArray(), device: device))]));
        var margin = logits[.., criticConfig.YesTokenId] - logits[.., criticConfig.NoTokenId];
        return (VlmLoss.BinaryYesNo(margin * tensor(answer.ToArray(), device: device), zeros_like(margin), logitScale: 1.0, "subject").Loss, rowIndex.Count);
    }

    /// <summary>
    /// The scene-caption loss: each image whose scene is known, alone after the captioning request (the chat template's
    /// user turn), followed by its <see cref="SceneCaption"/> as the assistant's answer; next-token loss on every caption
    /// word. <paramref name="imageTokens"/> are the images' positions from the tower, one image per row. Also the loss on
    /// the colour and shape words alone (a diagnostic: it says whether the decoder reads the objects, not the template).
    /// </summary>
    (Tensor Loss, int Count, double ObjectWords)? SceneCaptionTerm(Tensor imageTokens, NpEdit.ShapesWorld.Scenes.Scene?[] scenes)
    {
        var known = Enumerable.Range(0, scenes.Length).Where(i => scenes[i] is not null).ToArray();
        if (known.Length == 0)
            return null;
        var prompt = prompts.Ids(SceneCaption.Request, 1);
        var rows = known.Select(i => (long[])[.. prompt, .. tokenizer.Encode(SceneCaption.Of(scenes[i]!, config.CaptionOrder))]).ToArray();
        var (ids, mask) = prompts.Pad(rows, device);
        var hidden = model.call(ids, mask, imageTokens.index_select(0, tensor(known.Select(i => (long)i).ToArray(), device: device)));
        var length = (int)ids.shape[1];
        var (rowIndex, position, target) = (new List<long>(), new List<long>(), new List<long>());
        for (var r = 0; r < rows.Length; r++)
        {
            var pad = length - rows[r].Length;                                                    // rows are left-padded
            for (var j = prompt.Length; j < rows[r].Length; j++)
            {
                rowIndex.Add(r);
                position.Add(pad + j - 1);
                target.Add(rows[r][j]);
            }
        }
        var predicted = model.Head(hidden.index([TensorIndex.Tensor(tensor(rowIndex.ToArray(), device: device)), TensorIndex.Tensor(tensor(position.ToArray(), device: device))]));
        var targets = tensor(target.ToArray(), device: device);
        var objectWords = tensor(target.Select(objectWordIds.Contains).ToArray(), device: device);
        var objectWordLoss = CaptionLoss.Compute(predicted.detach()[objectWords], targets[objectWords]).item<float>();
        return (CaptionLoss.Compute(predicted, targets), known.Length, objectWordLoss);
    }

    /// <summary>For each caption token of each row with grounded text: the row, the position that predicts it, the token.</summary>
    (long[] Rows, long[] Positions, long[] Targets)? CaptionPositions(CriticExample[] rows, long[][] ids, int length)
    {
        if (config.CaptionLossWeight == 0 || QuestionFirst)
            return null;
        var (rowIndex, position, target) = (new List<long>(), new List<long>(), new List<long>());
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].GroundedText is not { } text)
                continue;
            var words = tokenizer.Encode(text);
            var start = LastIndexOf(ids[i], words);
            if (start < 1)
                throw new InvalidOperationException($"The grounded text '{text}' is not part of the question '{rows[i].Question}'.");
            var pad = length - ids[i].Length;                                                     // rows are left-padded
            for (var j = 0; j < words.Length; j++)
            {
                rowIndex.Add(i);
                position.Add(pad + start + j - 1);
                target.Add(words[j]);
            }
        }
        return target.Count == 0 ? null : ([.. rowIndex], [.. position], [.. target]);
    }

    /// <summary>
    /// The patch-change loss of two-image rows whose scenes are known: at each of the candidate's patch positions
    /// the decoder's hidden state says whether the patch differs from the reference's — its object labels differ,
    /// or the background, tint or style changed, or the candidate is degraded (the last three change every patch).
    /// </summary>
    (Tensor Loss, int Count)? ChangeTerm(CriticExample[] rows, long[][] ids, Tensor hidden)
    {
        var length = (int)hidden.shape[1];
        var patches = criticConfig.Model.TokensPerImage - 1;
        var grid = PatchGrid;
        var (rowIndex, position, changed) = (new List<long>(), new List<long>(), new List<long>());
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].ReferenceScene is not { } referenceScene || rows[i].CandidateScene is not { } candidateScene)
                continue;
            var (reference, candidate) = (SceneLabels.Of(referenceScene, grid), SceneLabels.Of(candidateScene, grid, rows[i].Kind));
            var everywhere = candidate.Degradation != 0 || reference.Background != candidate.Background
                || reference.Tint != candidate.Tint || reference.Style != candidate.Style;
            var firstImage = Array.IndexOf(ids[i], criticConfig.Model.ImageTokenIndex);
            var candidateStart = length - ids[i].Length + firstImage + criticConfig.Model.TokensPerImage;
            for (var p = 0; p < patches; p++)
            {
                rowIndex.Add(i);
                position.Add(candidateStart + p);
                changed.Add(everywhere || reference.Heads.Zip(candidate.Heads).Any(h => h.First[p] != h.Second[p]) ? 1 : 0);
            }
        }
        if (changed.Count == 0)
            return null;
        var readOut = changeHead.call(hidden.index([TensorIndex.Tensor(tensor(rowIndex.ToArray(), device: device)), TensorIndex.Tensor(tensor(position.ToArray(), device: device))]));
        return (PatchChangeLoss.Compute(readOut, tensor(changed.ToArray(), device: device)), changed.Count / patches);
    }

    /// <summary>
    /// The grounding loss: at each patch position of the candidate (the last image), whether the patch agrees with the
    /// question (<see cref="PatchGrounding"/>). Only with the question first can a patch's state depend on the question.
    /// </summary>
    (Tensor Loss, int Count)? GroundingTerm(CriticExample[] rows, long[][] ids, Tensor hidden)
    {
        if (config.GroundingLossWeight == 0 || !QuestionFirst)
            return null;
        var length = (int)hidden.shape[1];
        var patches = criticConfig.Model.TokensPerImage - 1;
        var grid = PatchGrid;
        var (rowIndex, position, agrees) = (new List<long>(), new List<long>(), new List<long>());
        for (var i = 0; i < rows.Length; i++)
        {
            if (PatchGrounding.Targets(rows[i], grid) is not { } targets)
                continue;
            var candidateNewline = length - ids[i].Length + Array.LastIndexOf(ids[i], criticConfig.Model.ImageTokenIndex);   // rows are left-padded
            for (var p = 0; p < patches; p++)
            {
                rowIndex.Add(i);
                position.Add(candidateNewline - patches + p);
                agrees.Add(targets[p]);
            }
        }
        if (agrees.Count == 0)
            return null;
        var readOut = groundingHead.call(hidden.index([TensorIndex.Tensor(tensor(rowIndex.ToArray(), device: device)), TensorIndex.Tensor(tensor(position.ToArray(), device: device))]));
        return (PatchGroundingLoss.Compute(readOut, tensor(agrees.ToArray(), device: device)), agrees.Count / patches);
    }

    static int LastIndexOf(long[] ids, long[] words)
    {
        for (var s = ids.Length - words.Length; s >= 0; s--)
            if (ids.AsSpan(s, words.Length).SequenceEqual(words))
                return s;
        return -1;
    }

    /// <summary>The scene-label loss over the images whose scene is known, and how many there were.</summary>
    (Tensor Loss, int Count)? SceneLabelTerm(Tensor patches, (NpEdit.ShapesWorld.Scenes.Scene? Scene, CandidateKind Kind)[] images)
    {
        var known = Enumerable.Range(0, images.Length).Where(i => images[i].Scene is not null).ToArray();
        if (known.Length == 0)
            return null;
        var labels = known.Select(i => SceneLabels.Of(images[i].Scene!, PatchGrid, images[i].Kind)).ToArray();
        var (patchLogits, imageLogits) = sceneHeads.call(patches.index_select(0, tensor(known.Select(i => (long)i).ToArray(), device: device)));
        var logits = patchLogits.Concat(imageLogits).ToArray();
        var targets = Enumerable.Range(0, SceneLabels.PatchClasses.Length).Select(h => tensor(labels.SelectMany(l => l.Heads[h]).ToArray(), device: device))
            .Concat(Enumerable.Range(0, SceneLabels.ImageClasses.Length).Select(h => tensor(labels.Select(l => l.ImageLabels[h]).ToArray(), device: device)))
            .ToArray();
        return (SceneLabelLoss.Compute(logits, targets), known.Length);
    }

    /// <summary>The count-weighted mean of per-group losses; null when there are none.</summary>
    static Tensor? Weighted(List<(Tensor Loss, int Count)> terms)
    {
        if (terms.Count == 0)
            return null;
        var total = terms.Sum(t => t.Count);
        return terms.Select(t => t.Loss * (t.Count / (double)total)).Aggregate((a, b) => a + b);
    }

    /// <summary>RGB bytes (HWC) → (N, 3, H, W) in [−1, 1].</summary>
    Tensor Images(IEnumerable<byte[]> rgb)
    {
        var list = rgb.ToArray();
        var size = ShapesCriticData.ImageSize;
        var bytes = new byte[list.Length * size * size * 3];
        for (var i = 0; i < list.Length; i++)
            list[i].CopyTo(bytes, i * size * size * 3);
        var pixels = tensor(bytes, [list.Length, size, size, 3]).to(float32, device).permute(0, 3, 1, 2);
        return CriticImageProcessor.Rescale(pixels, [1 / 127.5f, 1 / 127.5f, 1 / 127.5f], [-1f, -1f, -1f]).contiguous();
    }

    /// <summary>Saves the critic (<see cref="CriticCheckpoint"/>).</summary>
    /// <summary>Loads the critic's weights from <paramref name="checkpoint"/> (config <c>init</c>); it must be a critic of this very architecture.</summary>
    void InitializeFrom(string checkpoint)
    {
        var state = TorchSharp.PyBridge.Safetensors.LoadStateDict(checkpoint);
        try
        {
            var expected = model.state_dict();
            var misfit = state.Where(kv => expected.TryGetValue(kv.Key, out var own) && !own.shape.SequenceEqual(kv.Value.shape)).Select(kv => kv.Key).ToArray();
            var missing = expected.Keys.Except(state.Keys).ToArray();
            var unexpected = state.Keys.Except(expected.Keys).ToArray();
            if (misfit.Length > 0 || missing.Length > 0 || unexpected.Length > 0)
                throw new ArgumentException($"init: {checkpoint} is not a {config.Preset} critic like this run's (same preset and prompt_layout as the run that wrote it): " +
                                            $"{missing.Length} weights missing [{string.Join(", ", missing.Take(3))}], {unexpected.Length} unexpected [{string.Join(", ", unexpected.Take(3))}], " +
                                            $"{misfit.Length} of another shape [{string.Join(", ", misfit.Take(3))}].");
            model.load_state_dict(state, strict: true);
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }

    public void Save(string path) => CriticCheckpoint.Save(path, model, CriticConfig);

    public void Dispose()
    {
        optimizer.Dispose();
        visionOptimizer.Dispose();
        captionOptimizer.Dispose();
        sceneHeads.Dispose();
        kindHead.Dispose();
        changeHead.Dispose();
        groundingHead.Dispose();
        model.Dispose();
    }
}
