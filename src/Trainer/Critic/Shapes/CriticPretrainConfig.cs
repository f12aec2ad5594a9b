using NpEdit.Core.Config;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>Settings of ShapesWorld critic pretraining; every default lives here.</summary>
public sealed record CriticPretrainConfig : OptimizationSection
{
    /// <summary>
    /// The Yes/No stage: peak learning rate after a linear warm-up, then a cosine decay to 10%; AdamW β2 0.98;
    /// gradient norms clipped to 1 (a non-finite norm skips the step). 1,000 vision + 400 caption + 1,200 Yes/No steps
    /// reach presence 58.5 / edit 69 / identity 81.5 % in 553 CPU-s, where 1,000 vision + 2,400 Yes/No steps without the
    /// captioning stage reached 54.5 / 68 / 84.5 % in 797 (bench/RESULTS.md, critic section).
    /// </summary>
    public CriticPretrainConfig()
        : base(steps: 1200, learningRate: 2e-3, warmupSteps: 30, finalLearningRateFraction: 0.1, beta2: 0.98, weightDecay: 0.01, gradClip: 1.0)
    {
    }

    /// <summary>
    /// Critic size preset (<see cref="CriticPresets.ByName"/>). 16-px patches: in 508 CPU-s they reach presence 48 / edit
    /// 68 / identity 81 % where 8-px patches reached 52 / 61 / 74 % in 660 CPU-s (bench/RESULTS.md, critic section).
    /// </summary>
    public string Preset { get; init; } = "shapes-mini-16";

    /// <summary>
    /// A critic checkpoint of the same preset and prompt layout to start from (what <c>npedit pretrain critic --out</c>
    /// wrote; the read-out heads of the auxiliary losses start fresh), or null for random weights. Chains stages: a run
    /// of edit-verification steps only from a critic that reads object names, then a mixed run from that
    /// (experiments/e030-critic-question-first.md, critic F).
    /// </summary>
    public string? Init { get; init; }

    /// <summary>
    /// The prompt layout (<see cref="CriticPromptLayout"/>), null for the preset's (images first). It decides which
    /// losses apply: caption and subject answer with the images first, grounding with the question first.
    /// </summary>
    public string? PromptLayout { get; init; }

    /// <summary>The critic to build: the preset, in <see cref="PromptLayout"/> when one is set.</summary>
    public CriticConfig Critic()
    {
        var preset = CriticPresets.ByName(Preset);
        return PromptLayout is null ? preset : (preset with { PromptLayout = PromptLayout }).Validate();
    }

    /// <summary>Steps of the vision stage before the Yes/No stage (0 skips it).</summary>
    public int VisionSteps { get; init; } = 1000;

    /// <summary>Examples per vision step (their reference and candidate images, 1–2 each).</summary>
    public int VisionBatchSize { get; init; } = 24;

    /// <summary>AdamW learning rate of the vision stage (linear warm-up over its first tenth, then constant).</summary>
    public double VisionLearningRate { get; init; } = 2e-3;

    /// <summary>
    /// Steps of the captioning stage between the vision and the Yes/No stage (0 skips it): the whole critic learns to write
    /// each image's full <see cref="SceneCaption"/> (CriticPretrainer.TrainCaptionStep), at <c>learning_rate</c> after a
    /// warm-up over its first tenth. 400 steps (≈ 100 CPU-s) bring the Yes/No stage to at step 1,200 what it reached at
    /// step 2,400 without them (not further by step 2,400), so the defaults are 400 caption + 1,200 Yes/No steps
    /// (bench/RESULTS.md, critic section).
    /// </summary>
    public int CaptionSteps { get; init; } = 400;

    /// <summary>
    /// How the scene caption lists objects (<see cref="SceneCaption.Orders"/>): each cell then the object there
    /// (<c>cell_first</c>), or each object then its cell (<c>name_first</c>).
    /// </summary>
    public string CaptionOrder { get; init; } = SceneCaption.CellFirst;

    /// <summary>
    /// Weight of the scene-caption loss in the Yes/No stage (the candidate's full <see cref="SceneCaption"/> written after
    /// it, as in the captioning stage); 0 leaves it out (it costs a second decoder pass per step).
    /// </summary>
    public double SceneCaptionLossWeight { get; init; }

    /// <summary>
    /// The first this many Yes/No steps ask presence questions only (they count towards <c>steps</c>): with the question
    /// first and the grounding loss, presence alone leaves chance with the vision tower (65 % at 450 steps) where the
    /// three families mixed did not in 1,000 (bench/RESULTS.md, critic section); 0 mixes from the start.
    /// </summary>
    public int PresenceSteps { get; init; }

    /// <summary>
    /// After the presence steps, this many Yes/No steps ask edit-verification questions only (they count towards
    /// <c>steps</c>); 0 goes on to the mix. Why: with the question first and contrastive pairs, edit verification alone
    /// starts reading the instruction (held-out edit pairs 50 → 66 %) where the mix did not in 2,400 steps
    /// (bench/RESULTS.md, critic section, 2026-11-28).
    /// </summary>
    public int EditSteps { get; init; }

    /// <summary>Questions per step (the three families in turn).</summary>
    public int BatchSize { get; init; } = 24;

    /// <summary>
    /// Weight of the caption loss (next-token cross-entropy on the object name or instruction the images show); only
    /// for critics with the images first (with the question first the name comes before the images it should be read from).
    /// </summary>
    public double CaptionLossWeight { get; init; } = 0.5;

    /// <summary>Weight of the scene-label loss (image tokens predict what each patch and the whole image show).</summary>
    public double SceneLabelLossWeight { get; init; } = 0.5;

    /// <summary>Weight of the candidate-kind loss (the answer position names the question family and candidate kind).</summary>
    public double KindLossWeight { get; init; } = 1.0;

    /// <summary>Weight of the patch-change loss (the decoder says which of the second image's patches differ from the first's).</summary>
    public double ChangeLossWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight of the subject-answer loss: the Yes/No loss also read at the last token of the object name or
    /// instruction (CriticPretrainer.SubjectAnswerTerm says why); only for critics with the images first (before them
    /// the subject cannot see the images); 0 leaves it out.
    /// </summary>
    public double SubjectAnswerLossWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight of the grounding loss (each patch of the candidate says whether it agrees with the question:
    /// <see cref="PatchGrounding"/>); only for critics with the question first (with the images first a patch cannot
    /// see the question); 0 leaves it out.
    /// </summary>
    public double GroundingLossWeight { get; init; } = 1.0;

    /// <summary>
    /// Share of the Yes/No stage's presence and edit-verification questions asked as contrastive pairs (the same images
    /// with a Yes and a No question: <see cref="ShapesCriticSampling.ContrastiveShare"/>); 0 asks the held-out mix.
    /// </summary>
    public double ContrastiveShare { get; init; }

    /// <summary>Share of absent presence names one attribute away from an object in the image (<see cref="ShapesCriticSampling.HardNegativeShare"/>).</summary>
    public double HardNegativeShare { get; init; }

    /// <summary>How the Yes/No stage draws its questions.</summary>
    public ShapesCriticSampling Sampling() => new ShapesCriticSampling(ContrastiveShare, HardNegativeShare).Validate();

    /// <summary>Held-out questions per family for the accuracy metrics.</summary>
    public int HeldOutPerFamily { get; init; } = 200;

    /// <summary>
    /// Held-out contrastive pairs per family (presence and edit verification) for the pair metrics
    /// (<see cref="PairAccuracy"/>: what the critic reads from the question, where the images alone give 50 %); 0 leaves
    /// them out. 100 pairs add 400 forward passes per evaluation, about 4 % of a 1,200-step run's CPU time.
    /// </summary>
    public int HeldOutPairsPerFamily { get; init; } = 100;

    /// <summary>Evaluate on the held-out set every this many steps (and at the end).</summary>
    public int EvalEvery { get; init; } = 600;

    /// <summary>Seed of the weights' initialisation.</summary>
    public int Seed { get; init; } = 0;

    public CriticPretrainConfig Validate()
    {
        ValidateOptimization();
        if (Init is not null && !File.Exists(Init))
            throw new ArgumentException($"init: critic checkpoint '{Init}' not found; give a .safetensors that 'npedit pretrain critic --out' wrote, or leave init out to start from random weights.");
        if (PromptLayout is not null && !CriticPromptLayout.All.Contains(PromptLayout))
            throw new ArgumentException($"prompt_layout '{PromptLayout}' is not one of {string.Join(", ", CriticPromptLayout.All)} (or leave it out for the preset's).");
        CriticPresets.ByName(Preset);   // an unknown preset fails here, before the database starts or a run row exists
        if (BatchSize < 3 || HeldOutPerFamily < 1 || EvalEvery < 1 || HeldOutPairsPerFamily < 0)
            throw new ArgumentException($"BatchSize ({BatchSize}) must be at least 3, HeldOutPerFamily ({HeldOutPerFamily}) and EvalEvery ({EvalEvery}) at least 1, HeldOutPairsPerFamily ({HeldOutPairsPerFamily}) at least 0.");
        if (PresenceSteps < 0 || EditSteps < 0 || PresenceSteps + EditSteps > Steps)
            throw new ArgumentException($"PresenceSteps ({PresenceSteps}) and EditSteps ({EditSteps}) must not be negative, and together at most Steps ({Steps}).");
        Sampling();
        if (CaptionSteps < 0)
            throw new ArgumentException($"CaptionSteps ({CaptionSteps}) must not be negative.");
        if (!SceneCaption.Orders.Contains(CaptionOrder))
            throw new ArgumentException($"caption_order '{CaptionOrder}' is not one of {string.Join(", ", SceneCaption.Orders)}.");
        if (VisionSteps < 0 || VisionBatchSize < 1 || VisionLearningRate <= 0)
            throw new ArgumentException($"VisionSteps ({VisionSteps}) must not be negative, VisionBatchSize ({VisionBatchSize}) must be at least 1 and VisionLearningRate ({VisionLearningRate}) positive.");
        if (CaptionLossWeight < 0 || SceneLabelLossWeight < 0 || KindLossWeight < 0 || ChangeLossWeight < 0 || SubjectAnswerLossWeight < 0 || GroundingLossWeight < 0 || SceneCaptionLossWeight < 0)
            throw new ArgumentException($"CaptionLossWeight ({CaptionLossWeight}), SceneLabelLossWeight ({SceneLabelLossWeight}) KindLossWeight ({KindLossWeight}), ChangeLossWeight ({ChangeLossWeight}) SubjectAnswerLossWeight ({SubjectAnswerLossWeight}), GroundingLossWeight ({GroundingLossWeight}) and SceneCaptionLossWeight ({SceneCaptionLossWeight}) must not be negative.");
        return this;
    }
}
