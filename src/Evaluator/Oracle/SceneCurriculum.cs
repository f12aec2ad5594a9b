using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Easy scenes first. On full ShapesWorld scenes the shape loss sits at chance (ln 11) for hundreds of steps: the
/// styles, textured backdrops and fill patterns vary the pixels far more than the outline does, so the first features
/// the network finds say nothing about shape. On flat, solid objects over a plain backdrop it starts learning shape
/// within a hundred steps. So each nuisance attribute is replaced by its plain value with a chance that stays at 1 for the
/// first half of <see cref="OracleTrainConfig.SimplifyUntil"/> of training (shape features form on easy scenes), then falls
/// linearly to <see cref="OracleTrainConfig.SimplifyFloor"/> by its end (they learn to ignore styles, backdrops and fills).
/// A simplified scene is still an ordinary ShapesWorld scene, labelled by what it now is.
/// </summary>
public static class SceneCurriculum
{
    /// <summary>The chance of simplifying each nuisance attribute at <paramref name="step"/>.</summary>
    public static double Chance(OracleTrainConfig config, long step)
    {
        double end = config.SimplifyUntil * config.Steps;
        if (end <= 0) return config.SimplifyFloor;
        return config.SimplifyFloor + (1 - config.SimplifyFloor) * Math.Clamp(2 * (1 - step / end), 0, 1);
    }

    /// <summary>Flat style, a plain backdrop and solid fills, each independently with probability <paramref name="chance"/>.</summary>
    public static Scene Simplify(Scene scene, double chance, Random draws)
    {
        if (chance <= 0) return scene;
        var style = draws.NextDouble() < chance ? RenderStyle.Flat : scene.Style;
        var background = scene.Background;
        if (draws.NextDouble() < chance)
            background = new Background(BackgroundKind.Plain,
                background.UsesTint ? background.Tint : OracleLabels.Tints[draws.Next(OracleLabels.Tints.Length)]);
        var objects = scene.Objects.Select(o => draws.NextDouble() < chance ? o with { Pattern = Pattern.Solid } : o).ToArray();
        return scene with { Style = style, Background = background, Objects = objects };
    }
}
