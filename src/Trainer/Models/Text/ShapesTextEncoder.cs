using TorchSharp;
using TorchSharp.Modules;
using NpEdit.ShapesWorld;
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
    public TextEncoding Encode(IReadOnlyList<string> captions, Device device) => Encode(captions, device, config.HashUnknownWords);

    /// <summary>
    /// Encodes as <see cref="Encode(IReadOnlyList{string}, Device)"/>, choosing how unknown words read regardless of the
    /// config (<see cref="TextEncoderConfig.HashUnknownWords"/>): an editor's trainer encodes the teacher's captions
    /// exactly as G_init does.
    /// </summary>
    public TextEncoding Encode(IReadOnlyList<string> captions, Device device, bool hashUnknownWords)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, unknown) = tokenizer.Batch(captions, hashUnknownWords);
        var idTensor = tensor(ids, [captions.Count, config.MaxTokens], device: device);
        var maskTensor = tensor(mask, [captions.Count, config.MaxTokens], device: device);
        var tokens = unknown.Count == 0 ? call(idTensor, maskTensor) : EncodeWithExtraRows(idTensor, maskTensor, UnknownWordRows(unknown, device));
        return new TextEncoding(tokens.MoveToOuterDisposeScope(), maskTensor.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The fixed vector of a word outside the vocabulary, in units of the trained embedding's scale: standard normal
    /// draws seeded by the word's spelling (FNV-1a, then SplitMix64 and Box–Muller), so the same word gives the same
    /// vector in every run, process and machine, whatever else the batch holds.
    /// </summary>
    public static float[] UnknownWordVector(string word, int dim)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in word)
            hash = (hash ^ ch) * 1099511628211UL;
        var rng = new SplitMix64(hash);
        var vector = new float[dim];
        for (var i = 0; i < dim; i += 2)
        {
            var (u1, u2) = (1.0 - rng.NextDouble(), rng.NextDouble());          // u1 in (0, 1]: log is finite
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            vector[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < dim)
                vector[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
        return vector;
    }

    /// <summary>(K, D) embedding rows for <paramref name="words"/>: their fixed vectors at the scale (standard deviation) of the vocabulary's rows.</summary>
    private Tensor UnknownWordRows(IReadOnlyList<string> words, Device device)
    {
        var dim = config.Dim;
        var values = words.SelectMany(w => UnknownWordVector(w, dim)).ToArray();
        using var _ = no_grad();
        var known = tok_embed.weight![(WordTokenizer.BosId + 1)..];                        // the trained word rows, not PAD/UNK/BOS
        var scale = known.shape[0] >= 2 ? known.std() : tensor(0.02f, device: known.device);
        return tensor(values, [words.Count, dim], device: device).to(tok_embed.weight!.dtype) * scale;
    }

    /// <param name="ids">(N, L) int64 token ids.</param>
    /// <param name="mask">(N, L) bool, true for real tokens.</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor ids, Tensor mask) => Layers(tok_embed.call(ids), mask);

    /// <summary>The forward pass with <paramref name="extraRows"/> appended to the embedding table (ids past the vocabulary index them).</summary>
    private Tensor EncodeWithExtraRows(Tensor ids, Tensor mask, Tensor extraRows)
    {
        var table = cat([tok_embed.weight!, extraRows], dim: 0);                 // (V + K, D)
        return Layers(table.index_select(0, ids.flatten()).view(ids.shape[0], ids.shape[1], -1), mask);
    }

    private Tensor Layers(Tensor embedded, Tensor mask)
    {
        var x = embedded + pos_embed;                                          // (N, L, D)
        var keyMask = mask.view(mask.shape[0], 1, 1, mask.shape[1]);           // (N, 1, 1, L)
        foreach (var layer in layers)
            x = layer.call(x, keyMask);                                        // (N, L, D)
        return norm.call(x);                                                   // (N, L, D)
    }
}
