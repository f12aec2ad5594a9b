namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Two questions of one family about the very same image(s), one answered Yes and one No
/// (<see cref="ShapesCriticSampling.ContrastiveShare"/>). A critic whose answer depends on the images alone gives both
/// the same answer, so it gets exactly one of the two right: what it scores above 50 % it read from the question.
/// </summary>
public sealed record CriticQuestionPair(CriticExample Yes, CriticExample No)
{
    public string Family => Yes.Family;

    /// <summary>
    /// The pair of <paramref name="a"/> and <paramref name="b"/> (Yes first), or null when they are not one: another
    /// family, other images, or the same answer.
    /// </summary>
    public static CriticQuestionPair? Of(CriticExample a, CriticExample b)
    {
        var isPair = a.Family == b.Family && a.AnswerIsYes != b.AnswerIsYes
            && a.Candidate.AsSpan().SequenceEqual(b.Candidate)
            && (a.Reference is null ? b.Reference is null : b.Reference is not null && a.Reference.AsSpan().SequenceEqual(b.Reference));
        return !isPair ? null : a.AnswerIsYes ? new(a, b) : new(b, a);
    }
}
