using System.Diagnostics;
using System.Text.Json;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Trains the scene parser with supervised scene labels on fresh renders from the oracle seed range
/// (<see cref="OracleScenes"/>). The result is an evaluation instrument: it is never part of editor training.
/// </summary>
public sealed class OracleTrainer : IDisposable
{
    readonly OracleTrainConfig config;
    readonly SceneParserNet net;
    readonly Device device;
    readonly AdamW optimizer;
    readonly optim.lr_scheduler.LRScheduler scheduler;
    readonly Generator generator;
    readonly Random noiseDraws;
    (long Step, Task<(Scene[] Scenes, RgbImage[] Images)> Batch)? prefetched;

    public OracleTrainer(OracleTrainConfig config, Device? device = null)
    {
        this.config = config.Validate();
        this.device = device ?? CPU;
        manual_seed(config.Seed);
        net = new SceneParserNet(config.Model);
        // Move before building the optimizer: module.to() replaces Parameter objects (TorchSharp #1455).
        net.to(this.device);
        var trained = config.DetailOnly ? net.DetailParameters().ToArray() : net.parameters().ToArray();
        if (config.DetailOnly)
            foreach (var (name, parameter) in net.named_parameters())
                parameter.requires_grad = SceneParserNet.IsDetail(name);
        optimizer = optim.AdamW(trained, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay);
        int steps = Math.Max(1, config.Steps), warmup = Math.Max(1, config.WarmupSteps);
        var floor = config.FinalLearningRateFraction;
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, step => step < warmup
            ? (step + 1.0) / warmup
            : floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (step - warmup) / (double)Math.Max(1, steps - warmup)))));
        generator = SeededNoise.NewGenerator((ulong)config.Seed);
        noiseDraws = new Random(config.Seed);
    }

    public OracleTrainConfig Config => config;

    public SceneParserNet Network => net;

    public long Step { get; private set; }

    /// <summary>Wall-clock seconds spent in <see cref="TrainStep"/> so far.</summary>
    public double TrainSeconds { get; private set; }

    /// <summary>Runs until <see cref="OracleTrainConfig.Steps"/> steps are done, reporting each step's metrics.</summary>
    public void Run(Action<long, IReadOnlyDictionary<string, double>> sink, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        while (Step < config.Steps)
        {
            cancellation.ThrowIfCancellationRequested();
            var metrics = TrainStep();
            sink(Step, metrics);
        }
    }

    /// <summary>One step on a batch of fresh renders, inside its own DisposeScope; returns the loss, each head's term (<c>loss/&lt;head&gt;</c>) and the learning rate.</summary>
    public IReadOnlyDictionary<string, double> TrainStep()
    {
        var clock = Stopwatch.StartNew();
        var (scenes, images) = prefetched is { Step: var ready } && ready == Step ? prefetched.Value.Batch.Result : RenderBatch(Step);
        // Render the next batch while this one trains (on the CPU rendering is about a seventh of a step).
        long following = Step + 1;
        prefetched = following < config.Steps ? (following, Task.Run(() => RenderBatch(following))) : null;
        int resolution = config.Model.Resolution;

        using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        using var scope = NewDisposeScope();
        if (config.DetailOnly) net.TrainDetailOnly();
        else net.train();
        var input = AddNoise(OracleInput.ToTensor(images, resolution, device));
        var targets = SceneTargets.Build(scenes, device);
        var terms = OracleLoss.Terms(net.call(input), targets);
        var loss = terms.Values.Aggregate((a, b) => a + b);
        optimizer.zero_grad();
        loss.backward();
        if (config.GradClip > 0)
            nn.utils.clip_grad_norm_(net.parameters().Where(p => p.requires_grad), config.GradClip);
        var lr = optimizer.ParamGroups.First().LearningRate;
        optimizer.step();
        scheduler.step();
        Step++;
        TrainSeconds += clock.Elapsed.TotalSeconds;
        var metrics = new Dictionary<string, double> { ["loss"] = loss.item<float>(), ["lr"] = lr };
        foreach (var (name, term) in terms) metrics[$"loss/{name}"] = term.item<float>();
        return metrics;
    }

    /// <summary>Each seed trains on its own stretch of the training range, so a second phase (<see cref="InitializeFrom"/>) with another seed sees new scenes.</summary>
    private long SceneOffset => (long)config.Seed << 32;

    /// <summary>The scenes of one step and their clean renders.</summary>
    private (Scene[] Scenes, RgbImage[] Images) RenderBatch(long step)
    {
        var scenes = new Scene[config.BatchSize];
        var images = new RgbImage[config.BatchSize];
        int resolution = config.Model.Resolution;
        // Seeded by the seed and step (not HashCode, which differs per process), so a batch is the same on every run and thread.
        var draws = new Random(unchecked(config.Seed * 1_000_003 + (int)step));
        double chance = SceneCurriculum.Chance(config, step);
        for (int i = 0; i < scenes.Length; i++)
            scenes[i] = SceneCurriculum.Simplify(OracleScenes.Training(SceneOffset + step * config.BatchSize + i).Scene, chance, draws);
        // The draws above are sequential (one Random); the renders are independent, so they use every core: on a GPU
        // the step is a few milliseconds and rendering would otherwise bound it.
        Parallel.For(0, scenes.Length, i => images[i] = new RgbImage(Renderer.Render(scenes[i], resolution), resolution, resolution));
        return (scenes, images);
    }

    /// <summary>Gaussian noise on a random share of the batch, each image with its own σ.</summary>
    private Tensor AddNoise(Tensor input)
    {
        if (config.NoiseFraction <= 0 || config.MaxNoise <= 0) return input;
        var sigma = new float[input.shape[0]];
        for (int i = 0; i < sigma.Length; i++)
            sigma[i] = noiseDraws.NextDouble() < config.NoiseFraction ? (float)(noiseDraws.NextDouble() * config.MaxNoise) : 0f;
        var scale = tensor(sigma, [sigma.Length, 1, 1, 1], device: device);
        return input + SeededNoise.Randn(input.shape, generator, device) * scale;
    }

    public void Save(string path, OracleTrainingRecord record) => OracleCheckpoint.Save(path, net, record);

    /// <summary>
    /// Starts from a saved oracle's weights instead of a fresh initialisation (a second phase with its own schedule). Its
    /// network must equal <see cref="OracleTrainConfig.Model"/>, or be it without the detail branch (a format-1 oracle):
    /// then the branch starts fresh, and because its logits start at zero the network first answers exactly as the saved one.
    /// Every saved tensor must fit; returns the names of the tensors that start fresh.
    /// </summary>
    public IReadOnlyList<string> InitializeFrom(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Oracle weights {path} not found; pass a checkpoint written by 'npedit oracle train'.", path);
        var saved = OracleCheckpoint.ReadConfig(path).Model;
        bool growsDetail = saved.Detail is null && config.Model.Detail is not null;
        if (!(growsDetail ? saved with { Detail = config.Model.Detail } : saved).SameNetworkAs(config.Model))
            throw new ArgumentException($"{path} was trained as a different network ({JsonSerializer.Serialize(saved)}) than this run's ({JsonSerializer.Serialize(config.Model)}).");
        var state = Safetensors.LoadStateDict(path);
        try
        {
            var target = net.state_dict();
            var misfits = state.Where(kv => !target.TryGetValue(kv.Key, out var t) || !t.shape.SequenceEqual(kv.Value.shape))
                .Select(kv => $"{kv.Key} {Shape(kv.Value)}" + (target.TryGetValue(kv.Key, out var t) ? $" (here {Shape(t)})" : " (not here)")).ToArray();
            var fresh = target.Keys.Where(name => !state.ContainsKey(name)).ToArray();
            var missing = fresh.Where(name => !growsDetail || !SceneParserNet.IsDetail(name)).ToArray();
            if (misfits.Length > 0 || missing.Length > 0)
                throw new InvalidDataException($"{path} does not match its config: unexpected [{string.Join(", ", misfits)}], missing [{string.Join(", ", missing)}].");
            using (no_grad())
                foreach (var (name, tensor) in state) target[name].copy_(tensor);
            return fresh;
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        net.Dispose();
    }
}
