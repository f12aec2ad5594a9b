using NpEdit.Trainer.Losses;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Losses;

public class VlmLossFacts
{
    public VlmLossFacts() => TorchTestEnvironment.Initialize(seed: 5);

    [Fact]
    public void BinaryYesNo_EqualsTheClosedForm()
    {
        using var scope = NewDisposeScope();
        var correct = tensor(new[] { 2.0f, -1.0f, 0.5f });
        var opposite = tensor(new[] { 0.0f, 1.0f, 0.5f });

        var terms = VlmLoss.BinaryYesNo(correct, opposite, logitScale: 0.5, name: "edit");

        var expected = new[] { 2.0, -2.0, 0.0 }.Select(m => Math.Log(1 + Math.Exp(-0.5 * m))).Average();
        Assert.Equal(expected, terms.Loss.item<float>(), 5);
        Assert.Equal(new[] { 2.0, -2.0, 0.0 }.Select(m => 1 / (1 + Math.Exp(-m))).Average(), terms.Logs["p_correct/edit"], 5);
    }

    [Fact]
    public void BinaryYesNo_PushesTheCorrectLogitUpAndTheOppositeDown()
    {
        using var scope = NewDisposeScope();
        var correct = zeros(4).requires_grad_();
        var opposite = zeros(4).requires_grad_();

        VlmLoss.BinaryYesNo(correct, opposite, 1.0, "identity").Loss.backward();

        Assert.True((correct.grad! < 0).all().item<bool>());
        Assert.True((opposite.grad! > 0).all().item<bool>());
    }

    [Fact]
    public void CrossEntropyFullVocab_DiffersFromBinary_WhenOtherTokensCarryMass()
    {
        using var scope = NewDisposeScope();
        // Vocabulary of 5; "Yes" = 1, "No" = 2; token 4 takes most of the mass.
        var logits = tensor(new[,] { { 0.0f, 2.0f, 0.0f, 0.0f, 5.0f } });
        var ids = tensor(new long[] { 1 });

        var ce = VlmLoss.CrossEntropyFullVocab(logits, ids, 1.0, "edit");
        var bce = VlmLoss.BinaryYesNo(logits[.., 1], logits[.., 2], 1.0, "edit");

        var logSumExp = Math.Log(Math.Exp(0) * 3 + Math.Exp(2) + Math.Exp(5));
        Assert.Equal(logSumExp - 2.0, ce.Loss.item<float>(), 4);
        Assert.True(ce.Loss.item<float>() > bce.Loss.item<float>() + 1.0);
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(1000, 0.55)]
    [InlineData(2000, 1.0)]
    [InlineData(5000, 1.0)]
    public void LogitScale_RampsLinearlyToOne(long step, double expected) =>
        Assert.Equal(expected, VlmLoss.LogitScale(step, 0.1, 2000), 9);
}
