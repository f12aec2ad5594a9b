namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>How the image the critic is asked about was made from the source scene.</summary>
public enum CandidateKind
{
    /// <summary>The edit's ground-truth target.</summary>
    Correct,
    /// <summary>The source unchanged (the editor did nothing).</summary>
    NoOp,
    /// <summary>A different valid edit of the source.</summary>
    WrongEdit,
    /// <summary>Half of a two-part edit (replace: only the shape or only the colour).</summary>
    PartialEdit,
    /// <summary>The target plus one more, unrequested edit.</summary>
    OverEdit,
    /// <summary>The target with Gaussian pixel noise.</summary>
    Noisy,
    /// <summary>The target blurred.</summary>
    Blurred,
    /// <summary>Presence: the named object is in the image.</summary>
    Present,
    /// <summary>Presence: the named object is not in the image.</summary>
    Absent,
}
