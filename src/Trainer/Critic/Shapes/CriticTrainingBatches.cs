namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The training batches of each stage, as functions of the batch index (so <see cref="BatchPrefetcher{T}"/> can render
/// them ahead on several threads and the run does not depend on how many). The Yes/No stage's first
/// <see cref="CriticPretrainConfig.PresenceSteps"/> batches hold presence questions only, the next
/// <see cref="CriticPretrainConfig.EditSteps"/> edit-verification questions only, the rest every family in turn,
/// continuing after the examples the single-family steps read; the vision and captioning stages read their own
/// stretches of the training stream.
/// </summary>
public static class CriticTrainingBatches
{
    /// <summary>Where the vision stage's examples start in the training stream (far past what the Yes/No stage reads).</summary>
    public const long VisionStreamStart = 1_000_000;

    /// <summary>Where the captioning stage's examples start in the training stream (past the vision stage's).</summary>
    public const long CaptionStreamStart = 2_000_000;

    /// <summary>Batch <paramref name="batch"/> of the Yes/No stage over <paramref name="families"/> (all when null), drawn as <see cref="CriticPretrainConfig.Sampling"/> says.</summary>
    public static CriticExample[] YesNo(CriticPretrainConfig config, long batch, IReadOnlyCollection<string>? families = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        families ??= CriticExample.Families;
        var presenceSteps = families.Contains(CriticExample.Presence) ? config.PresenceSteps : 0;
        var editSteps = families.Contains(CriticExample.Edit) ? config.EditSteps : 0;
        if (batch < presenceSteps)
            return ShapesCriticData.Batch(ShapesCriticData.TrainStream, [CriticExample.Presence], 0, config.BatchSize, batch, config.Sampling());
        if (batch < presenceSteps + editSteps)
            return ShapesCriticData.Batch(ShapesCriticData.TrainStream, [CriticExample.Edit], 0, config.BatchSize, batch - presenceSteps, config.Sampling());
        // A family is every third example: the single-family steps read the first 3 × steps × batch of the stream.
        var read = 3L * Math.Max(presenceSteps, editSteps) * config.BatchSize;
        return ShapesCriticData.Batch(ShapesCriticData.TrainStream, families, read, config.BatchSize, batch - presenceSteps - editSteps, config.Sampling());
    }

    /// <summary>Batch <paramref name="batch"/> of the vision stage.</summary>
    public static CriticExample[] Vision(CriticPretrainConfig config, long batch, IReadOnlyCollection<string>? families = null) =>
        ShapesCriticData.Batch(ShapesCriticData.TrainStream, families ?? CriticExample.Families, VisionStreamStart, config.VisionBatchSize, batch);

    /// <summary>Batch <paramref name="batch"/> of the captioning stage.</summary>
    public static CriticExample[] Caption(CriticPretrainConfig config, long batch, IReadOnlyCollection<string>? families = null) =>
        ShapesCriticData.Batch(ShapesCriticData.TrainStream, families ?? CriticExample.Families, CaptionStreamStart, config.BatchSize, batch);

    /// <summary>The first <paramref name="count"/> held-out examples of <paramref name="families"/>, rendered on <paramref name="workers"/> threads.</summary>
    public static CriticExample[] HeldOut(int count, int workers, IReadOnlyCollection<string>? families = null)
    {
        families ??= CriticExample.Families;
        return [.. ParallelEnumerable.Range(0, count).AsOrdered().WithDegreeOfParallelism(Math.Max(1, workers))
            .Select(k => ShapesCriticData.Example(ShapesCriticData.HeldOutStream, ShapesCriticData.IndexOf(families, 0, k)))];
    }

    /// <summary>
    /// Held-out contrastive pairs (<see cref="CriticQuestionPair"/>) of presence and edit verification, drawn from the
    /// held-out stream with every question paired (identity preservation has no pairs): up to
    /// <paramref name="pairsPerFamily"/> per family, fewer where an edit question found no second instruction to pair
    /// with and fell back to an ordinary question. The held-out mix itself is unchanged by them.
    /// </summary>
    public static CriticQuestionPair[] HeldOutPairs(int pairsPerFamily, int workers, IReadOnlyCollection<string>? families = null)
    {
        families ??= CriticExample.Families;
        var paired = new ShapesCriticSampling(ContrastiveShare: 1);
        return [.. CriticExample.Families.Where(f => f != CriticExample.Identity && families.Contains(f)).SelectMany(family =>
        {
            // A family's questions sit at indices ≡ its position (mod 3); its ordinals 2p and 2p + 1 form pair p.
            var residue = Array.IndexOf(CriticExample.Families, family);
            var questions = ParallelEnumerable.Range(0, 2 * pairsPerFamily).AsOrdered().WithDegreeOfParallelism(Math.Max(1, workers))
                .Select(k => ShapesCriticData.Example(ShapesCriticData.HeldOutStream, 3L * k + residue, paired)).ToArray();
            return questions.Chunk(2).Select(p => CriticQuestionPair.Of(p[0], p[1])).OfType<CriticQuestionPair>();
        })];
    }

    /// <summary>
    /// Render workers when none are asked for: all cores but two (the training thread's and one for the rest of the
    /// machine), at most 4. A batch of 24 costs ≈ 20 ms of CPU against ≈ 350 ms for a CPU step, so on two cores a worker
    /// only competes with the step (bench/RESULTS.md, critic section: no faster, once 20 % slower); on the GPU machine
    /// the ≈ 20 ms are a large share of the step.
    /// </summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount - 2, 0, 4);
}
