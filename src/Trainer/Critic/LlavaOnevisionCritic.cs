using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// A frozen LLaVA-OneVision critic (§4.2): [reference, edited] (or edited alone) plus an App. E question,
/// one teacher-forced forward, the logits at the answer position. The reference image's features are
/// computed under no_grad, as the NP-Edit repo does; the edited image's resize and normalisation are tensor
/// ops so the gradient of L_VLM (Eq. 4) reaches its pixels.
/// </summary>
public sealed class LlavaOnevisionCritic : IEditCritic
{
    readonly LlavaOnevisionModel model;
    readonly CriticPrompts prompts;

    /// <summary>Wraps <paramref name="model"/> and freezes it: no parameter requires grad afterwards.</summary>
    public LlavaOnevisionCritic(LlavaOnevisionModel model, ICriticTokenizer tokenizer, CriticConfig config)
    {
        this.model = model;
        Config = config.Validate();
        Tokenizer = tokenizer;
        prompts = new CriticPrompts(tokenizer, config.Template, model.Config);
        foreach (var p in model.parameters())
            p.requires_grad = false;
        model.eval();
    }

    public CriticConfig Config { get; }

    public ICriticTokenizer Tokenizer { get; }

    public CriticPrompts Prompts => prompts;

    /// <inheritdoc />
    public long YesTokenId => Config.YesTokenId;

    /// <inheritdoc />
    public long NoTokenId => Config.NoTokenId;

    /// <inheritdoc />
    public nn.Module Module => model;

    /// <summary>The typed model.</summary>
    public LlavaOnevisionModel Model => model;

    /// <inheritdoc />
    public Tensor AnswerLogits(Tensor? reference, Tensor edited, IReadOnlyList<string> questions)
    {
        ArgumentNullException.ThrowIfNull(edited);
        ArgumentNullException.ThrowIfNull(questions);
        if (edited.shape[0] != questions.Count || (reference is not null && !reference.shape.SequenceEqual(edited.shape)))
            throw new ArgumentException(
                $"The critic got {edited.shape[0]} edited images, {reference?.shape[0].ToString() ?? "no"} reference images and {questions.Count} questions; they must match.");
        var dtype = ParameterDtype;
        var device = edited.device;
        var editedTokens = model.ImageTokens(CriticImageProcessor.Prepare(edited.to(dtype), model.Config));   // (N, T+1, D), tracks grad
        Tensor images = editedTokens;
        if (reference is not null)
        {
            Tensor referenceTokens;
            using (no_grad())
                referenceTokens = model.ImageTokens(CriticImageProcessor.Prepare(reference.to(dtype), model.Config));
            images = cat([referenceTokens, editedTokens], 1);                                                // reference shown first
        }
        var (ids, mask) = prompts.Batch(questions, reference is null ? 1 : 2, device);
        return model.AnswerLogits(ids, mask, images);                                                        // (N, V)
    }

    /// <summary>p(Yes) = σ(ℓ_Yes − ℓ_No), the two-way normalisation of the VLM loss.</summary>
    public Tensor ProbabilityYes(Tensor? reference, Tensor edited, IReadOnlyList<string> questions)
    {
        var logits = AnswerLogits(reference, edited, questions);
        return (logits[.., YesTokenId] - logits[.., NoTokenId]).to(float32).sigmoid();
    }

    ScalarType ParameterDtype => model.parameters().First().dtype;

    /// <inheritdoc />
    public void Dispose() => model.Dispose();
}
