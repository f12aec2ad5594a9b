using NpEdit.ShapesWorld.Scenes;

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

    /// <summary>The scene rendered as <see cref="Reference"/>, when known (it feeds the scene-label loss).</summary>
    public Scene? ReferenceScene { get; init; }

    /// <summary>The scene rendered as <see cref="Candidate"/> before any degradation, when known.</summary>
    public Scene? CandidateScene { get; init; }

    /// <summary>The scene the instruction asks for (edit verification, identity preservation), when known.</summary>
    public Scene? TargetScene { get; init; }

    /// <summary>
    /// What the question is about, as it appears in it: the object name (presence) or the edit instruction (edit,
    /// identity); the subject-answer loss reads the answer off its last token.
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The part of the question the images show, so the critic can be taught to say it (the caption loss): the
    /// name of an object that is present, or the instruction the candidate carries out. Null when the images do
    /// not show it (an absent object, a no-op, a wrong or over-edit).
    /// </summary>
    public string? GroundedText { get; init; }
}
