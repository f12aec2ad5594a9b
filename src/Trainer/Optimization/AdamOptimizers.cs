using NpEdit.Core.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>Builds the configured <see cref="IAdamOptimizer"/>.</summary>
public static class AdamOptimizers
{
    /// <param name="implementation">Flat buffers or TorchSharp's per-tensor loop.</param>
    /// <param name="parameters">The trainable parameters, after any module.to() (which replaces Parameter objects, TorchSharp #1455).</param>
    /// <param name="settings">Learning rate, betas, ε, weight decay.</param>
    /// <param name="masters">Under mixed precision, the fp32 starting values of the masters, one per parameter.</param>
    public static IAdamOptimizer Create(AdamImplementation implementation, IEnumerable<Parameter> parameters, AdamSettings settings,
        IReadOnlyList<Tensor>? masters = null) =>
        implementation switch
        {
            AdamImplementation.Flat => new FlatAdam(parameters, settings, masters),
            AdamImplementation.Torch => new TorchAdam(parameters, settings, masters),
            _ => throw new ArgumentOutOfRangeException(nameof(implementation), implementation, "Unknown Adam implementation."),
        };
}
