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

    /// <summary>The target rendered at <paramref name="size"/>×<paramref name="size"/> as RGB bytes.</summary>
    public static byte[] TargetImageOf(EditItem item, int size) => Renderer.Render(TargetOf(item), size);
}
