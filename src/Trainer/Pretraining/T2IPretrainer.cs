using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Pretrains G_init (DiT + ShapesWorld text encoder, trained together) by flow matching on
/// image–caption batches: x_t = (1−t)·x + t·ε with logit-normal t, loss ‖v_θ(x_t, t, c) − (ε − x)‖²,
/// captions dropped to the empty prompt with probability p for classifier-free guidance.
/// This is the library entry point; the CLI adds the run row, checkpoints cadence and progress.
/// </summary>
public sealed class T2IPretrainer : IDisposable
{
    readonly T2IPretrainConfig config;
    readonly DiT dit;
    readonly ShapesTextEncoder text;
    readonly IAutoencoder autoencoder;
    readonly Device device;
    readonly AdamW optimizer;
    readonly optim.lr_scheduler.LRScheduler scheduler;
    readonly Parameter[] parameters;
    readonly Generator generator;
    readonly Random captionDropout;

    /// <param name="config">Settings (validated here).</param>
    /// <param name="vocabulary">The words the text encoder knows (ShapesWorld's vocabulary).</param>
    /// <param name="device">Where to train; null means the CPU.</param>
    /// <param name="autoencoder">Image ↔ model space; null means pixels (<see cref="IdentityAutoencoder"/>).</param>
    public T2IPretrainer(T2IPretrainConfig config, IReadOnlyList<string> vocabulary, Device? device = null, IAutoencoder? autoencoder = null)
    {
        this.config = config.Validate();
        this.device = device ?? CPU;
        this.autoencoder = autoencoder ?? new IdentityAutoencoder();
        if (this.autoencoder.LatentChannels != config.Model.DiT.InChannels)
            throw new ArgumentException($"The autoencoder has {this.autoencoder.LatentChannels} channels but the DiT expects {config.Model.DiT.InChannels}.");
        dit = new DiT(config.Model.DiT);
        text = new ShapesTextEncoder(config.Model.Text, vocabulary);
        // Move before building the optimizer: module.to() replaces Parameter objects (TorchSharp #1455).
        dit.to(this.device);
        text.to(this.device);
        parameters = [.. dit.parameters(), .. text.parameters()];
        optimizer = optim.AdamW(parameters, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay);
        var warmup = Math.Max(1, config.WarmupSteps);
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, step => Math.Min(1.0, (step + 1.0) / warmup));
        generator = new Generator((ulong)config.Seed, this.device);
        captionDropout = new Random(config.Seed);
    }

    /// <summary>The resolved settings.</summary>
    public T2IPretrainConfig Config => config;

    /// <summary>The DiT being trained.</summary>
    public DiT Model => dit;

    /// <summary>The text encoder being trained.</summary>
    public ShapesTextEncoder TextEncoder => text;

    /// <summary>Optimizer steps taken (skipped steps included).</summary>
    public long Step { get; private set; }

    /// <summary>
    /// Trains on <paramref name="batches"/> until <see cref="T2IPretrainConfig.Steps"/> steps are done or
    /// the batches run out, reporting each step's metrics to <paramref name="sink"/>.
    /// </summary>
    /// <returns>Steps taken by this call.</returns>
    public int Run(IEnumerable<ImageCaptionBatch> batches, Action<int, IReadOnlyDictionary<string, double>> sink, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(sink);
        var taken = 0;
        foreach (var batch in batches)
        {
            if (Step >= config.Steps || cancellation.IsCancellationRequested)
                break;
            var metrics = TrainStep(batch);
            taken++;
            sink((int)Step, metrics);
        }
        return taken;
    }

    /// <summary>One flow-matching step inside its own DisposeScope; returns loss, grad_norm, lr and skipped.</summary>
    public IReadOnlyDictionary<string, double> TrainStep(ImageCaptionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Images.shape[0] != batch.Captions.Count)
            throw new ArgumentException($"The batch has {batch.Images.shape[0]} images but {batch.Captions.Count} captions.");
        using var scope = NewDisposeScope();
        dit.train();
        text.train();

        var x = autoencoder.Encode(batch.Images.to(float32, device));                         // (N, C, H, W)
        var n = x.shape[0];
        var captions = batch.Captions.Select(c => captionDropout.NextDouble() < config.CaptionDropout ? "" : c).ToArray();
        var c = text.Encode(captions, device);                                                // (N, L, Dt), (N, L)
        var t = FlowMatching.SampleLogitNormal(n, config.LogitNormalMean, config.LogitNormalStd, device, generator); // (N,)
        var noise = randn(x.shape, device: device, generator: generator);                    // ε
        var xt = FlowMatching.Interpolate(x, noise, t);                                       // x_t = (1−t)·x + t·ε
        var v = dit.call(xt, t, c.Tokens, c.Mask, null);                                      // v_θ(x_t, t, c)
        var loss = nn.functional.mse_loss(v, FlowMatching.Velocity(x, noise));                // ‖v_θ − (ε − x)‖²

        optimizer.zero_grad();
        loss.backward();
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
            ["loss"] = loss.item<float>(),
            ["grad_norm"] = gradNorm,
            ["lr"] = lr,
            ["skipped"] = skipped ? 1 : 0,
        };
    }

    /// <summary>
    /// Samples images for <paramref name="captions"/> with the Euler sampler and CFG against
    /// <paramref name="negativePrompt"/> (the empty prompt = unconditional); returns (N, 3, H, W) in [−1, 1] on the CPU.
    /// </summary>
    public Tensor Sample(IReadOnlyList<string> captions, int steps = 20, double guidanceScale = 3.0, string negativePrompt = "", long seed = 0)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        dit.eval();
        text.eval();
        var cond = text.Encode(captions, device);
        var neg = text.Encode(Enumerable.Repeat(negativePrompt, captions.Count).ToArray(), device);
        var shape = new long[] { captions.Count, config.Model.DiT.InChannels, config.Model.DiT.ImageSize, config.Model.DiT.ImageSize };
        var noise = randn(shape, device: device, generator: new Generator((ulong)seed, device));
        var x0 = EulerSampler.Sample(
            (x, t) => dit.call(x, t, cond.Tokens, cond.Mask, null), noise, steps,
            negative: (x, t) => dit.call(x, t, neg.Tokens, neg.Mask, null), guidanceScale: guidanceScale);
        return autoencoder.Decode(x0).clamp(-1, 1).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Saves a safetensors checkpoint with the resolved config next to it (<see cref="GeneratorCheckpoint"/>).</summary>
    public void Save(string path) =>
        GeneratorCheckpoint.Save(path, dit, text, new GeneratorConfig(config.Model.Name, config.Model.DiT, config.Model.Text, text.Tokenizer.Words, Step));

    /// <inheritdoc />
    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        dit.Dispose();
        text.Dispose();
    }
}
