using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Turns questions into the decoder's input: chat template → token ids → each <c>&lt;image&gt;</c> expanded
/// to the image's positions (patch tokens + newline), rows left-padded so every row ends at its answer position.
/// </summary>
public sealed class CriticPrompts
{
    readonly ICriticTokenizer tokenizer;
    readonly LlavaChatTemplate template;
    readonly long imageTokenId;
    readonly int positionsPerImage;

    public CriticPrompts(ICriticTokenizer tokenizer, LlavaChatTemplate template, LlavaOnevisionConfig config)
    {
        this.tokenizer = tokenizer;
        this.template = template;
        imageTokenId = config.ImageTokenIndex;
        positionsPerImage = config.TokensPerImage;
        if (tokenizer.Encode(LlavaChatTemplate.ImageToken) is not [var id] || id != imageTokenId)
            throw new ArgumentException($"The tokenizer does not map {LlavaChatTemplate.ImageToken} to the model's image_token_index {imageTokenId}.");
    }

    /// <summary>The ids of one prompt with image placeholders expanded.</summary>
    public long[] Ids(string question, int imageCount)
    {
        var ids = tokenizer.Encode(template.Render(question, imageCount));
        var expanded = new List<long>(ids.Length + imageCount * positionsPerImage);
        foreach (var id in ids)
        {
            if (id == imageTokenId)
                expanded.AddRange(Enumerable.Repeat(imageTokenId, positionsPerImage));
            else
                expanded.Add(id);
        }
        return [.. expanded];
    }

    /// <summary>A left-padded batch: ids (N, L) int64 and the real-token mask (N, L) bool.</summary>
    public (Tensor Ids, Tensor Mask) Batch(IReadOnlyList<string> questions, int imageCount, Device device) =>
        Pad(questions.Select(q => Ids(q, imageCount)).ToArray(), device);

    /// <summary>Rows of ids (e.g. a prompt from <see cref="Ids"/> followed by an answer), left-padded: ids (N, L) int64 and the real-token mask.</summary>
    public (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<long[]> rows, Device device)
    {
        var length = rows.Max(r => r.Length);
        var ids = new long[rows.Count * length];
        var mask = new bool[rows.Count * length];
        for (var i = 0; i < rows.Count; i++)
        {
            var pad = length - rows[i].Length;
            for (var j = 0; j < length; j++)
            {
                ids[i * length + j] = j < pad ? tokenizer.PadTokenId : rows[i][j - pad];
                mask[i * length + j] = j >= pad;
            }
        }
        return (tensor(ids, [rows.Count, length], device: device), tensor(mask, [rows.Count, length], device: device));
    }
}
