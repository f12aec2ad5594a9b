using NpEdit.Evaluator.Oracle;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>The oracle committed with the build (<see cref="OracleCheckpoint.BundledPath"/>) is the instrument ShapesWorld-Bench scores with.</summary>
[Collection(OracleCollection.Name)]
public class BundledOracleFacts
{
    public BundledOracleFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void The_bundled_oracle_reads_clean_held_out_renders_as_well_as_it_was_measured()
    {
        // 300 held-out scenes it never trained on ('npedit oracle check --scenes 300 --first-scene 50000'). The floors are
        // what this checkpoint scores on exactly these scenes, less about one decision each for float summation order, so
        // a change to the renderer, the labels, the decoder or the weights shows up here. They are below the 99%
        // goal (bench/RESULTS.md): raise them with a better checkpoint, never lower them to pass.
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null));
        var report = OracleAccuracy.Measure(parser, scenes: 300, firstIndex: 50_000);

        string detail = string.Join(", ", report.Attributes.Select(a => $"{a.Name} {a.Correct}/{a.Total}")) + $"; pooled {report.Overall:P2}";
        Assert.True(report.Overall >= PooledFloor, $"pooled below {PooledFloor:P1}: {detail}");
        foreach (var (name, floor) in Floors)
            Assert.True(report[name].Accuracy >= floor, $"{name} below {floor:P1}: {detail}");
    }

    private const double PooledFloor = 0.981;

    private static readonly (string Name, double Floor)[] Floors =
    [
        ("occupancy", 0.9995), ("shape", 0.982), ("color", 0.992), ("size", 0.992), ("pattern", 0.922),
        ("rotation", 0.928), ("character", 0.989), ("background", 0.996), ("tint", 0.987), ("style", 0.996),
    ];
}
