using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// Preview grids: one row per ShapesWorld-Bench item, columns input | G_θ's edit | ground truth. The ground truth
/// comes from ShapesWorld's evaluation API and is used for display only, never for training.
/// </summary>
public static class SampleGrid
{
    private const int RenderSize = 64;
    private const int Gap = 2;

    /// <summary>The first <paramref name="count"/> items of a one-per-type bench, so every edit type shows up in turn.</summary>
    public static IReadOnlyList<EditItem> PreviewItems(int count) =>
        ShapesBench.BuildItems(new BenchOptions { ItemsPerType = 1 }).Take(count).ToList();

    /// <summary>Edits the items with <paramref name="trainer"/>'s G_θ and writes the grid as a PNG.</summary>
    public static void Write(string path, NpEditTrainer trainer, IReadOnlyList<EditItem> items, long seed)
    {
        using var scope = NewDisposeScope();
        var size = trainer.ImageSize;
        var inputs = stack(items.Select(i => ImageTensors.FromRgb(Renderer.Render(i.Source, RenderSize), RenderSize, RenderSize, size)).ToArray());
        var outputs = trainer.Edit(inputs, items.Select(i => i.Instruction).ToArray(), seed);
        var truths = items.Select(i => ImageTensors.FromRgb(GroundTruth.TargetImageOf(i, RenderSize), RenderSize, RenderSize, size)).ToArray();

        var cell = RenderSize;   // each cell enlarged to 64 px (nearest) so tiny presets stay visible
        var (width, height) = (3 * cell + 4 * Gap, items.Count * (cell + Gap) + Gap);
        var rgb = Enumerable.Repeat((byte)255, width * height * 3).ToArray();
        for (var row = 0; row < items.Count; row++)
        {
            var column = 0;
            foreach (var image in new[] { inputs[row], outputs[row], truths[row] })
            {
                var big = nn.functional.interpolate(image.unsqueeze(0), size: [cell, cell], mode: InterpolationMode.Nearest).squeeze(0);
                Blit(rgb, width, ImageTensors.ToRgb(big), cell, Gap + column * (cell + Gap), Gap + row * (cell + Gap));
                column++;
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, PngCodec.Encode(rgb, width, height));
    }

    private static void Blit(byte[] canvas, int canvasWidth, byte[] image, int side, int left, int top)
    {
        for (var y = 0; y < side; y++)
            Array.Copy(image, y * side * 3, canvas, ((top + y) * canvasWidth + left) * 3, side * 3);
    }
}
