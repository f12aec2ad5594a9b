namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The Yes/No stage's batches from the training stream: the first <see cref="CriticPretrainConfig.PresenceSteps"/>
/// batches hold presence questions only, the rest every family in turn, continuing after the examples the
/// presence stage read.
/// </summary>
public static class CriticTrainingBatches
{
    public static IEnumerable<CriticExample[]> Stream(CriticPretrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var presence = ShapesCriticData.Stream(ShapesCriticData.TrainStream).Where(e => e.Family == CriticExample.Presence)
            .Chunk(config.BatchSize).Take(config.PresenceSteps);
        // Presence is every third example: the presence stage read the first 3 × steps × batch of the stream.
        var mixed = ShapesCriticData.Stream(ShapesCriticData.TrainStream, 3L * config.PresenceSteps * config.BatchSize).Chunk(config.BatchSize);
        return presence.Concat(mixed);
    }
}
