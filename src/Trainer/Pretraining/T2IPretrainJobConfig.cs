using NpEdit.Core.Config;
using NpEdit.Trainer.Models;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Everything <c>npedit pretrain t2i</c> and <see cref="T2IPretrainJob"/> need, as written in
/// <c>experiments/*.yaml</c> (overrides only, snake_case) and stored in the run row and checkpoints.
/// Optimisation defaults come from <see cref="T2IPretrainConfig"/>, so they live in one place.
/// </summary>
public sealed record T2IPretrainJobConfig : OptimizationSection, IValidatedConfig
{
    static readonly T2IPretrainConfig Defaults = new();

    public T2IPretrainJobConfig() : base(Defaults)
    {
    }

    /// <summary>Experiment the run row belongs to.</summary>
    public string Experiment { get; init; } = "pretrain-t2i";

    /// <summary>Model preset: shapes-xs, shapes-s, shapes-m or dit-2b.</summary>
    public string Preset { get; init; } = ModelPresets.ShapesS.Name;

    public double CaptionDropout { get; init; } = Defaults.CaptionDropout;
    public double LogitNormalMean { get; init; } = Defaults.LogitNormalMean;
    public double LogitNormalStd { get; init; } = Defaults.LogitNormalStd;
    public double EmaDecay { get; init; } = Defaults.EmaDecay;
    public int Seed { get; init; } = Defaults.Seed;
    public AdamImplementation Optimizer { get; init; } = Defaults.Optimizer;
    public bool NoiseOnDevice { get; init; } = Defaults.NoiseOnDevice;

    /// <summary>Steps between checkpoints (a checkpoint is also written at the end and on Ctrl-C).</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Steps between metric writes to PostgreSQL (each write holds every step since the last).</summary>
    public int LogEvery { get; init; } = 25;

    public T2IDataSection Data { get; init; } = new();
    public T2IEvalSection Eval { get; init; } = new();

    /// <summary>The trainer settings this job config resolves to.</summary>
    public T2IPretrainConfig ToTrainerConfig() => new(this)
    {
        Model = ModelPresets.Get(Preset),
        CaptionDropout = CaptionDropout,
        LogitNormalMean = LogitNormalMean,
        LogitNormalStd = LogitNormalStd,
        EmaDecay = EmaDecay,
        Seed = Seed,
        Optimizer = Optimizer,
        NoiseOnDevice = NoiseOnDevice,
    };

    public IEnumerable<string> Validate()
    {
        if (!ModelPresets.All.ContainsKey(Preset))
            yield return $"preset '{Preset}' is unknown; use one of {string.Join(", ", ModelPresets.All.Keys)}";
        if (Steps < 1)
            yield return $"steps must be at least 1 (got {Steps})";
        foreach (var problem in OptimizationProblems())
            yield return problem;
        if (LogitNormalStd <= 0)
            yield return $"logit_normal_std must be positive (got {LogitNormalStd})";
        if (CaptionDropout is < 0 or > 1)
            yield return $"caption_dropout must be in [0, 1] (got {CaptionDropout})";
        if (EmaDecay is < 0 or >= 1)
            yield return $"ema_decay must be in [0, 1) (got {EmaDecay})";
        if (CheckpointEvery < 1 || LogEvery < 1)
            yield return "checkpoint_every and log_every must be at least 1";
        if (Data.Count < 1 || Data.BatchSize < 1)
            yield return "data.count and data.batch_size must be at least 1";
        if (Data.MaxObjects is < 1 or > 5)
            yield return $"data.max_objects must be 1 to 5 (got {Data.MaxObjects})";
        if (Data.ObjectWeight < 0)
            yield return $"data.object_weight must not be negative (got {Data.ObjectWeight})";
        if (Data.Corpus is not null && !Directory.Exists(Data.Corpus))
            yield return $"data.corpus '{Data.Corpus}' is not a folder; write one with 'npedit world corpus --out DIR' or leave it unset to build one";
        if (Eval.Prompts < 1 || Eval.GridPrompts < 1 || Eval.SampleSteps < 1 || Eval.Every < 0)
            yield return "eval.prompts, eval.grid_prompts and eval.sample_steps must be at least 1, eval.every at least 0";
    }
}
