using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class ObjectVariantRendererFacts
{
    [Fact]
    public void EveryVariant_IsByteForByteTheFullRender_OfTheSceneWithThatObject()
    {
        int checkedVariants = 0;
        var styles = new HashSet<RenderStyle>();
        for (ulong seed = 0; seed < 40; seed++)
        {
            var scene = SceneSampler.Sample(seed, new SceneSamplerOptions { MinObjects = 2 });
            styles.Add(scene.Style);
            int size = seed % 2 == 0 ? 64 : 32;
            var buffer = new byte[size * size * 3];
            for (int k = 0; k < scene.Objects.Count; k++)
            {
                var variants = new ObjectVariantRenderer(scene, k, size, size);
                var o = scene.Objects[k];
                // Overlapping neighbours and glow halos: a large object pushed to its cell's edge, turned and refilled.
                foreach (var replacement in new[]
                {
                    o,
                    o with { Shape = (ShapeKind)(((int)o.Shape + 1) % Enum.GetValues<ShapeKind>().Length), Rotation = (o.Rotation + 45) % 360 },
                    o with { Size = SizeClass.Large, JitterX = 15, JitterY = -15, Pattern = Pattern.Striped },
                    o with { Color = o.Color == NamedColor.Red ? NamedColor.Blue : NamedColor.Red, Pattern = Pattern.Outlined },
                })
                {
                    variants.Render(replacement, buffer);
                    var objects = scene.Objects.ToArray();
                    objects[k] = replacement;
                    Assert.Equal(Renderer.Render(scene with { Objects = objects }, size, size), buffer);
                    checkedVariants++;
                }
            }
        }
        Assert.True(checkedVariants >= 40 * 2 * 4, $"only {checkedVariants} variants were checked");
        Assert.True(styles.Count == Enum.GetValues<RenderStyle>().Length, $"the sampled scenes cover only {string.Join(", ", styles)}");
    }

    [Fact]
    public void Refuses_AnObjectTheSceneDoesNotHave_AndABufferOfTheWrongSize()
    {
        var scene = SceneSampler.Sample(3, new SceneSamplerOptions { MinObjects = 1, MaxObjects = 1 });
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectVariantRenderer(scene, 1, 64, 64));
        Assert.Contains("1 objects", missing.Message);
        var variants = new ObjectVariantRenderer(scene, 0, 64, 64);
        var wrong = Assert.Throws<ArgumentException>(() => variants.Render(scene.Objects[0], new byte[32 * 32 * 3]));
        Assert.Contains("64×64", wrong.Message);
    }
}
