using NpEdit.Core.Shards;
using NpEdit.Trainer.Training;

namespace NpEdit.Trainer.Tests.Training;

public class CriticQuestionsFacts
{
    private static EditSample Sample(string type, string task = EditTask.Local, string obj = "") => new()
    {
        Id = "r1", Instruction = "make the circle blue", EditType = type, Task = task, ObjectName = obj,
    };

    [Fact]
    public void For_AsksVerificationAndIdentity_ForALocalEdit()
    {
        var qs = CriticQuestions.For(Sample(EditType.Color), identity: true);

        Assert.Equal(["edit", "identity"], qs.Select(q => q.Kind));
        Assert.All(qs, q => Assert.True(q.CorrectIsYes));
        Assert.All(qs, q => Assert.False(q.SingleImage));
        Assert.Contains("Editing instruction: make the circle blue", qs[0].Text);
        Assert.Contains("IGNORE the changes in the second image because of the edit: make the circle blue.", qs[1].Text);
    }

    [Fact]
    public void For_AsksTheSingleImagePresenceQuestionWithAnswerNo_ForRemoval()
    {
        var qs = CriticQuestions.For(Sample(EditType.Remove, obj: "red circle"), identity: true);

        Assert.True(qs[0].SingleImage);
        Assert.False(qs[0].CorrectIsYes);
        Assert.Contains("Answer with a Yes or No if the image has red circle.", qs[0].Text);
        Assert.True(qs[1].CorrectIsYes);
    }

    [Fact]
    public void For_AsksPoseAndIdentity_ForCustomization()
    {
        var qs = CriticQuestions.For(Sample(EditType.Customization, EditTask.Customization, "blue star"), identity: true);

        Assert.Contains("blue star in the second image is in a different pose and location", qs[0].Text);
        Assert.Contains("blue star in the second image is the exact same identity", qs[1].Text);
    }

    [Fact]
    public void For_DropsTheIdentityQuestion_WhenTheAblationTurnsItOff()
    {
        Assert.Single(CriticQuestions.For(Sample(EditType.Style), identity: false));
    }

    [Fact]
    public void For_Refuses_ARemovalRowWithoutAnObject()
    {
        var error = Assert.Throws<InvalidDataException>(() => CriticQuestions.For(Sample(EditType.Remove), identity: true));
        Assert.Contains("without an object name", error.Message);
    }
}
