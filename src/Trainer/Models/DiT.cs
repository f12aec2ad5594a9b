using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Diffusion Transformer (Peebles &amp; Xie, 2023) predicting the flow-matching velocity
/// v = ε − x for x_t = (1−t)·x + t·ε, t = 1 being noise (NP-Edit Eq. 1).
/// <para>
/// The sequence is [text tokens | target image tokens | reference image tokens]. Reference tokens are
/// optional (OminiControl/OmniGen style, NP-Edit §4.3): they reuse the target's 2D positions, carry a
/// learned reference marker, and are conditioned on the clean time t = 0; with <see cref="DiTConfig.ReferenceChannels"/>
/// the reference is also added to the target token at its position. Only target tokens are decoded.
/// Without a reference this is the text-to-image model (G_init, the frozen teacher, the auxiliary A_φ);
/// with one it is the editor G_θ, initialised from the same weights (Algorithm 1, line 1).
/// </para>
/// </summary>
public sealed class DiT : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly PatchEmbed x_embedder;
    private readonly PatchEmbed? ref_channels;
    private readonly TimestepEmbedder t_embedder;
    private readonly Linear y_embedder;
    private readonly Linear y_pooler;
    private readonly Parameter ref_marker;
    private readonly Tensor pos_embed;
    private readonly ModuleList<DiTBlock> blocks;
    private readonly FinalLayer final_layer;
    private readonly DiTConfig config;

    public DiT(DiTConfig config) : base(nameof(DiT))
    {
        this.config = config.Validate();
        var d = config.HiddenSize;
        x_embedder = new PatchEmbed(config.InChannels, d, config.PatchSize);
        if (config.ReferenceChannels)
            ref_channels = new PatchEmbed(config.InChannels, d, config.PatchSize);
        t_embedder = new TimestepEmbedder(d, config.FrequencyEmbeddingSize);
        y_embedder = nn.Linear(config.TextDim, d);
        y_pooler = nn.Linear(config.TextDim, d);
        using (var initial = zeros(1, 1, d))   // Parameter wraps its own handle; the initial one is ours to free
            ref_marker = nn.Parameter(initial);
        pos_embed = SinCosPositions.Grid(d, config.GridSize);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => new DiTBlock(d, config.NumHeads, config.MlpHidden)).ToArray());
        final_layer = new FinalLayer(d, config.PatchSize, config.InChannels);
        RegisterComponents();
        InitializeWeights();
    }

    /// <summary>The resolved hyperparameters.</summary>
    public DiTConfig Config => config;

    /// <summary>
    /// Predicts the velocity of the target image.
    /// </summary>
    /// <param name="x">(N, C, H, W) noisy target x_t.</param>
    /// <param name="t">(N,) flow times in [0, 1].</param>
    /// <param name="text">(N, L, TextDim) text encoder tokens.</param>
    /// <param name="textMask">(N, L) bool, true for real (non-padding) text tokens.</param>
    /// <param name="reference">(N, C, H, W) clean reference image y, or null for text-to-image.</param>
    /// <returns>(N, C, H, W) velocity v.</returns>
    public override Tensor forward(Tensor x, Tensor t, Tensor text, Tensor textMask, Tensor? reference)
    {
        CheckImage(x, nameof(x));
        if (reference is not null)
        {
            CheckImage(reference, nameof(reference));
            if (reference.shape[0] != x.shape[0])
                throw new ArgumentException($"reference batch {reference.shape[0]} differs from x batch {x.shape[0]}.");
        }
        var (n, l, imageTokens) = (x.shape[0], text.shape[1], (long)config.ImageTokens);

        var patches = x_embedder.call(x);                                         // (N, T, D), T = (H/p)·(W/p)
        var positions = pos_embed.to(patches.dtype);                              // the fixed grid in the compute dtype (bf16 runs)
        var target = patches + positions;
        if (reference is not null && ref_channels is not null)
            target = target + ref_channels.call(reference);                     // the reference at the same position (DiTConfig.ReferenceChannels)
        var y = y_embedder.call(text);                                            // (N, L, D)
        var keep = textMask.to(text.dtype).unsqueeze(-1);                        // (N, L, 1)
        var pooled = (text * keep).sum(1) / keep.sum(1).clamp_min(1.0);          // (N, TextDim)
        var textC = y_pooler.call(pooled);                                        // (N, D)
        var c = t_embedder.call(t) + textC;                                       // (N, D)

        var tokens = new List<Tensor> { y, target };
        var conditions = new List<Tensor> { c };
        var visible = new List<Tensor> { textMask, ones(n, imageTokens, dtype: @bool, device: x.device) };
        Tensor segment;
        if (reference is null)
        {
            segment = zeros(l + imageTokens, dtype: int64, device: x.device);                  // (S,) all segment 0
        }
        else
        {
            // Same spatial positions as the target, told apart by the marker; conditioned as clean (t = 0).
            tokens.Add(x_embedder.call(reference) + positions + ref_marker);                  // (N, T, D)
            conditions.Add(t_embedder.call(zeros(n, device: x.device)) + textC);              // (N, D)
            visible.Add(ones(n, imageTokens, dtype: @bool, device: x.device));
            segment = cat([zeros(l + imageTokens, dtype: int64, device: x.device),
                           ones(imageTokens, dtype: int64, device: x.device)]);                 // (S,)
        }

        var h = cat(tokens, dim: 1);                                              // (N, S, D)
        var cs = stack(conditions, dim: 1);                                       // (N, K, D)
        var mask = cat(visible, dim: 1).view(n, 1, 1, -1);                       // (N, 1, 1, S)
        foreach (var block in blocks)
            h = block.call(h, cs, segment, mask);                                 // (N, S, D)

        var outTokens = final_layer.call(h.narrow(1, l, imageTokens), c.unsqueeze(1)); // (N, T, p·p·C)
        return Unpatchify(outTokens);                                             // (N, C, H, W)
    }

    /// <summary>(N, T, p·p·C) → (N, C, H, W), DiT's <c>unpatchify</c>.</summary>
    public Tensor Unpatchify(Tensor x)
    {
        var (g, p, ch) = ((long)config.GridSize, (long)config.PatchSize, (long)config.InChannels);
        return x.view(x.shape[0], g, g, p, p, ch)                                // (N, h, w, p, q, C)
            .permute(0, 5, 1, 3, 2, 4)                                           // (N, C, h, p, w, q)
            .reshape(x.shape[0], ch, g * p, g * p);                              // (N, C, H, W)
    }

    /// <summary>
    /// DiT's <c>initialize_weights</c>: Xavier-uniform linears with zero bias, the patch embedding
    /// initialised like a linear, N(0, 0.02) timestep MLP and reference marker, and zero adaLN
    /// regressions and output layer (the "Zero" of adaLN-Zero), so the untrained model predicts v = 0.
    /// </summary>
    private void InitializeWeights()
    {
        using var scope = NewDisposeScope();   // the views made below
        using var _ = no_grad();
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                nn.init.xavier_uniform_(linear.weight);
                if (linear.bias is not null)
                    nn.init.zeros_(linear.bias);
            }
        }
        var patch = x_embedder.Projection;
        nn.init.xavier_uniform_(patch.weight.view(patch.weight.shape[0], -1));
        nn.init.zeros_(patch.bias!);
        foreach (var linear in t_embedder.Linears)
            nn.init.normal_(linear.weight, std: 0.02);
        nn.init.normal_(ref_marker, std: 0.02);
        foreach (var block in blocks)
        {
            nn.init.zeros_(block.Modulation.weight);
            nn.init.zeros_(block.Modulation.bias!);
        }
        if (ref_channels is not null)
        {
            nn.init.zeros_(ref_channels.Projection.weight);   // zero: the editor starts as G_init (Algorithm 1, line 1)
            nn.init.zeros_(ref_channels.Projection.bias!);
        }
        foreach (var linear in final_layer.ZeroInitialised)
        {
            nn.init.zeros_(linear.weight);
            nn.init.zeros_(linear.bias!);
        }
    }

    private void CheckImage(Tensor image, string name)
    {
        if (image.dim() != 4 || image.shape[1] != config.InChannels || image.shape[2] != config.ImageSize || image.shape[3] != config.ImageSize)
            throw new ArgumentException(
                $"{name} has shape ({string.Join(", ", image.shape)}); this DiT expects (N, {config.InChannels}, {config.ImageSize}, {config.ImageSize}).", name);
    }
}
