namespace NpEdit.Core.Config.Training;

/// <summary>
/// NP-Edit training (Algorithm 1). Every default is the paper's (App. E.1) unless a comment says otherwise;
/// <c>experiments/*.yaml</c> hold only overrides (ShapesWorld presets say why they differ).
/// </summary>
public sealed record NpEditConfig : IValidatedConfig
{
    public string Experiment { get; init; } = "np-edit";
    public GeneratorSection Generator { get; init; } = new();
    public CriticSection Critic { get; init; } = new();
    public DataSection Data { get; init; } = new();
    public LossSection Loss { get; init; } = new();
    public ScheduleSection Schedule { get; init; } = new();
    public OptimSection Optim { get; init; } = new();
    public RunSection Run { get; init; } = new();

    public IEnumerable<string> Validate()
    {
        if (Data.Shards.Length == 0 && Loss.Objective != Objective.Sft)
            yield return "data.shards is empty: list the dataset shards (or a folder) built by 'npedit dataset build'";
        if (Data.Fraction is <= 0 or > 1)
            yield return $"data.fraction must be in (0, 1] (got {Data.Fraction})";
        if (Data.RemovalProbability is < 0 or >= 1)
            yield return $"data.removal_probability must be in [0, 1) (got {Data.RemovalProbability})";
        if (Data.BatchSize < 1)
            yield return $"data.batch_size must be at least 1 (got {Data.BatchSize})";
        if (Schedule.SamplerSteps is not (1 or 2 or 4 or 8))
            yield return $"schedule.sampler_steps must be 1, 2, 4 or 8 (got {Schedule.SamplerSteps})";
        if (Schedule.Unroll == UnrollPolicy.TwoPass && Schedule.SamplerSteps == 1)
            yield return "schedule.unroll two_pass needs schedule.sampler_steps ≥ 2 (the second pass's t comes from the grid below 1)";
        if (Schedule.AuxUpdates < 0 || Schedule.WarmupSteps < 0 || Schedule.SingleStepSteps < 0 || Schedule.Steps < 1)
            yield return "schedule.steps must be ≥ 1 and warmup_steps, single_step_steps, aux_updates ≥ 0";
        if (Loss.DoNothingProbability is < 0 or > 1)
            yield return $"loss.do_nothing_probability must be in [0, 1] (got {Loss.DoNothingProbability})";
        if (Loss.DmdTMin is <= 0 or >= 1 || Loss.DmdTMax is <= 0 or >= 1 || Loss.DmdTMin >= Loss.DmdTMax)
            yield return "loss.dmd_t_min < loss.dmd_t_max, both in (0, 1)";
        if (Loss.LogitScaleStart is <= 0 or > 1)
            yield return $"loss.logit_scale_start must be in (0, 1] (got {Loss.LogitScaleStart})";
        if (Loss.LambdaVlm < 0 || Loss.LambdaDmd < 0 || Loss.LambdaDmdCustomization < 0 || Loss.LambdaDoNothing < 0)
            yield return "loss.lambda_vlm, lambda_dmd, lambda_dmd_customization and lambda_do_nothing must not be negative";
        if (Run.MetricsEvery < 1 || Run.CheckpointEvery < 1 || Run.SamplesEvery < 1 || Run.MaxNonFiniteInARow < 1)
            yield return "run.metrics_every, checkpoint_every, samples_every and max_non_finite_in_a_row must be at least 1";
        if (Optim.Lr <= 0 || Optim.AuxLr <= 0)
            yield return "optim.lr and optim.aux_lr must be positive";
        if (Optim.WarmupLr < 0)
            yield return "optim.warmup_lr must not be negative (0 uses optim.lr)";
        if (string.IsNullOrWhiteSpace(Generator.Init))
            yield return "generator.init is empty: give the G_init checkpoint from 'npedit pretrain t2i'";
        if (string.IsNullOrWhiteSpace(Critic.Checkpoint) && Loss.Objective is Objective.Full or Objective.OnlyVlm)
            yield return "critic.checkpoint is empty: give a critic from 'npedit pretrain critic' (or objective: only_dmd)";
    }
}
