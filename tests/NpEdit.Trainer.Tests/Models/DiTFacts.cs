using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Models;

public class DiTFacts
{
    readonly DiTConfig _config = TinyModels.Preset.DiT;

    public DiTFacts() => TorchTestEnvironment.Initialize(seed: 3);

    [Fact]
    public void Blocks_ProduceTheDocumentedShapes()
    {
        using var scope = NewDisposeScope();
        var (n, d, s) = (2, 64, 10);
        var x = randn(n, s, d);

        Assert.Equal([n, s, d], new Attention(d, 4).call(x, null).shape);
        Assert.Equal([n, s, d], new Mlp(d, 4 * d).call(x).shape);
        Assert.Equal([3, d], new TimestepEmbedder(d, 32).call(tensor(new[] { 0f, 0.5f, 1f })).shape);
        Assert.Equal([n, 64, d], new PatchEmbed(3, d, 2).call(randn(n, 3, 16, 16)).shape);
        Assert.Equal([1, 64, d], SinCosPositions.Grid(d, 8).shape);
        var block = new DiTBlock(d, 4, 4 * d);
        Assert.Equal([n, s, d], block.call(x, randn(n, 1, d), zeros(s, dtype: int64), null).shape);
        var twoSegments = cat([zeros(6, dtype: int64), ones(4, dtype: int64)]);
        Assert.Equal([n, s, d], block.call(x, randn(n, 2, d), twoSegments, ones(n, 1, 1, s, dtype: @bool)).shape);
        Assert.Equal([n, s, 2 * 2 * 3], new FinalLayer(d, 2, 3).call(x, randn(n, 1, d)).shape);
    }

    [Fact]
    public void Blocks_LeaveOnlyTheirOutputInTheCallersScope_WhileTheBackwardStillWorks()
    {
        // The per-block scope frees what autograd did not save (a step once held every temporary until its end: 2.5× the
        // peak memory of TrainStepBench on the CPU); what autograd saved stays alive through its own references.
        var (n, d, s) = (2, 64, 10);
        var block = new DiTBlock(d, 4, 4 * d);
        TinyModels.Perturb(block);
        using var outer = NewDisposeScope();
        var x = randn(n, s, d).requires_grad_();
        var c = randn(n, 1, d);
        var segment = zeros(s, dtype: int64);
        var before = outer.DisposablesCount;

        var y = block.call(x, c, segment, null);

        Assert.Equal(before + 1, outer.DisposablesCount);
        y.square().sum().backward();
        Assert.True(x.grad is { } g && g.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Forward_ReturnsAVelocityShapedLikeTheInput_WithAndWithoutReference()
    {
        using var scope = NewDisposeScope();
        var dit = new DiT(_config);
        var (x, t, text, mask) = Inputs(3);

        Assert.Equal(x.shape, dit.call(x, t, text, mask, null).shape);
        Assert.Equal(x.shape, dit.call(x, t, text, mask, randn(x.shape)).shape);
    }

    [Fact]
    public void Bf16Model_RunsForwardAndBackward_WithFp32Inputs()
    {
        // The GPU presets run in bf16; every tensor the DiT makes itself (time features, text mask, positions) must
        // follow the weights' dtype (an fp32 tensor reaching a bf16 Linear throws; found on the H100).
        using var scope = NewDisposeScope();
        var dit = new DiT(_config);
        TinyModels.Perturb(dit);
        dit.to(ScalarType.BFloat16);
        var (x, t, text, mask) = Inputs(2);

        var v = dit.call(x.bfloat16(), t, text.bfloat16(), mask, randn(x.shape).bfloat16());
        v.to(ScalarType.Float32).square().mean().backward();

        Assert.Equal(ScalarType.BFloat16, v.dtype);
        Assert.True(v.to(ScalarType.Float32).isfinite().all().item<bool>());
        Assert.All(dit.parameters(), p => Assert.True(p.grad is { } g && g.dtype == ScalarType.BFloat16));
    }

    [Fact]
    public void Forward_PredictsZero_BeforeTraining()
    {
        using var scope = NewDisposeScope();
        var dit = new DiT(_config);
        var (x, t, text, mask) = Inputs(2);

        var v = dit.call(x, t, text, mask, randn(x.shape));

        Assert.Equal(0f, v.abs().max().item<float>());
    }

    [Fact]
    public void Unpatchify_InvertsDiTPatchOrder()
    {
        using var scope = NewDisposeScope();
        var dit = new DiT(_config);
        var (p, g) = (_config.PatchSize, _config.GridSize);
        var image = randn(2, 3, 16, 16);
        // DiT's patchify: (N, C, h·p, w·q) → (N, h·w, p·q·C)
        var tokens = image.view(2, 3, g, p, g, p).permute(0, 2, 4, 3, 5, 1).reshape(2, g * g, p * p * 3);

        Assert.True(dit.Unpatchify(tokens).Equals(image));
    }

    [Fact]
    public void ReferenceTokens_ChangeTheOutput_AndTextOnlyModeIgnoresTheReferencePath()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var dit = new DiT(_config);
        TinyModels.Perturb(dit);
        var (x, t, text, mask) = Inputs(2);
        var refA = randn(x.shape);
        var refB = randn(x.shape);

        var textOnly = dit.call(x, t, text, mask, null);
        var withA = dit.call(x, t, text, mask, refA);
        var withB = dit.call(x, t, text, mask, refB);

        Assert.False(withA.allclose(withB, rtol: 0, atol: 1e-5));
        Assert.False(withA.allclose(textOnly, rtol: 0, atol: 1e-5));
        // The reference marker exists only on the reference path: changing it leaves text-only outputs bit-identical.
        dit.get_parameter("ref_marker")!.add_(randn(1, 1, _config.HiddenSize));
        Assert.True(dit.call(x, t, text, mask, null).Equals(textOnly));
        Assert.False(dit.call(x, t, text, mask, refA).allclose(withA, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ReferenceChannels_StartAtZero_ThenAddTheReferenceAtItsOwnPosition()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var plain = new DiT(_config);
        TinyModels.Perturb(plain);
        var editor = new DiT(_config with { ReferenceChannels = true });
        var (missing, unexpected) = editor.load_state_dict(plain.state_dict(), strict: false);
        Assert.Equal(["ref_channels.proj.bias", "ref_channels.proj.weight"], missing.Order());
        Assert.Empty(unexpected);
        var (x, t, text, mask) = Inputs(2);
        var reference = randn(x.shape);

        // Zero-initialised: the editor computes exactly what the model it was copied from computes.
        Assert.True(editor.call(x, t, text, mask, reference).Equals(plain.call(x, t, text, mask, reference)));

        editor.get_parameter("ref_channels.proj.weight")!.normal_(0, 0.5);
        var withChannels = editor.call(x, t, text, mask, reference);
        Assert.False(withChannels.allclose(plain.call(x, t, text, mask, reference), rtol: 0, atol: 1e-5));
        Assert.True(editor.call(x, t, text, mask, null).Equals(plain.call(x, t, text, mask, null)));   // text-to-image: nothing to add
        // With attention off (zero gates, a plain read-out), only the patch under the changed reference pixel moves.
        var local = new DiT(_config with { ReferenceChannels = true });
        local.get_parameter("ref_channels.proj.weight")!.normal_(0, 0.5);
        foreach (var (name, parameter) in local.named_parameters())
            if (name.StartsWith("final_layer.", StringComparison.Ordinal))
                parameter.normal_(0, 0.5);
        var changed = reference.clone();
        changed[0, 0, 0, 0] = tensor(5f);
        var delta = (local.call(x, t, text, mask, changed) - local.call(x, t, text, mask, reference)).abs();
        var p0 = _config.PatchSize;
        Assert.True(delta[0, TensorIndex.Colon, TensorIndex.Slice(0, p0), TensorIndex.Slice(0, p0)].max().item<float>() > 1e-3);
        Assert.Equal(delta[0].sum().item<float>(), delta[0, TensorIndex.Colon, TensorIndex.Slice(0, p0), TensorIndex.Slice(0, p0)].sum().item<float>(), 4);
        Assert.Equal(0f, delta[1].max().item<float>());
    }

    [Fact]
    public void PaddedTextTokens_DoNotAffectTheOutput()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var dit = new DiT(_config);
        TinyModels.Perturb(dit);
        var (x, t, text, mask) = Inputs(2);
        mask[TensorIndex.Colon, TensorIndex.Slice(4, null)] = tensor(false);
        var changed = text.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(4, null)] = randn(2, text.shape[1] - 4, text.shape[2]);

        Assert.True(dit.call(x, t, changed, mask, null).allclose(dit.call(x, t, text, mask, null), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_ThrowsNamingTheExpectedShape_WhenTheImageSizeIsWrong()
    {
        using var scope = NewDisposeScope();
        var dit = new DiT(_config);
        var (_, t, text, mask) = Inputs(1);

        var ex = Assert.Throws<ArgumentException>(() => dit.call(randn(1, 3, 8, 8), t, text, mask, null));
        Assert.Contains("(N, 3, 16, 16)", ex.Message);
    }

    [Fact]
    public void ParameterCount_MatchesTheBuiltModel_AndThePresetsHaveTheirSizes()
    {
        foreach (var config in new[] { ModelPresets.ShapesXs.DiT, ModelPresets.ShapesS.DiT, ModelPresets.ShapesXs.DiT with { ReferenceChannels = true } })
        {
            using var dit = new DiT(config);
            Assert.Equal(dit.parameters().Sum(p => p.numel()), config.ParameterCount());
        }
        using var xs = new DiT(ModelPresets.ShapesXs.DiT);
        using var xsText = new ShapesTextEncoder(ModelPresets.ShapesXs.Text, TinyModels.Vocabulary);
        Assert.True(xs.parameters().Concat(xsText.parameters()).Sum(p => p.numel()) < 1_000_000);
        Assert.InRange(ModelPresets.Dit2B.DiT.ParameterCount(), 1_900_000_000L, 2_100_000_000L);
        Assert.All(ModelPresets.All.Values, p => p.Validate());
        Assert.Equal(["shapes-xs", "shapes-s", "shapes-m", "dit-2b"], ModelPresets.All.Keys);
        Assert.Contains("shapes-s", Assert.Throws<ArgumentException>(() => ModelPresets.Get("nope")).Message);
    }

    (Tensor X, Tensor T, Tensor Text, Tensor Mask) Inputs(int n) =>
        (randn(n, 3, _config.ImageSize, _config.ImageSize), rand(n), randn(n, 6, _config.TextDim), ones(n, 6, dtype: @bool));
}
