namespace NpEdit.Core.Config.Training;

/// <summary>Loss terms and their weights (§4, App. E.1; the DMD details follow the author's reimplementation).</summary>
public sealed record LossSection
{
    public Objective Objective { get; init; } = Objective.Full;
    public VlmLossKind VlmLoss { get; init; } = VlmLossKind.BceYesNo;
    public double LambdaVlm { get; init; } = 0.01;
    public double LambdaDmd { get; init; } = 0.5;

    /// <summary>λ_DMD for customization samples (App. E.2).</summary>
    public double LambdaDmdCustomization { get; init; } = 2.0;

    /// <summary>Start of the linear logit-scale ramp (the reimplementation's 0.1 → 1); 1 disables it, as in the paper.</summary>
    public double LogitScaleStart { get; init; } = 1.0;
    public long LogitScaleRampSteps { get; init; } = 2000;

    public double DoNothingProbability { get; init; } = 0.01;

    /// <summary>The instruction of the do-nothing task (the reimplementation's wording).</summary>
    public string DoNothingInstruction { get; init; } = "do nothing.";

    /// <summary>Weight of the do-nothing L2 term (the reimplementation adds it with weight 1).</summary>
    public double LambdaDoNothing { get; init; } = 1.0;

    /// <summary>Teacher guidance for DMD's x̂0_real: 3.5, and 7.5 for the harder types below.</summary>
    public double GuidanceScale { get; init; } = 3.5;
    public double GuidanceScaleHard { get; init; } = 7.5;
    public string[] HardEditTypes { get; init; } = ["remove", "shape", "style", "action"];
    public string NegativePrompt { get; init; } = "low quality, artifacts";

    /// <summary>The wording of c^x that the teacher and A_φ read.</summary>
    public TeacherCaption TeacherCaption { get; init; } = TeacherCaption.Edited;

    /// <summary>DMD re-noising time t ~ U[dmd_t_min, dmd_t_max].</summary>
    public double DmdTMin { get; init; } = 0.02;
    public double DmdTMax { get; init; } = 0.98;
}
