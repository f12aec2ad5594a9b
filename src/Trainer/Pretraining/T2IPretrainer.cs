using System.Text.Json;
using System.Text.Json.Nodes;
using NpEdit.Trainer.Losses;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Optimization;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Pretrains G_init (DiT + ShapesWorld text encoder, trained together) by flow matching on
/// image–caption batches: x_t = (1−t)·x + t·ε with logit-normal t, loss ‖v_θ(x_t, t, c) − (ε − x)‖²,
/// captions dropped to the empty prompt with probability p for classifier-free guidance, and an EMA of
/// the weights for sampling. Every random draw (time, noise, dropout, and the caller's batch picks
/// through <see cref="Generator"/>) comes from one seeded generator whose state is checkpointed, so a
/// resumed run continues the same stream. The CLI and the job add the run row, cadence and progress.
/// </summary>
public sealed class T2IPretrainer : IDisposable
{
    const string WeightsFile = "generator.safetensors";
    const string RawWeightsFile = "train.safetensors";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "state.json";

    T2IPretrainConfig config;
    readonly DiT dit;
    readonly ShapesTextEncoder text;
    readonly DiT? emaDit;
    readonly ShapesTextEncoder? emaText;
    readonly IAutoencoder autoencoder;
    readonly Device device;
    readonly IAdamOptimizer optimizer;
    readonly Parameter[] parameters;
    readonly torch.Generator generator;
    readonly torch.Generator? deviceNoise;
    readonly (FlatParameters Ema, Tensor Live)[]? emaBuffers;

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
        if (config.EmaDecay > 0)
        {
            emaDit = new DiT(config.Model.DiT);
            emaText = new ShapesTextEncoder(config.Model.Text, vocabulary);
            emaDit.to(this.device);
            emaText.to(this.device);
            CopyWeights(dit, emaDit);
            CopyWeights(text, emaText);
            foreach (var p in emaDit.parameters().Concat(emaText.parameters()))
                p.requires_grad = false;
        }
        parameters = [.. dit.parameters(), .. text.parameters()];
        optimizer = AdamOptimizers.Create(config.Optimizer, parameters, AdamSettings.AdamW(config.LearningRate, config.Beta1, config.Beta2, config.WeightDecay));
        if (emaDit is not null && optimizer is FlatAdam flat)
        {
            // The EMA laid out as the optimizer's flat buffers: its update is two kernels per buffer instead of two per
            // parameter tensor (≈ 200 launches a step for shapes-s, a quarter of a launch-bound GPU step).
            Parameter[] ema = [.. emaDit.parameters(), .. emaText!.parameters()];
            emaBuffers = [.. flat.ValueBuffers.Select(b => (new FlatParameters([.. b.Indices.Select(i => ema[i])]), b.Data))];
        }
        generator = SeededNoise.NewGenerator((ulong)config.Seed);
        // TorchSharp cannot make a CUDA generator (SeededNoise), so on CUDA the device's default one is seeded; on the
        // CPU a second generator stands in for it, leaving torch's global one (weight init) alone.
        if (config.NoiseOnDevice && this.device.type == DeviceType.CUDA)
            cuda.manual_seed_all(config.Seed);
        else if (config.NoiseOnDevice)
            deviceNoise = SeededNoise.NewGenerator((ulong)config.Seed + 1);
    }

    /// <summary>The resolved settings.</summary>
    public T2IPretrainConfig Config => config;

    /// <summary>The DiT being trained.</summary>
    public DiT Model => dit;

    /// <summary>The text encoder being trained.</summary>
    public ShapesTextEncoder TextEncoder => text;

    /// <summary>The weights used for sampling and saved as G_init: the EMA when enabled, else the trained ones.</summary>
    public (DiT DiT, ShapesTextEncoder Text) SamplingModel => (emaDit ?? dit, emaText ?? text);

    /// <summary>The training device.</summary>
    public Device Device => device;

    /// <summary>The seeded generator behind every random draw of training; callers draw batch indices from it too.</summary>
    public torch.Generator Generator => generator;

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
        using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        using var scope = NewDisposeScope();
        dit.train();
        text.train();
        var lr = LearningRateAt(Step);
        optimizer.LearningRate = lr;

        var x = autoencoder.Encode(batch.Images.to(float32, device));                         // (N, C, H, W)
        var n = x.shape[0];
        var drop = rand(n, generator: generator).lt(config.CaptionDropout).data<bool>().ToArray();
        var captions = batch.Captions.Select((caption, i) => drop[i] ? "" : caption).ToArray();
        var c = text.Encode(captions, device);                                                // (N, L, Dt), (N, L)
        var t = FlowMatching.SampleLogitNormal(n, config.LogitNormalMean, config.LogitNormalStd, device, generator); // (N,)
        var noise = config.NoiseOnDevice ? randn(x.shape, device: device, generator: deviceNoise) : SeededNoise.Randn(x.shape, generator, device); // ε
        var xt = FlowMatching.Interpolate(x, noise, t);                                       // x_t = (1−t)·x + t·ε
        var v = dit.call(xt, t, c.Tokens, c.Mask, null);                                      // v_θ(x_t, t, c)
        var loss = batch.Weights is null
            ? nn.functional.mse_loss(v, FlowMatching.Velocity(x, noise))                       // ‖v_θ − (ε − x)‖²
            : WeightedFlowMatchingLoss.Compute(v, x, noise, batch.Weights.to(float32, device)); // object pixels weighed 1 + λ

        optimizer.ZeroGrad();
        loss.backward();
        var gradNorm = optimizer.ClipGradNorm(config.GradClip);
        // A non-finite norm would poison the weights and the EMA: skip the update, keep the step count (NP-Edit repo's guard).
        var skipped = !double.IsFinite(gradNorm);
        if (!skipped)
        {
            optimizer.Step();
            UpdateEma();
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
    /// Ends the schedule at <paramref name="steps"/> instead of <see cref="T2IPretrainConfig.Steps"/>: the cosine decay
    /// then finishes there. A time-limited run sets it from its measured speed once the warm-up is over; until then the
    /// rates used (the warm-up ramp, then the peak) do not depend on the schedule's length, so none of them changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The warm-up is over, so the decay has begun.</exception>
    public void EndScheduleAt(int steps)
    {
        if (Step > Math.Max(1, config.WarmupSteps))
            throw new InvalidOperationException($"The schedule's length can change only during the warm-up (step {Step} is past {config.WarmupSteps}).");
        config = (config with { Steps = steps }).Validate();
    }

    /// <summary>
    /// Linear warm-up to the peak learning rate, then a half cosine down to
    /// <see cref="T2IPretrainConfig.FinalLearningRateFraction"/> of it at the last step (constant when that is 1);
    /// a function of the step so a resume needs no scheduler state.
    /// </summary>
    public double LearningRateAt(long step)
    {
        var warmup = Math.Max(1, config.WarmupSteps);
        if (step + 1 < warmup)
            return config.LearningRate * (step + 1.0) / warmup;
        var progress = Math.Clamp((step + 1.0 - warmup) / Math.Max(1, config.Steps - warmup), 0, 1);
        var floor = config.FinalLearningRateFraction;
        return config.LearningRate * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <summary>
    /// Samples images for <paramref name="captions"/> with the Euler sampler and CFG against
    /// <paramref name="negativePrompt"/> (the empty prompt = unconditional), using the EMA weights when
    /// enabled; returns (N, 3, H, W) in [−1, 1] on the CPU.
    /// </summary>
    public Tensor Sample(IReadOnlyList<string> captions, int steps = 20, double guidanceScale = 3.0, string negativePrompt = "", long seed = 0)
    {
        var (model, encoder) = SamplingModel;
        return TextToImageSampler.Sample(model, encoder, autoencoder, captions, device, steps, guidanceScale, negativePrompt, seed, batchSize: Math.Max(1, captions.Count));
    }

    /// <summary>Saves the sampling weights (EMA when enabled) as a G_init checkpoint with the resolved config next to it (<see cref="GeneratorCheckpoint"/>).</summary>
    public void Save(string path, JsonObject? trainingConfig = null)
    {
        var (model, encoder) = SamplingModel;
        GeneratorCheckpoint.Save(path, model, encoder, GeneratorConfigAt(trainingConfig));
    }

    /// <summary>
    /// Writes everything a resume needs into <paramref name="directory"/>: G_init (<c>generator.safetensors</c>),
    /// the raw trained weights when EMA is on, the AdamW moments, and last <c>state.json</c> (step and
    /// generator state), whose presence marks the checkpoint complete.
    /// </summary>
    /// <returns>The G_init weights file.</returns>
    public string SaveCheckpoint(string directory, JsonObject? trainingConfig = null)
    {
        Directory.CreateDirectory(directory);
        var weights = Path.Combine(directory, WeightsFile);
        Save(weights, trainingConfig);
        if (emaDit is not null)
            GeneratorCheckpoint.Save(Path.Combine(directory, RawWeightsFile), dit, text, GeneratorConfigAt(trainingConfig));
        optimizer.Save(Path.Combine(directory, OptimizerFile));
        using var state = generator.get_state();
        var json = new JsonObject
        {
            ["step"] = Step,
            ["generator_state"] = Convert.ToBase64String(state.data<byte>().ToArray()),   // SeededNoise's generators live on the CPU
        };
        var temp = Path.Combine(directory, StateFile + ".tmp");
        File.WriteAllText(temp, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, Path.Combine(directory, StateFile), overwrite: true);
        return weights;
    }

    /// <summary>True when <paramref name="directory"/> holds a complete checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    public static bool IsCheckpoint(string directory) => File.Exists(Path.Combine(directory, StateFile));

    /// <summary>The G_init weights file of a checkpoint folder.</summary>
    public static string WeightsPath(string directory) => Path.Combine(directory, WeightsFile);

    /// <summary>Restores weights, EMA, optimizer moments, step and generator state from a checkpoint folder.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no complete checkpoint.</exception>
    public void LoadCheckpoint(string directory)
    {
        if (!IsCheckpoint(directory))
            throw new FileNotFoundException($"{directory} holds no complete checkpoint ({StateFile} is missing).", Path.Combine(directory, StateFile));
        if (emaDit is not null)
        {
            GeneratorCheckpoint.LoadInto(Path.Combine(directory, RawWeightsFile), dit, text);
            GeneratorCheckpoint.LoadInto(Path.Combine(directory, WeightsFile), emaDit, emaText!);
        }
        else
        {
            GeneratorCheckpoint.LoadInto(Path.Combine(directory, WeightsFile), dit, text);
        }
        optimizer.Load(Path.Combine(directory, OptimizerFile));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, StateFile)))!.AsObject();
        Step = json["step"]!.GetValue<long>();
        using var state = tensor(Convert.FromBase64String(json["generator_state"]!.GetValue<string>()), dtype: uint8);
        generator.set_state(state);
    }

    GeneratorConfig GeneratorConfigAt(JsonObject? trainingConfig) =>
        new(config.Model.Name, config.Model.DiT, config.Model.Text, text.Tokenizer.Words, Step, trainingConfig?.DeepClone().AsObject());

    /// <summary>θ_ema ← d·θ_ema + (1−d)·θ, in place under no_grad (in-place keeps the EMA tensors out of the step's DisposeScope).</summary>
    void UpdateEma()
    {
        if (emaDit is null)
            return;
        using var _ = no_grad();
        var d = config.EmaDecay;
        if (emaBuffers is not null)
        {
            foreach (var (ema, live) in emaBuffers)
                ema.Data.mul_(d).add_(live, alpha: 1 - d);
            return;
        }
        foreach (var (ema, live) in emaDit.parameters().Concat(emaText!.parameters()).Zip(parameters))
            ema.mul_(d).add_(live, alpha: 1 - d);
    }

    static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var _ = no_grad();
        foreach (var (target, source) in to.parameters().Zip(from.parameters()))
            target.copy_(source);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        deviceNoise?.Dispose();
        foreach (var (ema, _) in emaBuffers ?? [])
            ema.Dispose();
        dit.Dispose();
        text.Dispose();
        emaDit?.Dispose();
        emaText?.Dispose();
    }
}
