using NpEdit.Evaluator.Oracle;

namespace NpEdit.Jobs.Demo;

/// <summary>
/// The demo's sizes: <c>--quick</c> (target ≤ 3 minutes on 2 cores: every stage runs, none long enough to learn
/// much) and the default (≤ 20 minutes: the CPU presets e001 and e010, shortened).
/// </summary>
/// <param name="T2ISets">Overrides of experiments/e001-pretrain-shapes-s-cpu.yaml for G_init.</param>
/// <param name="CriticSets">Overrides of the ShapesWorld critic's pretraining config.</param>
public sealed record DemoSettings(string Name, int CorpusImages, int ImagesPerUnit, int TrainSteps, OracleTrainConfig Oracle,
    string[] T2ISets, string[] CriticSets)
{
    public static DemoSettings Quick { get; } = new("demo-quick", 120, 40, 30, new OracleTrainConfig { Steps = 150 },
        ["preset=shapes-xs", "steps=120", "eval.every=0", "eval.prompts=16", "eval.grid_prompts=4"], ["steps=60", "held_out_per_family=40", "eval_every=60"]);

    public static DemoSettings Full { get; } = new("demo", 1200, 200, 400, new OracleTrainConfig { Steps = 1500 },
        ["steps=1500"], []);
}
