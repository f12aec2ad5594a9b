using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// Answers the VIEScore judge prompts (src/Core/Prompts/vie) for ShapesWorld images, so the endpoint-judge path
/// runs end to end without a VLM. SC: the source must be a recognised scene; the instruction is matched to its
/// ShapesWorld-Bench item (exact ground truth) or parsed; the expected target is rendered at the edited image's
/// size and compared pixel by pixel — editing success on the pixels the edit should change, over-editing on the
/// pixels it should keep. PQ: an exact known render is clean; any other image gets a pixel-statistics estimate
/// that the reasoning marks as low confidence. When it cannot tell, the reply says so and carries no scores,
/// so the judge records a failure instead of a number.
/// </summary>
public static partial class VieScoreResponder
{
    /// <summary>A phrase only the SC prompt (vie/edit-sc.v1.txt) contains.</summary>
    public const string SemanticConsistencyMarker = "You are judging an instruction-guided image edit";

    /// <summary>A phrase only the PQ prompt (vie/pq.v1.txt) contains.</summary>
    public const string PerceptualQualityMarker = "You are judging the perceptual quality";

    // Mean absolute RGB difference (0–255) outside the edit region at which over-editing reaches 0.
    private const double OverEditScale = 48;

    // Median absolute Laplacian of a clean render is 0; a value this high means heavy noise.
    private const double NoiseScale = 24;

    private static readonly Lazy<IReadOnlyList<EditItem>> BenchV1 = new(() => ShapesBench.BuildItems(BenchOptions.V1));

    private static readonly Lazy<ILookup<(ulong Seed, string Instruction), EditItem>> BenchItems = new(() =>
        BenchV1.Value
            .SelectMany(i => i.Instructions.Select(text => (Key: (i.SceneSeed, Normalise(text)), Item: i)))
            .ToLookup(x => x.Key, x => x.Item));

    // The true targets of ShapesWorld-Bench v1, so an exact target render counts as a known clean image.
    private static readonly Lazy<HashSet<string>> BenchTargetHashes = new(() =>
    {
        var size = BenchOptions.V1.Resolution;
        return BenchV1.Value
            .Select(i => SceneRegistry.PixelHash(GroundTruth.TargetImageOf(i, size), size, size))
            .ToHashSet();
    });

    public static string SemanticConsistency(string text, IReadOnlyList<AnnotatorImage> images)
    {
        if (images.Count < 2 || images[1].Rgb is null)
            return NoScore("The request needs two readable images (the original, then the edited one); I cannot score it.");
        if (images[0].Known is not { } known)
            return NoScore("I cannot tell what the original image shows: it is not a ShapesWorld image I recognise, so I do not know what the edit should produce.");
        var instruction = InstructionLine().Matches(text).LastOrDefault()?.Groups[1].Value.Trim() ?? "";
        var target = TargetOf(known.Seed, known.Scene, instruction);
        if (target is null)
            return NoScore($"I cannot tell which single change \"{instruction}\" asks for in this image, so I cannot score the edit.");

        var edited = images[1];
        var source = Renderer.Render(known.Scene, edited.Width, edited.Height);
        var expected = Renderer.Render(target, edited.Width, edited.Height);
        double editError = 0, editBaseline = 0, keptError = 0;
        int editPixels = 0, keptPixels = 0;
        for (var p = 0; p < source.Length; p += 3)
        {
            var changes = source[p] != expected[p] || source[p + 1] != expected[p + 1] || source[p + 2] != expected[p + 2];
            if (changes)
            {
                editError += Diff(edited.Rgb!, expected, p);
                editBaseline += Diff(source, expected, p);
                editPixels++;
            }
            else
            {
                keptError += Diff(edited.Rgb!, source, p);
                keptPixels++;
            }
        }
        var success = editPixels == 0 ? 10 : Score(1 - editError / Math.Max(editBaseline, 1e-9));
        var kept = keptPixels == 0 ? 10 : Score(1 - keptError / keptPixels / OverEditScale);
        var reasoning = editPixels == 0
            ? "The instruction changes no visible pixel at this size."
            : $"The edited image is {100 * (1 - editError / Math.Max(editBaseline, 1e-9)):F0}% of the way from the original to the expected result where the edit applies; outside it the mean change is {(keptPixels == 0 ? 0 : keptError / keptPixels):F1}/255.";
        return Reply(success, kept, reasoning);
    }

    public static string PerceptualQuality(AnnotatorImage? image)
    {
        if (image?.Rgb is null)
            return NoScore("No readable image was attached, so I cannot judge its quality.");
        if (image.Known is not null || (image.Width == BenchOptions.V1.Resolution && image.Height == image.Width &&
                                        BenchTargetHashes.Value.Contains(SceneRegistry.PixelHash(image.Rgb, image.Width, image.Height))))
            return Reply(10, 10, "This is a clean ShapesWorld render: flat shading, crisp edges, no artifacts.");
        var (median, flat) = NoiseStatistics(image.Rgb, image.Width, image.Height);
        var artifacts = Score(1 - median / NoiseScale);
        var naturalness = Score(flat / 0.6);
        return Reply(naturalness, artifacts,
            $"Low confidence: I do not recognise this exact image, so the scores are estimated from pixel statistics (median Laplacian {median:F1}, {100 * flat:F0}% flat pixels).");
    }

    private static Scene? TargetOf(ulong seed, Scene source, string instruction)
    {
        var bench = BenchItems.Value[(seed, Normalise(instruction))].FirstOrDefault();
        if (bench is not null)
            return GroundTruth.TargetOf(bench);
        foreach (var type in EditTypeNames.Local)
        {
            var spec = InstructionParser.Parse(type, instruction, source);
            if (spec is not null && EditApplier.Apply(source, spec) is { IsValid: true, Target: { } target })
                return target;
        }
        return null;
    }

    /// <summary>Median absolute Laplacian of the luminance and the share of pixels where it is at most 2 (flat).</summary>
    private static (double Median, double FlatShare) NoiseStatistics(byte[] rgb, int width, int height)
    {
        if (width < 3 || height < 3)
            return (0, 1);
        double Luma(int x, int y) { var p = 3 * (y * width + x); return 0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2]; }
        var values = new List<double>((width - 2) * (height - 2));
        for (var y = 1; y < height - 1; y++)
            for (var x = 1; x < width - 1; x++)
                values.Add(Math.Abs(4 * Luma(x, y) - Luma(x - 1, y) - Luma(x + 1, y) - Luma(x, y - 1) - Luma(x, y + 1)));
        values.Sort();
        return (values[values.Count / 2], values.Count(v => v <= 2) / (double)values.Count);
    }

    private static double Diff(byte[] a, byte[] b, int p) =>
        (Math.Abs(a[p] - b[p]) + Math.Abs(a[p + 1] - b[p + 1]) + Math.Abs(a[p + 2] - b[p + 2])) / 3.0;

    private static int Score(double fraction) => (int)Math.Round(10 * Math.Clamp(fraction, 0, 1));

    private static string Reply(int first, int second, string reasoning) =>
        JsonSerializer.Serialize(new { score = new[] { first, second }, reasoning });

    private static string NoScore(string reasoning) =>
        $"I cannot give scores for this request. {reasoning}";

    private static string Normalise(string instruction) => instruction.Trim().TrimEnd('.').ToLower(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Editing instruction:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex InstructionLine();
}
