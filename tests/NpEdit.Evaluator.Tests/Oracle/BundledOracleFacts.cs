using NpEdit.Evaluator.Oracle;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>The oracle committed with the build (<see cref="OracleCheckpoint.BundledPath"/>) is the instrument ShapesWorld-Bench scores with.</summary>
[Collection(OracleCollection.Name)]
public class BundledOracleFacts
{
    public BundledOracleFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void The_bundled_oracle_reads_clean_held_out_renders_as_well_as_it_was_measured()
    {
        // The network alone on 300 held-out scenes it never trained on ('npedit oracle check --scenes 300 --first-scene
        // 50000 --refine false'). The floors are what this checkpoint scores on exactly these scenes, less about one
        // decision each for float summation order, so a change to the renderer, the labels, the decoder or the weights
        // shows up here. The network alone is below the issue's 99% (the refined reading below meets it; bench/RESULTS.md):
        // raise the floors with a better checkpoint, never lower them to pass.
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null));
        var report = OracleAccuracy.Measure(parser, scenes: 300, firstIndex: 50_000);

        string detail = string.Join(", ", report.Attributes.Select(a => $"{a.Name} {a.Correct}/{a.Total}")) + $"; pooled {report.Overall:P2}";
        Assert.True(report.Overall >= PooledFloor, $"pooled below {PooledFloor:P1}: {detail}");
        foreach (var (name, floor) in Floors)
            Assert.True(report[name].Accuracy >= floor, $"{name} below {floor:P1}: {detail}");
    }

    [Fact]
    public void Refined_by_rendering_alternatives_the_bundled_oracle_reads_clean_renders_to_the_issues_99_percent()
    {
        // The network's reading checked against the pixels (SceneRefiner): on a clean render the true scene has zero
        // error, so what stays wrong is a search that settled elsewhere. 60 held-out scenes the 300 above do not
        // include; the 1,000-scene measurement is in bench/RESULTS.md.
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null));
        var network = OracleAccuracy.Measure(parser, scenes: 60, firstIndex: 60_000);
        var refined = OracleAccuracy.Measure(parser, scenes: 60, firstIndex: 60_000, refine: true);

        string detail = string.Join(", ", refined.Attributes.Select(a => $"{a.Name} {a.Correct}/{a.Total}")) + $"; pooled {refined.Overall:P2} (network alone {network.Overall:P2})";
        Assert.True(refined.Overall >= 0.99, $"refined pooled below 99%: {detail}");
        Assert.True(refined.Overall > network.Overall, detail);
        Assert.True(refined.SceneExact > network.SceneExact, detail);
    }

    [Fact]
    public void Its_fp32_logits_match_an_fp64_evaluation_of_the_same_weights()
    {
        // fp64 convolutions run in ATen, not oneDNN: a wrong CPU kernel shows up here directly (on an AMD EPYC VM oneDNN's
        // AVX kernels moved the detail branch's shape logits by up to 5.7; OneDnnIsaCap; bench/RESULTS.md).
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = OracleInput.ToTensor([.. Enumerable.Range(0, 16).Select(i => RgbImage.Render(OracleScenes.HeldOut(50_000 + i).Scene, 64))], 64);
        parser.Network.eval();
        var single = parser.Network.call(input);
        var network = (SceneParserNet)parser.Network.to(ScalarType.Float64);
        var reference = network.call(input.to(ScalarType.Float64));

        foreach (var (name, fp32, fp64) in new[] { ("shape", single.Shape, reference.Shape), ("pattern", single.Pattern, reference.Pattern), ("rotation", single.Rotation, reference.Rotation), ("color", single.Color, reference.Color) })
        {
            var gap = (fp32.to(ScalarType.Float64) - fp64).abs().max().item<double>();
            Assert.True(gap < 1e-3, $"{name} logits differ from fp64 by up to {gap:G3}");
        }
    }

    private const double PooledFloor = 0.981;

    private static readonly (string Name, double Floor)[] Floors =
    [
        ("occupancy", 0.9995), ("shape", 0.982), ("color", 0.992), ("size", 0.992), ("pattern", 0.922),
        ("rotation", 0.928), ("character", 0.989), ("background", 0.996), ("tint", 0.987), ("style", 0.996),
    ];
}
