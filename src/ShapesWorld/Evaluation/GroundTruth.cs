using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Evaluation;

/// <summary>
/// The evaluation-only door to target scenes and images. Nothing written for training (corpus shards,
/// registries, benchmark inputs) contains a target; evaluators recompute it here from the source and the edit.
/// </summary>
public static class GroundTruth
{
    public static Scene TargetOf(EditItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return EditApplier.Apply(item.Source, item.Spec).Target
            ?? throw new InvalidOperationException($"Edit item {item.Id} is invalid ({item.Reasoning}); it has no target.");
    }

    /// <summary>The target of a benchmark item, regenerated from its seeds; throws if the item no longer matches this code.</summary>
    public static Scene TargetOf(BenchItem item) => TargetOf(EditItemOf(item));

    /// <summary>The target rendered at <paramref name="size"/>×<paramref name="size"/> as RGB bytes.</summary>
    public static byte[] TargetImageOf(EditItem item, int size) => Renderer.Render(TargetOf(item), size);

    public static byte[] TargetImageOf(BenchItem item, int size) => Renderer.Render(TargetOf(item), size);

    /// <summary>The full edit item behind a benchmark item (source scene, spec, edited caption).</summary>
    public static EditItem EditItemOf(BenchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var edit = EditPrograms.Create(item.SceneSeed, item.Type, item.EditSeed);
        if (edit.Instruction != item.Instruction)
            throw new InvalidOperationException($"Benchmark item {item.Id} was written by a different ShapesWorld version: its instruction no longer regenerates. Rebuild the benchmark or use the matching version.");
        return edit;
    }
}
