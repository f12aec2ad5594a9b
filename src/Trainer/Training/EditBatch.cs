using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>A batch of edit examples with their reference images decoded.</summary>
/// <param name="Examples">The rows (instruction c, captions c^y and c^x, edit type).</param>
/// <param name="References">(N, 3, S, S) reference images y in [−1, 1], on the training device.</param>
public sealed record EditBatch(IReadOnlyList<EditExample> Examples, Tensor References)
{
    public int Count => Examples.Count;

    /// <summary>Decodes the examples' source images at <paramref name="size"/>² on <paramref name="device"/>.</summary>
    public static EditBatch Load(IReadOnlyList<EditExample> examples, int size, Device device) =>
        new(examples, ImageTensors.FromPngs(ShardImages.Shared.Load(examples), size, device));
}
