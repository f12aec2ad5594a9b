using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class SceneSamplerFacts
{
    [Fact]
    public void Sample_ReturnsEqualScenes_WhenSeedIsEqual()
    {
        for (ulong seed = 0; seed < 50; seed++)
            Assert.Equal(SceneSampler.Sample(seed), SceneSampler.Sample(seed));
    }

    [Fact]
    public void Sample_KeepsNamesAndCellsUnique_WhenDrawingManyScenes()
    {
        for (ulong seed = 0; seed < 2000; seed++)
        {
            var s = SceneSampler.Sample(seed);
            Assert.InRange(s.Objects.Count, 1, Scene.MaxObjects);
            Assert.Equal(s.Objects.Count, s.Objects.Select(o => o.Name).Distinct().Count());
            Assert.Equal(s.OccupiedCells.Count(), s.OccupiedCells.Distinct().Count());
            Assert.All(s.Objects, o => Assert.Equal(0, o.Rotation % 15));
        }
    }

    [Fact]
    public void Sample_CoversEveryAttributeValue_WhenDrawingManyScenes()
    {
        var scenes = Enumerable.Range(0, 3000).Select(i => SceneSampler.Sample((ulong)i)).ToList();
        var objects = scenes.SelectMany(s => s.Objects).ToList();
        Assert.Equal(Enum.GetValues<ShapeKind>().Length, objects.Select(o => o.Shape).Distinct().Count());
        Assert.Equal(Enum.GetValues<NamedColor>().Length, objects.Select(o => o.Color).Distinct().Count());
        Assert.Equal(Enum.GetValues<Pattern>().Length, objects.Select(o => o.Pattern).Distinct().Count());
        Assert.Equal(Enum.GetValues<BackgroundKind>().Length, scenes.Select(s => s.Background.Kind).Distinct().Count());
        Assert.Equal(Enum.GetValues<RenderStyle>().Length, scenes.Select(s => s.Style).Distinct().Count());
        Assert.Equal(Scene.MaxObjects, scenes.Max(s => s.Objects.Count));
        Assert.Contains(scenes, s => s.Sign is not null);
    }

    [Fact]
    public void Sample_RoundTripsThroughJson_WhenSerialized()
    {
        for (ulong seed = 0; seed < 100; seed++)
        {
            var s = SceneSampler.Sample(seed);
            Assert.Equal(s, SceneJson.Deserialize(SceneJson.Serialize(s)));
        }
    }

    [Fact]
    public void Sample_Throws_WhenOptionsAreImpossible()
    {
        var ex = Assert.Throws<ArgumentException>(() => SceneSampler.Sample(1, new SceneSamplerOptions { MinObjects = 4, MaxObjects = 2 }));
        Assert.Contains("min", ex.Message);
    }
}
