using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// Compares the scenes whose compact captions were the prompts with the oracle's reading of the images drawn
/// for them. A compact caption names each object's pattern, colour, shape and cell and the background, but not
/// the jitter, size or rotation, so only the named attributes are scored; the sign is not named and is ignored.
/// </summary>
public static class CaptionFidelityScorer
{
    public static CaptionFidelity Score(IReadOnlyList<Scene> captioned, IReadOnlyList<Scene> read)
    {
        ArgumentNullException.ThrowIfNull(captioned);
        ArgumentNullException.ThrowIfNull(read);
        if (captioned.Count != read.Count)
            throw new ArgumentException($"Expected one reading per captioned scene, got {read.Count} readings for {captioned.Count} scenes.");
        int objects = 0, inCell = 0, color = 0, shape = 0, all = 0, background = 0, empty = 0, keptEmpty = 0;
        for (var i = 0; i < captioned.Count; i++)
        {
            var (truth, seen) = (captioned[i], read[i]);
            foreach (var o in truth.Objects)
            {
                objects++;
                var there = seen.Objects.FirstOrDefault(p => p.Cell == o.Cell);
                if (there is null)
                    continue;
                inCell++;
                if (there.Color == o.Color) color++;
                if (there.Shape == o.Shape) shape++;
                if (there.Color == o.Color && there.Shape == o.Shape) all++;
            }
            if (seen.Background.Kind == truth.Background.Kind)
                background++;
            foreach (var cell in Enum.GetValues<GridCell>().Except(truth.OccupiedCells))
            {
                empty++;
                if (seen.Objects.All(p => p.Cell != cell))
                    keptEmpty++;
            }
        }
        return new CaptionFidelity(captioned.Count, objects, inCell, color, shape, all, background, empty, keptEmpty);
    }
}
