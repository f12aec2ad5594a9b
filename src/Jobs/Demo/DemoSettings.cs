using NpEdit.Evaluator.Oracle;

namespace NpEdit.Jobs.Demo;

/// <summary>
/// The demo's sizes: <c>--quick</c> (target ≤ 3 minutes on 2 cores: every stage runs, none long enough to learn
/// much; its CPU time per stage is in bench/RESULTS.md, and the critic, the largest, is cut hardest) and the
/// default (≤ 20 minutes: the GPU-pretrained G_init bundled with the build, else — or with --pretrain-g-init — G_init as
/// its CPU preset e001 pretrains it but for 3,000 of its 4,000 steps (in e001's run step 3,000 already had 97.9% caption
/// agreement at CFG 2; step 1,500 had not yet learned colours), the critic in 16-px patches for ≈ 450 CPU-s: 100 vision + 1,000 Yes/No steps, which
/// reaches what 200 + 900 steps in 8-px patches did in half the time (no captioning stage: none was measured better at
/// this budget), and the NP-Edit preset e010 shortened;
/// bench/RESULTS.md, critic section, has the accuracy this critic reaches).
/// </summary>
/// <param name="T2ISets">Overrides of experiments/e001-pretrain-shapes-s-cpu.yaml for G_init, when it is pretrained.</param>
/// <param name="BundledGInit">Take the GPU-pretrained shapes-s G_init bundled with the build (<see cref="DemoGInit"/>)
/// instead of pretraining one; the quick demo pretrains its shapes-xs G_init, so every stage still runs.</param>
/// <param name="CriticSets">Overrides of the ShapesWorld critic's pretraining config.</param>
/// <param name="TrainSets">Overrides of the NP-Edit CPU preset (experiments/e010-npedit-shapes-demo.yaml): the schedule
/// is shortened so identity warmup, single-step and two-pass unrolling all happen. The default keeps e010's whole
/// identity warm-up: its steps cost a third of an editing step, and the editor cannot preserve what it never learned to
/// copy (bench/RESULTS.md, trainer section, 2026-11-27).</param>
public sealed record DemoSettings(string Name, int CorpusImages, int ImagesPerUnit, OracleTrainConfig Oracle,
    string[] T2ISets, string[] CriticSets, IReadOnlyDictionary<string, int> TrainSets, bool BundledGInit)
{
    public static DemoSettings Quick { get; } = new("demo-quick", 120, 40, new OracleTrainConfig { Steps = 150 },
        ["preset=shapes-xs", "steps=120", "data.count=4000", "eval.every=0", "eval.prompts=16", "eval.grid_prompts=4"],
        ["steps=30", "vision_steps=20", "caption_steps=0", "batch_size=12", "warmup_steps=5", "held_out_per_family=20", "held_out_pairs_per_family=20", "eval_every=30"],
        new Dictionary<string, int> { ["schedule.steps"] = 30, ["schedule.warmup_steps"] = 5, ["schedule.single_step_steps"] = 15 },
        BundledGInit: false);

    public static DemoSettings Full { get; } = new("demo", 1200, 200, new OracleTrainConfig { Steps = 1500 },
        ["steps=3000"], ["preset=shapes-mini-16", "steps=1000", "vision_steps=100", "caption_steps=0", "held_out_per_family=100", "eval_every=500"],
        new Dictionary<string, int> { ["schedule.steps"] = 400, ["schedule.single_step_steps"] = 120 },
        BundledGInit: true);
}
