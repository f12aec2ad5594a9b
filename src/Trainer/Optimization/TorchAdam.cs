using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// TorchSharp's optim.Adam / optim.AdamW (a managed loop of kernels per parameter tensor) behind
/// <see cref="IAdamOptimizer"/>; under mixed precision it keeps one fp32 master Parameter per tensor, moves each
/// bf16 gradient into its master and copies the masters back after the step.
/// </summary>
public sealed class TorchAdam : IAdamOptimizer
{
    private readonly AdamSettings settings;
    private readonly Parameter[] parameters;
    private readonly Parameter[] masters;
    private readonly OptimizerHelper optimizer;

    /// <param name="parameters">The trainable parameters.</param>
    /// <param name="settings">Learning rate, betas, ε, weight decay.</param>
    /// <param name="masters">Under mixed precision, the fp32 starting values of the masters, one per parameter; null when the parameters are their own masters.</param>
    public TorchAdam(IEnumerable<Parameter> parameters, AdamSettings settings, IReadOnlyList<Tensor>? masters = null)
    {
        this.settings = settings;
        this.parameters = [.. parameters];
        if (masters is not null && masters.Count != this.parameters.Length)
            throw new ArgumentException($"{masters.Count} masters for {this.parameters.Length} parameters.", nameof(masters));
        this.masters = masters is null ? this.parameters : [.. masters.Select(Master)];
        optimizer = settings.DecoupledWeightDecay
            ? optim.AdamW(this.masters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay)
            : optim.Adam(this.masters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay);
    }

    private bool HasSeparateMasters => !ReferenceEquals(masters, parameters);

    /// <summary>
    /// An fp32 copy of <paramref name="value"/> as a new Parameter, owned by this optimizer: a Parameter wraps its own
    /// handle, so the intermediate copy is freed here, and the master leaves any dispose scope its caller opened.
    /// </summary>
    private static Parameter Master(Tensor value)
    {
        using var alias = value.detach();
        using var copy = alias.clone();
        var master = new Parameter(copy);
        master.DetachFromDisposeScope();
        return master;
    }

    public double LearningRate
    {
        get => optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = value;
        }
    }

    public long Steps { get; private set; }

    public void ZeroGrad()
    {
        optimizer.zero_grad();
        if (HasSeparateMasters)
            foreach (var m in masters)
                m.grad = null;                          // the fp32 gradients live only through the step
    }

    public double ClipGradNorm(double maxNorm)
    {
        if (HasSeparateMasters)
            foreach (var (p, m) in parameters.Zip(masters))
                if (p.grad is { } grad)
                {
                    m.grad = grad.to(m.dtype);
                    p.grad = null;                      // free the bf16 gradient at once (2B DiTs: 4 GB)
                }
        return nn.utils.clip_grad_norm_(masters, maxNorm > 0 ? maxNorm : float.MaxValue);
    }

    public void Step()
    {
        optimizer.step();
        Steps++;
        if (!HasSeparateMasters)
            return;
        CopyValues(parameters, masters);
        foreach (var m in masters)
            m.grad = null;
    }

    public void Save(string path) => optimizer.save_state_dict(path);

    public void Load(string path)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (AdamStateFile.IsFlat(path))
        {
            LoadFlat(path);
            return;
        }
        optimizer.load_state_dict(path);
        Steps = StepOf(optimizer.state_dict().State);
        if (HasSeparateMasters)
            CopyValues(masters, parameters);            // the checkpoint holds the compute copies; masters restart from them
    }

    /// <summary>A state <see cref="FlatAdam"/> wrote: each tensor's slice of the flat moments (and masters).</summary>
    private void LoadFlat(string path)
    {
        var layout = AdamLayout.Groups(parameters);
        var state = AdamStateFile.Read(path, parameters, layout);
        try
        {
            var step = state[AdamStateFile.Step].data<long>()[0];
            var states = optimizer.state_dict().State;
            if (HasSeparateMasters)
                CopyValues(masters, parameters);
            for (var k = 0; k < layout.Length; k++)
            {
                long offset = 0;
                foreach (var i in layout[k])
                {
                    var n = parameters[i].numel();
                    Tensor Slice(string key) => state[key].narrow(0, offset, n).view(parameters[i].shape);
                    var (expAvg, expAvgSq) = Moments(states[i], step);
                    expAvgSq.copy_(Slice(AdamStateFile.ExpAvgSq(k)));
                    if (state.ContainsKey(AdamStateFile.ExpAvg(k)))
                        expAvg.copy_(Slice(AdamStateFile.ExpAvg(k)));
                    else
                        expAvg.zero_();                 // written with β1 = 0, where m was the gradient
                    if (HasSeparateMasters && state.ContainsKey(AdamStateFile.Master(k)))
                        masters[i].copy_(Slice(AdamStateFile.Master(k)));
                    offset += n;
                }
            }
            Steps = step;
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }

    /// <summary>The moments of one parameter's Adam or AdamW state, whose step count becomes <paramref name="step"/>.</summary>
    private static (Tensor ExpAvg, Tensor ExpAvgSq) Moments(OptimizerState state, long step)
    {
        switch (state)
        {
            case Adam.State a:
                a.step = step;
                return (a.exp_avg, a.exp_avg_sq);
            case AdamW.State w:
                w.step = step;
                return (w.exp_avg, w.exp_avg_sq);
            default:
                throw new InvalidOperationException($"Not an Adam state: {state.GetType().Name}.");
        }
    }

    private static long StepOf(IEnumerable<OptimizerState> states) =>
        states.Select(s => s switch { Adam.State a => a.step, AdamW.State w => w.step, _ => 0 }).DefaultIfEmpty(0).Max();

    /// <summary>to[i] ← from[i], casting to to[i]'s dtype.</summary>
    private static void CopyValues(Parameter[] to, Parameter[] from)
    {
        using var _ = no_grad();
        foreach (var (p, m) in to.Zip(from))
            p.copy_(m);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        if (HasSeparateMasters)
            foreach (var m in masters)
                m.Dispose();
    }
}
