using TorchSharp.Modules;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// How <see cref="FlatAdam"/> lays parameters out: one group per (device, dtype) in order of first appearance,
/// each holding its parameters' indices in the order given. Both implementations use it to read the other's state.
/// </summary>
internal static class AdamLayout
{
    public static int[][] Groups(IReadOnlyList<Parameter> parameters) =>
        [.. Enumerable.Range(0, parameters.Count)
            .GroupBy(i => (parameters[i].device.ToString(), parameters[i].dtype))
            .Select(g => g.ToArray())];
}
