namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// One Yes/No question for critic pretraining: 64×64 RGB images (row-major HWC bytes), the filled App. E
/// question and its answer.
/// </summary>
/// <param name="Family"><c>presence</c>, <c>edit</c> (edit verification) or <c>identity</c> (identity preservation).</param>
/// <param name="Reference">The original image, shown first; null for single-image presence questions.</param>
/// <param name="Candidate">The image the question is about.</param>
public sealed record CriticExample(string Family, CandidateKind Kind, string Question, byte[]? Reference, byte[] Candidate, bool AnswerIsYes)
{
    public const string Presence = "presence";
    public const string Edit = "edit";
    public const string Identity = "identity";

    public static readonly string[] Families = [Presence, Edit, Identity];
}
