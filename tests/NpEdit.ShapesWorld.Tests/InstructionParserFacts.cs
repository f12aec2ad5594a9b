using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class InstructionParserFacts
{
    public static TheoryData<EditType> LocalTypes => new(EditTypeNames.Local);

    [Theory]
    [MemberData(nameof(LocalTypes))]
    public void Parse_RecoversTheSpec_WhenGivenAnyWrittenPhrasing(EditType type)
    {
        for (ulong seed = 0; seed < 80; seed++)
        {
            var item = EditPrograms.Create(seed, type, seed + 500, invalid: seed % 4 == 0);
            foreach (var phrasing in item.Instructions)
                Assert.Equal(item.Spec, InstructionParser.Parse(type, phrasing, item.Source));
        }
    }

    [Fact]
    public void Parse_ReturnsNull_WhenInstructionIsVague()
    {
        var scene = SceneSampler.Sample(1);
        Assert.Null(InstructionParser.Parse(EditType.Color, "make it look nicer", scene));
        Assert.Null(InstructionParser.Parse(EditType.Action, "do something with the shapes", scene));
    }

    [Fact]
    public void Parse_MarksPlacementVague_WhenAddSaysNear()
    {
        var spec = Assert.IsType<AddEdit>(InstructionParser.Parse(EditType.Add, "add a blue star near the red circle", SceneSampler.Sample(1)));
        Assert.Null(spec.Cell);
    }
}
