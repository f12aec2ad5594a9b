using NpEdit.Core.Config.Training;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Training;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>generator.hash_unknown_words: the editor's checkpoint says how it reads instructions; A_φ's reads as G_init.</summary>
public sealed class EditorTextFacts : IDisposable
{
    private readonly TempDirectory temp = new("editor-text");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Checkpoint_RecordsHowTheEditorReadsUnknownWords(bool hash)
    {
        var init = TrainingFixtures.Init(TrainingFixtures.Rows(4));
        var config = TrainingFixtures.Config(Objective.OnlyDmd) with { Generator = new GeneratorSection { Init = "in-memory", HashUnknownWords = hash } };
        var directory = Path.Combine(temp.Path, hash ? "hashed" : "unk");
        using (init.DiT)
        using (init.Text)
        using (var trainer = new NpEditTrainer(config, init, critic: null))
            trainer.Save(directory);

        Assert.False(init.Config.Text.HashUnknownWords);
        Assert.Equal(hash, GeneratorCheckpoint.ReadConfig(Path.Combine(directory, TrainingCheckpoint.GeneratorFile)).Text.HashUnknownWords);
        Assert.False(GeneratorCheckpoint.ReadConfig(Path.Combine(directory, TrainingCheckpoint.AuxiliaryFile)).Text.HashUnknownWords);
        var (dit, text, _) = GeneratorCheckpoint.Load(Path.Combine(directory, TrainingCheckpoint.GeneratorFile));
        using (dit)
        using (text)
            Assert.Equal(hash, text.Config.HashUnknownWords);
    }
}
