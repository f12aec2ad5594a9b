using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Per patch of a question's candidate image, whether it agrees with the question (the targets of
/// <see cref="NpEdit.Trainer.Losses.PatchGroundingLoss"/>), from the scenes' <see cref="SceneLabels"/>:
/// presence — the patch shows the named object; edit verification — it looks as the instruction's ground-truth
/// result does there; identity preservation — it looks as the reference or that result does there, and the image is
/// not degraded. A background, tint or style that matches neither makes every patch disagree.
/// </summary>
public static class PatchGrounding
{
    static readonly Dictionary<string, (long Color, long Shape)> ObjectLabels =
        Enum.GetValues<NamedColor>().SelectMany(c => Enum.GetValues<ShapeKind>().Select(k => (c, k)))
            .ToDictionary(p => new ObjectRef(p.c, p.k).Name, p => ((long)p.c + 1, (long)p.k + 1));

    /// <summary>The grid×grid targets (1 agrees, 0 not), or null when the example lacks the scenes they need.</summary>
    public static long[]? Targets(CriticExample example, int grid)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (example.CandidateScene is not { } candidateScene)
            return null;
        var candidate = SceneLabels.Of(candidateScene, grid);
        var cells = Enumerable.Range(0, grid * grid);
        if (example.Family == CriticExample.Presence)
        {
            if (example.Subject is null || !ObjectLabels.TryGetValue(example.Subject, out var named))
                return null;
            return [.. cells.Select(p => candidate.Color[p] == named.Color && candidate.Shape[p] == named.Shape ? 1L : 0L)];
        }
        if (example.ReferenceScene is not { } referenceScene || example.TargetScene is not { } targetScene)
            return null;
        var (reference, target) = (SceneLabels.Of(referenceScene, grid), SceneLabels.Of(targetScene, grid));
        if (example.Family == CriticExample.Edit)
            return SameImage(candidate, target) ? [.. cells.Select(p => SamePatch(candidate, target, p) ? 1L : 0L)] : new long[grid * grid];
        var degraded = example.Kind is CandidateKind.Noisy or CandidateKind.Blurred;
        var allowedImage = SameImage(candidate, reference) || SameImage(candidate, target);
        return degraded || !allowedImage
            ? new long[grid * grid]
            : [.. cells.Select(p => SamePatch(candidate, reference, p) || SamePatch(candidate, target, p) ? 1L : 0L)];
    }

    static bool SamePatch(SceneLabels a, SceneLabels b, int p) => a.Heads.Zip(b.Heads).All(h => h.First[p] == h.Second[p]);

    static bool SameImage(SceneLabels a, SceneLabels b) => a.Background == b.Background && a.Tint == b.Tint && a.Style == b.Style;
}
