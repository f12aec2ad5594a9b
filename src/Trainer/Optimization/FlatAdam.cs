using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// Adam / AdamW over flat buffers (<see cref="FlatParameters"/>): zero_grad is one fill, the gradient norm one
/// reduction and the update about eight kernels per (device, dtype) group, instead of TorchSharp's managed loop of
/// kernels per parameter tensor (which has no foreach or fused variant). The arithmetic is PyTorch's Adam step:
/// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε), with decoupled
/// (θ ← θ·(1 − lr·λ)) or L2 (g ← g + λ·θ) weight decay. With β1 = 0 (the paper's β = (0, 0.9)) m is the gradient
/// itself and is not stored. Every parameter steps every time (an unused one has a zero gradient, so without
/// weight decay it does not move), and one step count serves all.
/// </summary>
public sealed class FlatAdam : IAdamOptimizer
{
    private readonly AdamSettings settings;
    private readonly Parameter[] parameters;
    private readonly int[][] layout;
    private readonly FlatAdamGroup[] groups;
    private double gradientScale = 1;

    /// <param name="parameters">The trainable parameters; their storage and gradients become views of flat buffers.</param>
    /// <param name="settings">Learning rate, betas, ε, weight decay.</param>
    /// <param name="masters">Under mixed precision, the fp32 starting values of the masters, one per parameter; null when the parameters are their own masters.</param>
    public FlatAdam(IEnumerable<Parameter> parameters, AdamSettings settings, IReadOnlyList<Tensor>? masters = null)
    {
        this.settings = settings;
        this.parameters = [.. parameters];
        if (masters is not null && masters.Count != this.parameters.Length)
            throw new ArgumentException($"{masters.Count} masters for {this.parameters.Length} parameters.", nameof(masters));
        LearningRate = settings.LearningRate;
        layout = AdamLayout.Groups(this.parameters);
        groups = [.. layout.Select(indices =>
        {
            var flat = new FlatParameters([.. indices.Select(i => this.parameters[i])]);
            Tensor? master = null;
            if (masters is not null)
            {
                // Copied view by view, not concatenated: no second model-sized temporary (a 2B model's masters are 8 GB).
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                master = empty(flat.Data.numel(), dtype: masters[indices[0]].dtype, device: flat.Device).DetachFromDisposeScope();
                for (var j = 0; j < indices.Length; j++)
                    flat.View(master, j).copy_(masters[indices[j]]);
            }
            return new FlatAdamGroup(flat, master, firstMoment: settings.Beta1 != 0);
        })];
    }

    public double LearningRate { get; set; }

    public long Steps { get; private set; }

    /// <summary>The flat buffer holding parameter <paramref name="index"/>'s values (tests check the aliasing).</summary>
    internal Tensor BufferOf(int index) => groups[GroupOf(index)].Parameters.Data;

    /// <summary>
    /// Each group's flat value buffer with the indices (into the constructor's parameters) of the parameters it holds,
    /// in buffer order: a model-sized operation over the weights (an EMA) can then run on a few buffers.
    /// </summary>
    internal IReadOnlyList<(Tensor Data, int[] Indices)> ValueBuffers => [.. groups.Select((g, k) => (g.Parameters.Data, layout[k]))];

    /// <summary>The flat gradient buffer holding parameter <paramref name="index"/>'s gradient.</summary>
    internal Tensor GradientBufferOf(int index) => groups[GroupOf(index)].Parameters.Grad;

    public void ZeroGrad()
    {
        foreach (var group in groups)
            group.Parameters.Grad.zero_();
        gradientScale = 1;
    }

    public double ClipGradNorm(double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Under mixed precision the norm is taken of the fp32 upcast, slice by slice (see GradientSlice); otherwise
        // of the flat gradient in one reduction.
        var norms = groups.SelectMany(g => g.HasSeparateMaster
                ? Slices(g, SliceElements > 0 ? SliceElements : GpuSlice).Select(s => g.GradientSlice(s.Start, s.Length).norm().to(float64))
                : [g.Parameters.Grad.norm().to(float64)])
            .ToArray();
        var total = (norms.Length == 1 ? norms[0] : stack(norms).norm()).item<double>();
        // clip_grad_norm_'s coefficient, computed on the host: the norm is read here anyway, and a step that does
        // not clip launches no kernel. A gradient Adam reads as a copy (mixed precision) is scaled when it is read.
        var coefficient = maxNorm / (total + 1e-6);
        gradientScale = maxNorm > 0 && coefficient < 1 ? coefficient : 1;
        if (gradientScale != 1)
            foreach (var group in groups.Where(g => !g.HasSeparateMaster))
                group.Parameters.Grad.mul_(gradientScale);
        return total;
    }

    public void Step()
    {
        using var _ = no_grad();
        Steps++;
        var lr = LearningRate;
        var biasCorrection1 = 1 - Math.Pow(settings.Beta1, Steps);
        var biasCorrection2 = 1 - Math.Pow(settings.Beta2, Steps);
        foreach (var group in groups)
        {
            var (weights, expAvg, expAvgSq) = (group.Master, group.ExpAvg, group.ExpAvgSq);
            foreach (var (start, length) in Slices(group))
            {
                using var scope = NewDisposeScope();
                Tensor Slice(Tensor t) => length == t.numel() ? t : t.narrow(0, start, length);
                var grad = group.GradientSlice(start, length);
                if (group.HasSeparateMaster && gradientScale != 1)
                    grad.mul_(gradientScale);
                Update(Slice(weights), grad, expAvg is null ? null : Slice(expAvg), Slice(expAvgSq), lr, biasCorrection1, biasCorrection2);
            }
            group.PublishMaster();
        }
        gradientScale = 1;
    }

    /// <summary>
    /// Elements per slice of an update. On the CPU 64K, so that a slice's weights, gradient, moments and temporaries
    /// stay in cache through the ~8 passes (one pass per kernel over a 58M-parameter buffer streams it from memory
    /// every time, and its temporaries are page-faulted in anew each step). On a GPU 64M (256 MB of fp32 per
    /// temporary): one kernel per operation for models up to that size, and for a 2B model 31 slices whose
    /// temporaries take 0.5 GB instead of the 16 GB that whole-buffer temporaries and a whole fp32 gradient need.
    /// </summary>
    /// <remarks>Tests set it to exercise slicing on small models; 0 picks by device.</remarks>
    internal long SliceElements { get; init; }

    private const long CpuSlice = 1 << 16;
    private const long GpuSlice = 1 << 26;

    private IEnumerable<(long Start, long Length)> Slices(FlatAdamGroup group) =>
        Slices(group, SliceElements > 0 ? SliceElements : group.Master.device_type == DeviceType.CPU ? CpuSlice : GpuSlice);

    private static IEnumerable<(long Start, long Length)> Slices(FlatAdamGroup group, long slice)
    {
        var total = group.Master.numel();
        for (long start = 0; start < total; start += slice)
            yield return (start, Math.Min(slice, total - start));
    }

    /// <summary>One Adam update of (a slice of) the flat weights, in PyTorch's order of operations.</summary>
    private void Update(Tensor weights, Tensor grad, Tensor? expAvg, Tensor expAvgSq, double lr, double biasCorrection1, double biasCorrection2)
    {
        var (beta1, beta2, eps, decay) = (settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay);
        if (decay != 0 && settings.DecoupledWeightDecay)
            weights.mul_(1 - lr * decay);
        else if (decay != 0)
            grad = grad.add(weights, alpha: decay);
        var m = expAvg is null ? grad : expAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
        var denominator = expAvgSq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);
        weights.addcdiv_(m, denominator, value: -lr / biasCorrection1);
    }

    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor> { [AdamStateFile.Step] = tensor(new[] { Steps }) };
        for (var k = 0; k < groups.Length; k++)
        {
            var group = groups[k];
            state[AdamStateFile.Numels(k)] = tensor(group.Parameters.Numels);
            state[AdamStateFile.ExpAvgSq(k)] = group.ExpAvgSq.cpu();
            if (group.ExpAvg is not null)
                state[AdamStateFile.ExpAvg(k)] = group.ExpAvg.cpu();
            if (group.HasSeparateMaster)
                state[AdamStateFile.Master(k)] = group.Master.cpu();
        }
        AdamStateFile.Write(path, state);
    }

    public void Load(string path)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (AdamStateFile.IsFlat(path))
            LoadFlat(path);
        else
            LoadTorch(path);
    }

    private void LoadFlat(string path)
    {
        var state = AdamStateFile.Read(path, parameters, layout);
        try
        {
            Steps = state[AdamStateFile.Step].data<long>()[0];
            for (var k = 0; k < groups.Length; k++)
            {
                var group = groups[k];
                group.ExpAvgSq.copy_(state[AdamStateFile.ExpAvgSq(k)]);
                if (group.ExpAvg is not null)
                {
                    if (state.TryGetValue(AdamStateFile.ExpAvg(k), out var expAvg))
                        group.ExpAvg.copy_(expAvg);
                    else
                        group.ExpAvg.zero_();   // written with β1 = 0, where m was the gradient
                }
                if (state.TryGetValue(AdamStateFile.Master(k), out var master) && group.HasSeparateMaster)
                    group.Master.copy_(master);
                else
                    group.ResetMaster();
            }
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }

    /// <summary>A state TorchSharp's Adam / AdamW wrote (older checkpoints, or <see cref="TorchAdam"/>): copied into the flat moments.</summary>
    private void LoadTorch(string path)
    {
        var shapes = Enumerable.Range(0, parameters.Length).Select(i => (parameters[i].shape, groups[GroupOf(i)].Master.dtype)).ToArray();
        var states = AdamStateFile.ReadTorch(path, shapes, settings);
        try
        {
            Steps = states.Max(s => s.Step);
            for (var k = 0; k < groups.Length; k++)
            {
                var group = groups[k];
                for (var j = 0; j < layout[k].Length; j++)
                {
                    var (_, expAvg, expAvgSq) = states[layout[k][j]];
                    group.Parameters.View(group.ExpAvgSq, j).copy_(expAvgSq);
                    if (group.ExpAvg is not null)
                        group.Parameters.View(group.ExpAvg, j).copy_(expAvg);
                }
                group.ResetMaster();
            }
        }
        finally
        {
            foreach (var (_, expAvg, expAvgSq) in states)
            {
                expAvg.Dispose();
                expAvgSq.Dispose();
            }
        }
    }

    private int GroupOf(int index) => Array.FindIndex(layout, g => g.Contains(index));

    public void Dispose()
    {
        foreach (var group in groups)
            group.Dispose();
    }
}
