using NpEdit.Evaluator.Oracle;

namespace NpEdit.Jobs.Demo;

/// <summary>The demo's sizes: <c>--quick</c> (target ≤ 3 minutes on 2 cores) and the default (≤ 20 minutes).</summary>
public sealed record DemoSettings(string Name, int CorpusImages, int ImagesPerUnit, int TrainSteps, OracleTrainConfig Oracle)
{
    public static DemoSettings Quick { get; } = new("demo-quick", 120, 40, 30, new OracleTrainConfig { Steps = 150 });

    public static DemoSettings Full { get; } = new("demo", 1200, 200, 400, new OracleTrainConfig { Steps = 1500 });
}
