using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class EditJudgeFacts
{
    private static readonly IReadOnlyList<EditItem> Items = ShapesBench.BuildItems(new BenchOptions { ItemsPerType = 6 });

    public static TheoryData<EditType> Types() => [.. Enum.GetValues<EditType>()];

    [Theory]
    [MemberData(nameof(Types))]
    public void The_true_target_succeeds_and_keeps_everything(EditType type)
    {
        foreach (var item in Items.Where(i => i.Type == type))
        {
            var j = EditJudge.Judge(item.Source, GroundTruth.TargetOf(item), item.Spec, GroundTruth.TargetOf(item));
            Assert.True(j.EditSuccess == 1 && j.EditFacts == 1 && j.Preservation == 1, $"{item.Id}: missed [{string.Join(", ", j.MissedFacts)}], changed [{string.Join(", ", j.ChangedByMistake)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_unchanged_source_fails_every_edit_but_keeps_what_it_should(EditType type)
    {
        foreach (var item in Items.Where(i => i.Type == type))
        {
            var j = EditJudge.Judge(item.Source, GroundTruth.TargetOf(item), item.Spec, item.Source);
            Assert.Equal(0, j.EditSuccess);
            Assert.NotEmpty(j.MissedFacts);
            if (type != EditType.Customization) Assert.Equal(1, j.Preservation);
        }
    }

    [Fact]
    public void Recolouring_an_untouched_object_costs_preservation_not_success()
    {
        var item = Items.First(i => i.Spec is RecolorEdit && i.Source.Objects.Count >= 2);
        var spec = (RecolorEdit)item.Spec;
        var target = GroundTruth.TargetOf(item);
        var bystander = target.Objects.First(o => !(o.Shape == spec.Object.Shape && o.Color == spec.NewColor));
        var newColor = Enum.GetValues<NamedColor>().First(c => c != bystander.Color);
        var output = target with { Objects = target.Objects.Select(o => o == bystander ? o with { Color = newColor } : o).ToArray() };

        var j = EditJudge.Judge(item.Source, target, spec, output);

        Assert.Equal(1, j.EditSuccess);
        Assert.True(j.Preservation < 1);
        Assert.Contains($"{bystander.Cell} object", j.ChangedByMistake);
    }

    [Fact]
    public void An_added_object_may_take_any_size_but_must_have_the_asked_colour()
    {
        var item = Items.First(i => i.Spec is AddEdit);
        var spec = (AddEdit)item.Spec;
        var target = GroundTruth.TargetOf(item);
        var added = target.Objects.Single(o => o.Cell == spec.Cell);
        Scene With(Func<SceneObject, SceneObject> change) => target with { Objects = target.Objects.Select(o => o == added ? change(o) : o).ToArray() };

        Assert.Equal(1, EditJudge.Judge(item.Source, target, spec, With(o => o with { Size = SizeClass.Large, Rotation = 90 })).EditSuccess);
        var wrongColor = Enum.GetValues<NamedColor>().First(c => c != added.Color);
        var j = EditJudge.Judge(item.Source, target, spec, With(o => o with { Color = wrongColor }));
        Assert.Equal(0, j.EditSuccess);
        Assert.Equal([SceneFacts.Key(added.Cell, "color")], j.MissedFacts);
    }
}
