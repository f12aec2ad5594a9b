using NpEdit.Trainer.Losses;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Pretrains a LLaVA-OneVision critic from scratch on Yes/No questions with the loss the critic is later used
/// with (Eq. 4): −log σ(ℓ_correct − ℓ_opposite) over the "Yes"/"No" logits at the answer position, both
/// images' towers trained. The library entry point; the CLI adds the run row and metrics.
/// </summary>
public sealed class CriticPretrainer : IDisposable
{
    readonly CriticPretrainConfig config;
    readonly CriticConfig criticConfig;
    readonly LlavaOnevisionModel model;
    readonly CriticPrompts prompts;
    readonly Device device;
    readonly AdamW optimizer;
    readonly optim.lr_scheduler.LRScheduler scheduler;
    readonly Parameter[] parameters;

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
        // Move before building the optimizer: module.to() replaces Parameter objects (TorchSharp #1455).
        model.to(this.device);
        prompts = new CriticPrompts(CriticCheckpoint.CreateTokenizer(critic, "."), critic.Template, critic.Model);
        parameters = [.. model.parameters()];
        optimizer = optim.AdamW(parameters, lr: config.LearningRate, beta1: 0.9, beta2: 0.98, weight_decay: config.WeightDecay);
        var (warmup, total) = (Math.Max(1, config.WarmupSteps), Math.Max(1, config.Steps));
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, step => step < warmup
            ? (step + 1.0) / warmup
            : 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (step - warmup) / (double)Math.Max(1, total - warmup)))));
    }

    public LlavaOnevisionModel Model => model;

    public CriticConfig CriticConfig => criticConfig with { Step = Step };

    public long Step { get; private set; }

    /// <summary>One AdamW step on <paramref name="batch"/>; returns loss, accuracy, grad_norm, lr, skipped.</summary>
    public IReadOnlyDictionary<string, double> TrainStep(IReadOnlyList<CriticExample> batch)
    {
        using var scope = NewDisposeScope();
        model.train();
        var (margin, answers) = Margins(batch);                                   // ℓ_Yes − ℓ_No, ±1
        var terms = VlmLoss.BinaryYesNo(margin * answers, zeros_like(margin), logitScale: 1.0, "critic");
        optimizer.zero_grad();
        terms.Loss.backward();
        var gradNorm = nn.utils.clip_grad_norm_(parameters, config.GradClip);
        var lr = optimizer.ParamGroups.First().LearningRate;
        var skipped = !double.IsFinite(gradNorm);
        if (!skipped)
        {
            optimizer.step();
            scheduler.step();
        }
        Step++;
        return new Dictionary<string, double>
        {
            ["loss"] = terms.Loss.item<float>(),
            ["train/accuracy"] = (margin.detach() * answers > 0).to(float32).mean().item<float>(),
            ["grad_norm"] = gradNorm,
            ["lr"] = lr,
            ["skipped"] = skipped ? 1 : 0,
        };
    }

    /// <summary>Held-out accuracy (p(Yes) &gt; ½ agrees with the answer) per family, per candidate kind and overall.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<CriticExample> examples, int chunk = 48)
    {
        using var _ = no_grad();
        model.eval();
        var correct = new List<(CriticExample Example, bool Right)>();
        for (var i = 0; i < examples.Count; i += chunk)
        {
            using var scope = NewDisposeScope();
            var part = examples.Skip(i).Take(chunk).ToArray();
            var (margin, answers) = Margins(part);
            var right = (margin * answers > 0).cpu().data<bool>().ToArray();
            correct.AddRange(part.Zip(right));
        }
        var metrics = new Dictionary<string, double> { ["heldout/accuracy"] = correct.Average(c => c.Right ? 1.0 : 0.0) };
        foreach (var group in correct.GroupBy(c => c.Example.Family))
            metrics[$"heldout/accuracy/{group.Key}"] = group.Average(c => c.Right ? 1.0 : 0.0);
        foreach (var group in correct.GroupBy(c => (c.Example.Family, c.Example.Kind)))
            metrics[$"heldout/accuracy/{group.Key.Family}/{group.Key.Kind.ToString().ToLowerInvariant()}"] = group.Average(c => c.Right ? 1.0 : 0.0);
        return metrics;
    }

    /// <summary>ℓ_Yes − ℓ_No per example (single-image and two-image questions in separate passes) and the answers as ±1.</summary>
    (Tensor Margin, Tensor Answers) Margins(IReadOnlyList<CriticExample> batch)
    {
        var margins = new List<Tensor>();
        var answers = new List<float>();
        foreach (var group in batch.GroupBy(e => e.Reference is null))
        {
            var rows = group.ToArray();
            var candidates = Images(rows.Select(r => r.Candidate));
            Tensor imageTokens;
            if (group.Key)
                imageTokens = model.ImageTokens(CriticImageProcessor.Prepare(candidates, criticConfig.Model));
            else
            {
                // One tower pass over references and candidates together, then [reference, candidate] per row.
                var both = model.ImageTokens(CriticImageProcessor.Prepare(cat([Images(rows.Select(r => r.Reference!)), candidates]), criticConfig.Model));
                var (references, edited) = (both[..rows.Length], both[rows.Length..]);
                imageTokens = cat([references, edited], 1);
            }
            var (ids, mask) = prompts.Batch(rows.Select(r => r.Question).ToArray(), group.Key ? 1 : 2, device);
            var logits = model.AnswerLogits(ids, mask, imageTokens);
            margins.Add(logits[.., criticConfig.YesTokenId] - logits[.., criticConfig.NoTokenId]);
            answers.AddRange(rows.Select(r => r.AnswerIsYes ? 1f : -1f));
        }
        return (cat(margins), tensor(answers.ToArray(), device: device));
    }

    /// <summary>RGB bytes (HWC) → (N, 3, H, W) in [−1, 1].</summary>
    Tensor Images(IEnumerable<byte[]> rgb)
    {
        var list = rgb.ToArray();
        var size = ShapesCriticData.ImageSize;
        var bytes = new byte[list.Length * size * size * 3];
        for (var i = 0; i < list.Length; i++)
            list[i].CopyTo(bytes, i * size * size * 3);
        return (tensor(bytes, [list.Length, size, size, 3]).to(float32, device).permute(0, 3, 1, 2) / 127.5 - 1).contiguous();
    }

    /// <summary>Saves the critic (<see cref="CriticCheckpoint"/>).</summary>
    public void Save(string path) => CriticCheckpoint.Save(path, model, CriticConfig);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
