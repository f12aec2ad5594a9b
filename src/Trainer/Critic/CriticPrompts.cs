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
    public (Tensor Ids, Tensor Mask) Batch(IReadOnlyList<string> questions, int imageCount, Device device)
    {
        var rows = questions.Select(q => Ids(q, imageCount)).ToArray();
        var length = rows.Max(r => r.Length);
        var ids = new long[rows.Length * length];
        var mask = new bool[rows.Length * length];
        for (var i = 0; i < rows.Length; i++)
        {
            var pad = length - rows[i].Length;
            for (var j = 0; j < length; j++)
            {
                ids[i * length + j] = j < pad ? tokenizer.PadTokenId : rows[i][j - pad];
                mask[i * length + j] = j >= pad;
            }
        }
        return (tensor(ids, [rows.Length, length], device: device), tensor(mask, [rows.Length, length], device: device));
    }
}
