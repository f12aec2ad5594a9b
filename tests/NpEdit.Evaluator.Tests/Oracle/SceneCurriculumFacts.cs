using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

public class SceneCurriculumFacts
{
    [Fact]
    public void The_chance_of_simplifying_holds_at_one_then_falls_to_the_floor_and_stays_there()
    {
        var config = new OracleTrainConfig { Steps = 1000, SimplifyUntil = 0.5, SimplifyFloor = 0.1 };

        Assert.Equal(1.0, SceneCurriculum.Chance(config, 0), 9);
        Assert.Equal(1.0, SceneCurriculum.Chance(config, 250), 9);
        Assert.Equal(0.55, SceneCurriculum.Chance(config, 375), 9);
        Assert.Equal(0.1, SceneCurriculum.Chance(config, 500), 9);
        Assert.Equal(0.1, SceneCurriculum.Chance(config, 999), 9);
        Assert.Equal(0.0, SceneCurriculum.Chance(config with { SimplifyUntil = 0, SimplifyFloor = 0 }, 0), 9);
    }

    [Fact]
    public void A_simplified_scene_keeps_what_the_oracle_must_learn_and_plains_the_rest()
    {
        var scenes = Enumerable.Range(0, 200).Select(i => OracleScenes.Training(i).Scene).ToArray();
        var draws = new Random(1);

        var always = scenes.Select(s => SceneCurriculum.Simplify(s, 1.0, draws)).ToArray();
        var never = scenes.Select(s => SceneCurriculum.Simplify(s, 0.0, draws)).ToArray();

        Assert.Equal(scenes, never);
        for (int i = 0; i < scenes.Length; i++)
        {
            var (before, after) = (scenes[i], always[i]);
            Assert.Equal(RenderStyle.Flat, after.Style);
            Assert.Equal(BackgroundKind.Plain, after.Background.Kind);
            Assert.Contains(after.Background.Tint, OracleLabels.Tints);
            Assert.Equal(before.Sign, after.Sign);
            Assert.Equal(before.Objects.Select(o => o with { Pattern = Pattern.Solid }), after.Objects);
        }
    }
}
