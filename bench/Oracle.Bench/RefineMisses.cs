using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

/// <summary>
/// Every object the refined oracle still misreads (shape, pattern or rotation) on clean held-out renders, with what the
/// network read, what refinement settled on, and the pixel error of the truth, the network's scene and the refined one.
/// The truth's error is 0 on a clean render, so a refined error above it is a search that stopped in a local minimum.
/// </summary>
internal static class RefineMisses
{
    public static void Run(string? checkpoint, int scenes, long firstScene)
    {
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(checkpoint));
        int resolution = parser.Config.Resolution;
        var truth = Enumerable.Range(0, scenes).Select(i => OracleScenes.HeldOut(firstScene + i).Scene).ToArray();
        var images = truth.Select(s => RgbImage.Render(s, resolution)).ToArray();
        var network = parser.Parse(images);
        var refined = parser.Parse(images, refine: true);
        int misses = 0;
        for (int s = 0; s < scenes; s++)
            foreach (var t in truth[s].Objects)
            {
                var r = refined[s].Objects.FirstOrDefault(o => o.Cell == t.Cell);
                int order = ShapeSymmetry.Order(t.Shape);
                bool rotationRight = order == 0 || (r is not null && ShapeSymmetry.CircularDistance(order, t.Rotation, r.Rotation) < 7.5);
                if (r is not null && r.Shape == t.Shape && r.Pattern == t.Pattern && rotationRight) continue;
                misses++;
                var n = network[s].Objects.FirstOrDefault(o => o.Cell == t.Cell);
                Console.WriteLine($"scene {firstScene + s} ({truth[s].Style}): squared pixel error truth {Error(images[s], truth[s])}, " +
                    $"network {Error(images[s], network[s])}, refined {Error(images[s], refined[s])}");
                Console.WriteLine($"  truth   {t}\n  network {n}\n  refined {r}");
            }
        Console.WriteLine($"{misses} objects misread after refinement in {scenes} scenes");
    }

    private static long Error(RgbImage image, Scene scene)
    {
        var rendered = Renderer.Render(scene, image.Width, image.Height);
        long sum = 0;
        for (int i = 0; i < rendered.Length; i++)
        {
            int d = rendered[i] - image.Pixels[i];
            sum += d * d;
        }
        return sum;
    }
}
