using NpEdit.Trainer.Critic.Shapes;

namespace NpEdit.Trainer.Tests.Critic;

public class PatchGroundingFacts
{
    static readonly CriticExample[] Examples = ShapesCriticData.Stream(ShapesCriticData.TrainStream).Take(300).ToArray();

    static long[] Targets(CriticExample e) => PatchGrounding.Targets(e, grid: 8) ?? throw new InvalidOperationException($"{e.Family}/{e.Kind} has no targets");

    [Fact]
    public void Presence_MarksThePatchesOfTheNamedObject_AndNoneWhenItIsAbsent()
    {
        var presence = Examples.Where(e => e.Family == CriticExample.Presence).ToArray();
        // Objects smaller than a patch can miss every patch centre; nearly all cover one on an 8×8 grid.
        Assert.True(presence.Where(e => e.AnswerIsYes).Average(e => Targets(e).Sum() > 0 ? 1.0 : 0.0) > 0.9);
        Assert.All(presence.Where(e => !e.AnswerIsYes), e => Assert.Equal(0, Targets(e).Sum()));
    }

    [Fact]
    public void EditVerification_AgreesEverywhere_ExactlyForTheInstructedResult()
    {
        var edit = Examples.Where(e => e.Family == CriticExample.Edit).ToArray();
        Assert.All(edit.Where(e => e.AnswerIsYes), e => Assert.All(Targets(e), t => Assert.Equal(1, t)));
        // A no-op leaves the instructed change undone: some patch disagrees (unless the change is too small for the grid).
        Assert.True(edit.Where(e => e.Kind == CandidateKind.NoOp).Average(e => Targets(e).Contains(0) ? 1.0 : 0.0) > 0.8);
    }

    [Fact]
    public void IdentityPreservation_RejectsDegradedImages_EverywhereAndAcceptsTheTargetAndTheSource()
    {
        var identity = Examples.Where(e => e.Family == CriticExample.Identity).ToArray();
        Assert.All(identity.Where(e => e.Kind is CandidateKind.Noisy or CandidateKind.Blurred), e => Assert.Equal(0, Targets(e).Sum()));
        Assert.All(identity.Where(e => e.Kind is CandidateKind.Correct or CandidateKind.NoOp), e => Assert.All(Targets(e), t => Assert.Equal(1, t)));
        Assert.True(identity.Where(e => e.Kind == CandidateKind.OverEdit).Average(e => Targets(e).Contains(0) ? 1.0 : 0.0) > 0.8);
    }
}
