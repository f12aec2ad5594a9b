using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Critic;

/// <summary>Runs only when the parity fixture exists; otherwise skipped with the instructions to make it.</summary>
public sealed class ParityFixtureFactAttribute : FactAttribute
{
    public ParityFixtureFactAttribute()
    {
        if (!File.Exists(Fixtures.Path("critic-parity", "inputs.safetensors")))
            Skip = "The LLaVA-OneVision parity fixture is missing: it can only be generated where transformers 5.x is installed. " +
                   "Run 'python tools/critic-parity/make_fixture.py --out tests/NpEdit.Trainer.Tests/Fixtures/critic-parity' there and commit the folder (< 5 MB).";
    }
}

public class CriticParityFacts
{
    public CriticParityFacts() => TorchTestEnvironment.Initialize();

    [ParityFixtureFact]
    public void TinyLlavaOnevision_MatchesTransformersLogits_Within1e4()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var folder = Fixtures.Path("critic-parity");
        var model = new LlavaOnevisionModel(HfLlavaOnevisionLoader.ReadModelConfig(folder));
        HfLlavaOnevisionLoader.LoadWeights(model, folder);
        model.eval();
        var inputs = Safetensors.LoadStateDict(Path.Combine(folder, "inputs.safetensors"));
        var ids = inputs["input_ids"];
        var pixels = inputs["pixel_values"];
        var expected = inputs["logits"];

        // Two images per row, in order: rows take images (0, 1) and (2, 3).
        var tokens = model.ImageTokens(pixels);                                       // (4, 17, D)
        var perRow = tokens.view(ids.shape[0], -1, tokens.shape[2]);                  // (2, 34, D)
        var logits = model.Head(model.call(ids, ones_like(ids, dtype: @bool), perRow));

        // The intermediates locate a mismatch: the spliced image features (projector + newline) come first.
        var reference = Safetensors.LoadStateDict(Path.Combine(folder, "intermediates.safetensors"));
        var featureDiff = (tokens.reshape(-1, tokens.shape[2]) - reference["image_hidden_states"]).abs().max().item<float>();
        Assert.True(featureDiff <= 1e-5, $"image features: max |Δ| = {featureDiff:E2} > 1e-5");

        var diff = (logits - expected).abs().max().item<float>();
        Assert.True(diff <= 1e-4, $"max |Δlogits| = {diff:E2} > 1e-4 (image features matched within {featureDiff:E2})");
        // The critic's own preprocessing is the identity on these pixels (tower size, SigLIP mean = std = 0.5).
        Assert.True(CriticImageProcessor.Prepare(pixels, model.Config).allclose(pixels, atol: 1e-6));
    }
}
