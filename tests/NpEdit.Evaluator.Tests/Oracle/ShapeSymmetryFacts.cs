using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class ShapeSymmetryFacts
{
    [Fact]
    public void Canonical_angles_agree_with_what_ShapesWorld_treats_as_the_same_picture()
    {
        var background = new Background(BackgroundKind.Plain, NamedColor.Blue);
        foreach (var shape in Enum.GetValues<ShapeKind>())
            for (int a = 0; a < 360; a += 15)
                for (int b = 0; b < 360; b += 15)
                {
                    Scene At(int rotation) => new(background, [new SceneObject(shape, NamedColor.Red, SizeClass.Large, Pattern.Solid, GridCell.Center, 0, 0, rotation)], null, RenderStyle.Flat);
                    bool same = EditApplier.LooksSame(At(a), At(b));
                    Assert.True(same == (ShapeSymmetry.Canonical(shape, a) == ShapeSymmetry.Canonical(shape, b)), $"{shape} at {a}° vs {b}°");
                }
    }

    [Fact]
    public void Snap_returns_a_15_degree_step_with_the_nearest_visible_angle()
    {
        Assert.Equal(0, ShapeSymmetry.Snap(ShapeKind.Circle, 123));
        Assert.Equal(45, ShapeSymmetry.Snap(ShapeKind.Arrow, 47));
        Assert.Equal(0, ShapeSymmetry.Snap(ShapeKind.Square, 88)); // 88° on a square is 2° from 90° ≡ 0°
        Assert.Equal(3, ShapeSymmetry.Canonical(ShapeKind.Star, ShapeSymmetry.Snap(ShapeKind.Star, 3.4)));
    }
}
