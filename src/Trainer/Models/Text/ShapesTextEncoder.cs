using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Text;

/// <summary>
/// The ShapesWorld text encoder: word embeddings plus learned positions through a few pre-LN
/// transformer layers. Small and trained together with G_init; it stands in for the frozen large
/// text encoders of real T2I models.
/// </summary>
public sealed class ShapesTextEncoder : nn.Module<Tensor, Tensor, Tensor>, ITextEncoder
{
    private readonly Embedding tok_embed;
    private readonly Parameter pos_embed;
    private readonly ModuleList<TextEncoderLayer> layers;
    private readonly LayerNorm norm;
    private readonly TextEncoderConfig config;
    private readonly WordTokenizer tokenizer;

    /// <param name="config">Sizes.</param>
    /// <param name="vocabulary">The known words (e.g. ShapesWorld's colours, shapes, positions and verbs).</param>
    public ShapesTextEncoder(TextEncoderConfig config, IEnumerable<string> vocabulary) : base(nameof(ShapesTextEncoder))
    {
        this.config = config.Validate();
        tokenizer = new WordTokenizer(vocabulary, config.MaxTokens);
        tok_embed = nn.Embedding(tokenizer.VocabularySize, config.Dim);
        using (var initial = zeros(1, config.MaxTokens, config.Dim))   // Parameter wraps its own handle; the initial one is ours to free
            pos_embed = nn.Parameter(initial);
        var hidden = (int)Math.Round(config.Dim * config.MlpRatio);
        layers = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => new TextEncoderLayer(config.Dim, config.NumHeads, hidden)).ToArray());
        norm = nn.LayerNorm(config.Dim);
        RegisterComponents();
        using var _ = no_grad();
        nn.init.normal_(tok_embed.weight!, std: 0.02);
        nn.init.normal_(pos_embed, std: 0.02);
    }

    /// <summary>The resolved sizes.</summary>
    public TextEncoderConfig Config => config;

    /// <summary>The tokenizer built from the vocabulary.</summary>
    public WordTokenizer Tokenizer => tokenizer;

    /// <inheritdoc />
    public int OutputDim => config.Dim;

    /// <inheritdoc />
    public TextEncoding Encode(IReadOnlyList<string> captions, Device device)
    {
        var (ids, mask) = tokenizer.Batch(captions);
        var idTensor = tensor(ids, [captions.Count, config.MaxTokens], device: device);
        var maskTensor = tensor(mask, [captions.Count, config.MaxTokens], device: device);
        return new TextEncoding(call(idTensor, maskTensor), maskTensor);
    }

    /// <param name="ids">(N, L) int64 token ids.</param>
    /// <param name="mask">(N, L) bool, true for real tokens.</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor ids, Tensor mask)
    {
        var x = tok_embed.call(ids) + pos_embed;                               // (N, L, D)
        var keyMask = mask.view(mask.shape[0], 1, 1, mask.shape[1]);           // (N, 1, 1, L)
        foreach (var layer in layers)
            x = layer.call(x, keyMask);                                        // (N, L, D)
        return norm.call(x);                                                   // (N, L, D)
    }
}
