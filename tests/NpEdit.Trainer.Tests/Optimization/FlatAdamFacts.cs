using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Optimization;

/// <summary>
/// The flat-buffer Adam: the module's parameters and gradients really live in its buffers, it takes the same steps
/// as TorchSharp's optim.Adam / optim.AdamW with clip_grad_norm_, and its state resumes exactly.
/// </summary>
public sealed class FlatAdamFacts : IDisposable
{
    private readonly TempDirectory temp = new("flat-adam");

    public FlatAdamFacts() => TorchTestEnvironment.Initialize(seed: 3);

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Parameters_AndTheirGradients_AreViewsOfTheFlatBuffers()
    {
        using var dit = Dit();
        using var optimizer = new FlatAdam(dit.parameters(), new AdamSettings(1e-3));
        var buffer = optimizer.BufferOf(0);
        using var scope = NewDisposeScope();

        // Values: writing the buffer shows through every parameter the module hands out, and back.
        using (no_grad())
            buffer.copy_(arange(buffer.numel(), dtype: float32));
        var parameters = dit.parameters().ToArray();
        Assert.True(cat(parameters.Select(p => p.reshape(-1)).ToArray()).Equals(buffer));
        using (no_grad())
            parameters[^1].fill_(-7);
        Assert.Equal(-7f, buffer[-1].item<float>());
        Assert.All(parameters, p => Assert.True(p.requires_grad && p.is_leaf));

        // Gradients: a backward lands in the flat gradient, a second one adds to it, and zeroing it zeroes every .grad.
        using (no_grad())
            buffer.normal_(0, 0.05);
        Loss(dit, seed: 1).backward();
        var grad = optimizer.GradientBufferOf(0);
        var once = grad.clone();
        Assert.True(once.abs().sum().item<float>() > 0);
        Assert.True(cat(parameters.Select(p => p.grad!.reshape(-1)).ToArray()).Equals(once));
        Loss(dit, seed: 1).backward();
        Assert.True(grad.allclose(once * 2, rtol: 1e-5, atol: 1e-7));
        optimizer.ZeroGrad();
        Assert.All(dit.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
    }

    public static TheoryData<double, double, bool, double> Settings => new()
    {
        { 0.9, 0.0, false, 0.0 },      // plain Adam
        { 0.0, 0.0, false, 0.0 },      // the paper's β = (0, 0.9)
        { 0.9, 0.05, true, 0.05 },     // AdamW with clipping
        { 0.0, 0.05, false, 0.05 },    // β1 = 0 with L2 weight decay and clipping
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void EveryStep_MatchesTorchSharpsAdam(double beta1, double weightDecay, bool decoupled, double clip)
    {
        var settings = new AdamSettings(1e-3, beta1, 0.9, WeightDecay: weightDecay, DecoupledWeightDecay: decoupled);
        using var reference = Dit();
        Assert.True(reference.parameters().Sum(p => p.numel()) > 1 << 16);   // more than one CPU chunk of the update
        using var flat = Copy(reference);
        var referenceParameters = reference.parameters().ToArray();
        using var torchOptimizer = decoupled
            ? (OptimizerHelper)optim.AdamW(referenceParameters, 1e-3, beta1, 0.9, weight_decay: weightDecay)
            : optim.Adam(referenceParameters, 1e-3, beta1, 0.9, weight_decay: weightDecay);
        using var flatOptimizer = new FlatAdam(flat.parameters(), settings);
        // Every flat parameter has a gradient (zero when unused, as the reference marker is without a reference);
        // TorchSharp skips a parameter whose gradient is null, so the reference starts from zero gradients too.
        foreach (var p in referenceParameters)
            p.grad = zeros_like(p);
        var clipped = 0;
        for (var step = 0; step < 10; step++)
        {
            using var scope = NewDisposeScope();
            // Each step starts from the reference's weights: the global norm's float rounding differs from
            // clip_grad_norm_'s per-tensor norms (~1e-7 relative), and a DiT's near-zero gradients, which Adam
            // normalises, would amplify that through later forward passes; the update itself is what must match.
            using (no_grad())
                foreach (var (f, r) in flat.parameters().Zip(referenceParameters))
                    f.copy_(r);
            torchOptimizer.zero_grad();
            Loss(reference, step).backward();
            var referenceNorm = nn.utils.clip_grad_norm_(referenceParameters, clip > 0 ? clip : float.MaxValue);
            torchOptimizer.step();

            flatOptimizer.ZeroGrad();
            Loss(flat, step).backward();
            var flatNorm = flatOptimizer.ClipGradNorm(clip);
            flatOptimizer.Step();

            Assert.Equal(referenceNorm, flatNorm, referenceNorm * 1e-5);
            clipped += clip > 0 && referenceNorm > clip ? 1 : 0;
            Assert.True(MaxDifference(reference, flat) <= 1e-6, $"step {step}: parameters differ by {MaxDifference(reference, flat)}");
        }
        Assert.Equal(clip > 0 ? 10 : 0, clipped);                      // the clipped cases really clip
        using var initial = Dit();
        Assert.True(MaxDifference(reference, initial) > 1e-3);         // and the weights really moved
    }

    [Fact]
    public void Checkpoint_ResumesExactly_AndTheLoadedParametersStillAliasTheBuffer()
    {
        var settings = new AdamSettings(1e-3, 0.0, 0.9);
        using var text = new ShapesTextEncoder(TinyModels.Preset.Text, TinyModels.Vocabulary);
        var config = new GeneratorConfig(TinyModels.Preset.Name, TinyModels.Preset.DiT, TinyModels.Preset.Text, text.Tokenizer.Words);
        var weights = Path.Combine(temp.Path, "generator.safetensors");
        var state = Path.Combine(temp.Path, "generator.optim");

        using var original = Dit();
        using var optimizer = new FlatAdam(original.parameters(), settings);
        Train(original, optimizer, 0, 3);
        GeneratorCheckpoint.Save(weights, original, text, config);
        optimizer.Save(state);
        Train(original, optimizer, 3, 3);

        using var resumed = Dit(seed: 99);
        using var resumedOptimizer = new FlatAdam(resumed.parameters(), settings);
        GeneratorCheckpoint.LoadInto(weights, resumed, text);
        resumedOptimizer.Load(state);
        Assert.Equal(3, resumedOptimizer.Steps);
        var buffer = resumedOptimizer.BufferOf(0);
        using (no_grad())
            Assert.True(cat(resumed.parameters().Select(p => p.reshape(-1)).ToArray()).Equals(buffer));
        Train(resumed, resumedOptimizer, 3, 3);

        Assert.Equal(0.0, MaxDifference(original, resumed));
        using (no_grad())
            buffer.zero_();
        Assert.All(resumed.parameters(), p => Assert.Equal(0f, p.abs().sum().item<float>()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EitherImplementation_ResumesFromTheOthersState(bool torchWrites)
    {
        var settings = AdamSettings.AdamW(1e-3, 0.9, 0.95, 0.01);
        var state = Path.Combine(temp.Path, $"state-{torchWrites}.optim");
        using var original = Dit();
        using var originalOptimizer = Create(torchWrites, original, settings);
        Train(original, originalOptimizer, 0, 3, clip: 0);   // unclipped: both implementations then agree step for step
        originalOptimizer.Save(state);

        using var resumed = Copy(original);
        using var resumedOptimizer = Create(!torchWrites, resumed, settings);
        resumedOptimizer.Load(state);
        Assert.Equal(3, resumedOptimizer.Steps);
        Train(original, originalOptimizer, 3, 3, clip: 0);
        Train(resumed, resumedOptimizer, 3, 3, clip: 0);

        Assert.True(MaxDifference(original, resumed) <= 1e-6, $"differ by {MaxDifference(original, resumed)}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AStateOfAnotherModel_IsRefused_WithAMessageSayingSo(bool torchWrites)
    {
        var settings = new AdamSettings(1e-3);
        var state = Path.Combine(temp.Path, $"other-{torchWrites}.optim");
        using (var other = nn.Linear(4, 3))
        using (var optimizer = torchWrites ? new TorchAdam(other.parameters(), settings) : (IAdamOptimizer)new FlatAdam(other.parameters(), settings))
            optimizer.Save(state);
        using var dit = Dit();
        using var flat = new FlatAdam(dit.parameters(), settings);

        var error = Assert.Throws<InvalidDataException>(() => flat.Load(state));

        Assert.Contains(state, error.Message);
        Assert.Contains("resume with the model it was trained with", error.Message);
        Assert.Contains("is missing", Assert.Throws<FileNotFoundException>(() => flat.Load(state + ".gone")).Message);
    }

    [Fact]
    public void MixedPrecision_StepsFp32Masters_AndPublishesThemToTheBf16Copy_AsTorchAdamDoes()
    {
        var settings = new AdamSettings(1e-2, 0.0, 0.9);
        (Sequential Model, Tensor[] Masters) Bf16Model()
        {
            manual_seed(5);
            var model = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 3));
            var masters = model.parameters().Select(p => p.detach().clone()).ToArray();
            model.to(bfloat16);
            return (model, masters);
        }
        var (torchModel, torchMasters) = Bf16Model();
        var (flatModel, flatMasters) = Bf16Model();
        using var torchOptimizer = new TorchAdam(torchModel.parameters(), settings, torchMasters);
        using var flatOptimizer = new FlatAdam(flatModel.parameters(), settings, flatMasters);
        var x = randn(8, 6).to(bfloat16);
        var target = randn(8, 3);
        for (var step = 0; step < 5; step++)
            foreach (var (model, optimizer) in new (Sequential, IAdamOptimizer)[] { (torchModel, torchOptimizer), (flatModel, flatOptimizer) })
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                nn.functional.mse_loss(model.call(x).to(float32), target).backward();
                optimizer.ClipGradNorm(0);
                optimizer.Step();
            }

        Assert.All(flatModel.parameters(), p => Assert.Equal(bfloat16, p.dtype));
        // The bf16 copies round the same fp32 masters; the masters differ only by float rounding.
        Assert.True(MaxDifference(torchModel, flatModel) == 0, $"bf16 copies differ by {MaxDifference(torchModel, flatModel)}");
        using var initial = Bf16Model().Model;
        Assert.True(MaxDifference(initial, flatModel) > 1e-2);
    }

    [Fact]
    public void MixedPrecision_UpdatesSliceBySlice_WithoutScalingTheBf16Gradient_AndClipsAsOneBuffer()
    {
        // A 2B model's fp32 gradient copy is 8 GB: under mixed precision the gradient is upcast one slice at a time,
        // in the norm and in the update, and the clip coefficient is applied to each upcast slice. 37-element slices
        // (not a divisor of any tensor size) must give what one slice gives. ε = 1 makes the step depend on the
        // gradient's scale (Adam's update is otherwise nearly scale-free), so a missing clip would show.
        var settings = new AdamSettings(1e-2, 0.0, 0.9, Eps: 1.0);
        (Sequential Model, Tensor[] Masters) Bf16Model()
        {
            manual_seed(7);
            var model = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 3));
            var masters = model.parameters().Select(p => p.detach().clone()).ToArray();
            model.to(bfloat16);
            return (model, masters);
        }
        var x = randn(8, 6).to(bfloat16);
        var target = randn(8, 3) * 10;
        var runs = new[] { (Slice: 0L, Clip: 0.05), (Slice: 37L, Clip: 0.05), (Slice: 0L, Clip: 0.0) }.Select(run =>
        {
            var (model, masters) = Bf16Model();
            var optimizer = new FlatAdam(model.parameters(), settings, masters) { SliceElements = run.Slice };
            var norms = new List<double>();
            for (var step = 0; step < 5; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                nn.functional.mse_loss(model.call(x).to(float32), target).backward();
                using var before = optimizer.GradientBufferOf(0).clone();
                norms.Add(optimizer.ClipGradNorm(run.Clip));
                Assert.True(before.eq(optimizer.GradientBufferOf(0)).all().item<bool>(), "clipping changed the bf16 gradient");
                optimizer.Step();
            }
            return (Model: model, Optimizer: optimizer, Norms: norms);
        }).ToArray();

        var (whole, sliced, unclipped) = (runs[0], runs[1], runs[2]);
        Assert.All(whole.Norms, n => Assert.True(n > 0.05, $"norm {n} does not clip"));
        foreach (var (a, b) in whole.Norms.Zip(sliced.Norms))
            Assert.Equal(a, b, a * 1e-5);
        Assert.True(MaxDifference(whole.Model, sliced.Model) == 0, $"bf16 copies differ by {MaxDifference(whole.Model, sliced.Model)}");
        Assert.True(MaxDifference(whole.Model, unclipped.Model) > 1e-3, "clipping did not change the update");
        foreach (var run in runs)
            run.Optimizer.Dispose();
    }

    /// <summary>Either implementation; TorchAdam's parameters start with zero gradients, so unused ones step as in FlatAdam.</summary>
    private static IAdamOptimizer Create(bool torch, DiT dit, AdamSettings settings)
    {
        if (!torch)
            return new FlatAdam(dit.parameters(), settings);
        foreach (var p in dit.parameters())
            p.grad = zeros_like(p);
        return new TorchAdam(dit.parameters(), settings);
    }

    private static void Train(DiT dit, IAdamOptimizer optimizer, int from, int count, double clip = 1.0)
    {
        for (var step = from; step < from + count; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            Loss(dit, step).backward();
            optimizer.ClipGradNorm(clip);
            optimizer.Step();
        }
    }

    private static DiT Dit(long seed = 11)
    {
        manual_seed(seed);
        var dit = new DiT(TinyModels.Preset.DiT);
        TinyModels.Perturb(dit, seed);
        return dit;
    }

    private static DiT Copy(DiT source)
    {
        var copy = new DiT(source.Config);
        copy.load_state_dict(source.state_dict());
        return copy;
    }

    /// <summary>A flow-matching loss on a batch drawn from <paramref name="seed"/>, the same for every model.</summary>
    private static Tensor Loss(DiT dit, long seed)
    {
        var config = dit.Config;
        using var g = new torch.Generator((ulong)(seed + 1));
        var x = randn([2, config.InChannels, config.ImageSize, config.ImageSize], generator: g);
        var noise = randn([2, config.InChannels, config.ImageSize, config.ImageSize], generator: g);
        var t = rand([2], generator: g);
        var tokens = randn([2, 4, config.TextDim], generator: g);
        var mask = ones([2, 4], dtype: @bool);
        var tt = t.view(-1, 1, 1, 1);
        var v = dit.call((1 - tt) * x + tt * noise, t, tokens, mask, null);
        return nn.functional.mse_loss(v, noise - x);
    }

    private static double MaxDifference(nn.Module a, nn.Module b)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return a.parameters().Zip(b.parameters()).Max(pair => (pair.First.to(float32) - pair.Second.to(float32)).abs().max().item<float>());
    }
}
