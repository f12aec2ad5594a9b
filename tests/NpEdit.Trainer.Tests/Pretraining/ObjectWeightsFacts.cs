using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class ObjectWeightsFacts
{
    static readonly T2IDataSection Simple = new() { MaxObjects = 2, FlatOnly = true };

    [Fact]
    public void Map_IsAllOnes_WhenLambdaIsZero()
    {
        var scene = T2IPretrainJob.EvaluationScenes(Simple, 1)[0];

        Assert.All(ObjectWeights.Map(scene, 32, 0), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Map_WeighsEveryPixelTheRendererPaintsForAnObject()
    {
        // The pixels an object changes (its render against the same scene without it) must all lie inside its disk.
        const int size = 32;
        foreach (var scene in T2IPretrainJob.EvaluationScenes(Simple, 20).Where(s => s.Sign is null))
        {
            var map = ObjectWeights.Map(scene, size, 4);
            var withObjects = Renderer.Render(scene, size);
            var without = Renderer.Render(scene with { Objects = [] }, size);
            for (var p = 0; p < size * size; p++)
            {
                var changed = withObjects[3 * p] != without[3 * p] || withObjects[3 * p + 1] != without[3 * p + 1] || withObjects[3 * p + 2] != without[3 * p + 2];
                if (changed)
                    Assert.Equal(5f, map[p]);
            }
        }
    }

    [Fact]
    public void Map_LeavesTheBackgroundAtOne()
    {
        var scene = T2IPretrainJob.EvaluationScenes(Simple, 1)[0];

        var map = ObjectWeights.Map(scene, 32, 4);

        var objectPixels = map.Count(w => w == 5f);
        Assert.InRange(objectPixels, 10, 32 * 32 / 4);                     // a few percent of the image per object
        Assert.Equal(32 * 32 - objectPixels, map.Count(w => w == 1f));
    }
}
