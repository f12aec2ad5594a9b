using NpEdit.ShapesWorld;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;

namespace NpEdit.Trainer.Tests.Critic;

public class ShapesCriticDataFacts
{
    static readonly CriticExample[] Examples = ShapesCriticData.Stream(ShapesCriticData.TrainStream).Take(240).ToArray();

    [Fact]
    public void Examples_CoverTheThreeFamilies_WithBalancedAnswers_AndTheRightImageCounts()
    {
        foreach (var family in Examples.GroupBy(e => e.Family))
        {
            Assert.Equal(80, family.Count());
            var yes = family.Count(e => e.AnswerIsYes);
            Assert.InRange(yes, 25, 55);
            Assert.All(family, e => Assert.Equal(family.Key == CriticExample.Presence, e.Reference is null));
        }
        Assert.All(Examples, e => Assert.Equal(64 * 64 * 3, e.Candidate.Length));
        Assert.Equal(CriticExample.Families.Order(), Examples.Select(e => e.Family).Distinct().Order());
    }

    [Fact]
    public void Answers_FollowTheCandidateKinds()
    {
        Assert.All(Examples, e =>
        {
            var expectedYes = (e.Family, e.Kind) switch
            {
                (CriticExample.Presence, CandidateKind.Present) => true,
                (CriticExample.Presence, CandidateKind.Absent) => false,
                (CriticExample.Edit, CandidateKind.Correct or CandidateKind.Noisy or CandidateKind.Blurred) => true,
                (CriticExample.Edit, CandidateKind.NoOp or CandidateKind.WrongEdit or CandidateKind.PartialEdit) => false,
                (CriticExample.Identity, CandidateKind.Correct or CandidateKind.NoOp) => true,
                (CriticExample.Identity, CandidateKind.OverEdit or CandidateKind.Noisy or CandidateKind.Blurred) => false,
                _ => throw new InvalidOperationException($"Unexpected {e.Family}/{e.Kind}"),
            };
            Assert.Equal(expectedYes, e.AnswerIsYes);
            if (e.Kind == CandidateKind.NoOp)
                Assert.Equal(e.Reference, e.Candidate);
            if (e.Kind is CandidateKind.WrongEdit or CandidateKind.OverEdit or CandidateKind.Noisy or CandidateKind.Blurred)
                Assert.NotEqual(e.Reference, e.Candidate);
        });
        // Every negative kind shows up in a few hundred examples.
        var kinds = Examples.Select(e => e.Kind).ToHashSet();
        Assert.Subset(kinds, new[] { CandidateKind.NoOp, CandidateKind.WrongEdit, CandidateKind.OverEdit, CandidateKind.Noisy, CandidateKind.Blurred, CandidateKind.Absent }.ToHashSet());
    }

    [Fact]
    public void Examples_AreDeterministic_AndHeldOutScenesDifferFromTraining()
    {
        var again = ShapesCriticData.Example(ShapesCriticData.TrainStream, 7);
        Assert.Equal(Examples[7].Question, again.Question);
        Assert.Equal(Examples[7].Candidate, again.Candidate);
        var train = Enumerable.Range(0, 2000).Select(i => CriticSeeds.SceneSeed(ShapesCriticData.TrainStream, i)).ToHashSet();
        var heldOut = Enumerable.Range(0, 2000).Select(i => CriticSeeds.SceneSeed(ShapesCriticData.HeldOutStream, i));
        Assert.Empty(train.Intersect(heldOut));
    }

    [Fact]
    public void CriticSeeds_AvoidTheCorpusHalf_AndEveryEarlyBenchVersion()
    {
        Assert.All(Enumerable.Range(0, 1000), i =>
        {
            var seed = CriticSeeds.SceneSeed(ShapesCriticData.TrainStream, i);
            Assert.True(SeedRanges.IsBench(seed));           // top bit set: never a corpus seed
            Assert.False(CriticSeeds.CouldBeBench(seed));
        });
        Assert.True(CriticSeeds.CouldBeBench(SeedRanges.BenchSceneSeed(1, 12345)));
        Assert.True(CriticSeeds.CouldBeBench(SeedRanges.BenchSceneSeed(1023, 1L << 39)));
        Assert.Equal(0x0123456789ABCDEFUL, CriticSeeds.Unmix(SplitMix64.Mix(0x0123456789ABCDEFUL)));
    }

    [Fact]
    public void GroundedText_IsTheShownPartOfTheQuestion_ExactlyWhenTheCandidateShowsIt()
    {
        Assert.All(Examples, e =>
        {
            var shown = (e.Family, e.Kind) switch
            {
                (CriticExample.Presence, CandidateKind.Present) => true,
                (CriticExample.Edit, CandidateKind.Correct or CandidateKind.Noisy or CandidateKind.Blurred) => true,
                (CriticExample.Identity, CandidateKind.Correct or CandidateKind.Noisy or CandidateKind.Blurred) => true,
                _ => false,
            };
            Assert.Equal(shown, e.GroundedText is not null);
            if (e.GroundedText is { } text)
                Assert.Contains(text, e.Question, StringComparison.Ordinal);
            Assert.NotNull(e.CandidateScene);
            Assert.Equal(e.Reference is not null, e.ReferenceScene is not null);
        });
        // The scenes are what was rendered (degradations aside).
        var clean = Examples.First(e => e.Kind == CandidateKind.Correct);
        Assert.Equal(NpEdit.ShapesWorld.Rendering.Renderer.Render(clean.CandidateScene!, ShapesCriticData.ImageSize), clean.Candidate);
        Assert.Equal(NpEdit.ShapesWorld.Rendering.Renderer.Render(clean.ReferenceScene!, ShapesCriticData.ImageSize), clean.Reference);
    }

    /// <summary>
    /// The subject-answer loss reads the answer at the subject's last token: every question holds its subject, and
    /// within a family the text after it is the same, so the answer position sits a fixed distance after it.
    /// </summary>
    [Fact]
    public void Subject_IsInEveryQuestion_AndTheTextAfterItIsFixedPerFamily()
    {
        var tokenizer = new CriticWordTokenizer(ShapesCriticVocabulary.Words);
        foreach (var family in Examples.GroupBy(e => e.Family))
        {
            var tails = family.Select(e =>
            {
                Assert.NotNull(e.Subject);
                var (ids, words) = (tokenizer.Encode(e.Question), tokenizer.Encode(e.Subject!));
                var start = Enumerable.Range(0, ids.Length - words.Length + 1).LastOrDefault(s => ids.AsSpan(s, words.Length).SequenceEqual(words), -1);
                Assert.True(start >= 0, $"'{e.Subject}' is not in '{e.Question}'");
                return string.Join(' ', ids.Skip(start + words.Length));
            }).Distinct().ToArray();
            Assert.Single(tails);
        }
        Assert.Equal(Examples.Where(e => e.Family == CriticExample.Presence && e.AnswerIsYes).Select(e => e.GroundedText), Examples.Where(e => e.Family == CriticExample.Presence && e.AnswerIsYes).Select(e => e.Subject));
    }

    [Fact]
    public void Vocabulary_CoversTheQuestions()
    {
        var tokenizer = new CriticWordTokenizer(ShapesCriticVocabulary.Words);
        var unknown = Examples.SelectMany(e => tokenizer.Encode(e.Question)).Count(id => id == 1);
        Assert.Equal(0, unknown);
    }

    /// <summary>
    /// The scene caption names every object (colour and shape) of the held-out scenes after its cell, in reading order, in
    /// words the critic knows: the vocabulary was built from training-side sample scenes, so an unknown word here would be
    /// trained as &lt;unk&gt;.
    /// </summary>
    [Fact]
    public void SceneCaption_NamesEveryObject_InKnownWords()
    {
        var tokenizer = new CriticWordTokenizer(ShapesCriticVocabulary.Words);
        var scenes = ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(150).SelectMany(e => new[] { e.ReferenceScene, e.CandidateScene }).OfType<NpEdit.ShapesWorld.Scenes.Scene>().ToArray();
        foreach (var scene in scenes)
        {
            var caption = SceneCaption.Of(scene);
            Assert.DoesNotContain(1L, tokenizer.Encode(caption));
            // Every part ends with ". ": a cell is matched from the start of its part ("center" is also in "top center").
            var mentions = scene.Objects.OrderBy(o => o.Cell).Select(o => (". " + caption).IndexOf(
                $". {NpEdit.ShapesWorld.Scenes.Vocabulary.CellName(o.Cell)}: ", StringComparison.Ordinal)).ToArray();
            Assert.All(mentions, m => Assert.True(m >= 0, caption));
            Assert.Equal(mentions.Order(), mentions);
            Assert.All(scene.Objects, o => Assert.Contains($". {NpEdit.ShapesWorld.Scenes.Vocabulary.CellName(o.Cell)}: {NpEdit.ShapesWorld.Captions.Captioner.Article(NpEdit.ShapesWorld.Captions.Captioner.ObjectPhrase(o, withSize: true))}.", ". " + caption, StringComparison.Ordinal));
            Assert.Equal(caption, SceneCaption.Of(scene));
        }
        Assert.DoesNotContain(1L, tokenizer.Encode(SceneCaption.Request));
    }

    /// <summary>Name first: each object's phrase, then the cell it is in, in the same reading order; an unknown order is refused by name.</summary>
    [Fact]
    public void SceneCaption_NameFirst_PutsEachCellAfterItsObject()
    {
        var scene = Examples.Select(e => e.CandidateScene).OfType<NpEdit.ShapesWorld.Scenes.Scene>().First(s => s.Objects.Count >= 3);
        var caption = SceneCaption.Of(scene, SceneCaption.NameFirst);

        var entries = scene.Objects.OrderBy(o => o.Cell).Select(o =>
            $"{NpEdit.ShapesWorld.Captions.Captioner.Article(NpEdit.ShapesWorld.Captions.Captioner.ObjectPhrase(o, withSize: true))}: {NpEdit.ShapesWorld.Scenes.Vocabulary.CellName(o.Cell)}.").ToArray();
        Assert.StartsWith(entries[0], caption, StringComparison.Ordinal);
        Assert.Equal(entries.Select(e => caption.IndexOf(e, StringComparison.Ordinal)).Order(), entries.Select(e => caption.IndexOf(e, StringComparison.Ordinal)));
        Assert.DoesNotContain(1L, new CriticWordTokenizer(ShapesCriticVocabulary.Words).Encode(caption));
        Assert.Contains("caption_order", Assert.Throws<ArgumentException>(() => SceneCaption.Of(scene, "sideways")).Message);
        Assert.Contains("caption_order", Assert.Throws<ArgumentException>(() => new CriticPretrainConfig { CaptionOrder = "sideways" }.Validate()).Message);
    }

    [Fact]
    public void TrainingBatches_AskOnlyPresence_DuringThePresenceSteps_ThenEveryFamily_WithoutRepeats()
    {
        var config = new CriticPretrainConfig { PresenceSteps = 4, BatchSize = 6, Steps = 10 };
        var batches = Enumerable.Range(0, 8).Select(b => CriticTrainingBatches.YesNo(config, b)).ToArray();

        Assert.All(batches.Take(4), b => Assert.All(b, e => Assert.Equal(CriticExample.Presence, e.Family)));
        Assert.All(batches.Skip(4), b => Assert.Equal(CriticExample.Families.Order(), b.Select(e => e.Family).Distinct().Order()));
        var questions = batches.SelectMany(b => b).Select(e => (e.Question, Convert.ToBase64String(e.Candidate))).ToArray();
        Assert.Equal(questions.Length, questions.Distinct().Count());
        Assert.Throws<ArgumentException>(() => (config with { PresenceSteps = 11 }).Validate());
    }

    [Fact]
    public void TrainingBatches_AskOnlyEditVerification_DuringTheEditSteps_AfterThePresenceSteps()
    {
        var config = new CriticPretrainConfig { PresenceSteps = 2, EditSteps = 3, BatchSize = 6, Steps = 10, ContrastiveShare = 1 };
        var batches = Enumerable.Range(0, 8).Select(b => CriticTrainingBatches.YesNo(config, b)).ToArray();

        Assert.All(batches.Take(2), b => Assert.All(b, e => Assert.Equal(CriticExample.Presence, e.Family)));
        Assert.All(batches.Skip(2).Take(3), b => Assert.All(b, e => Assert.Equal(CriticExample.Edit, e.Family)));
        Assert.All(batches.Skip(5), b => Assert.Equal(CriticExample.Families.Order(), b.Select(e => e.Family).Distinct().Order()));
        // The edit steps read the edit questions from the stream's start; the mix starts past everything either stage read.
        var edits = Enumerable.Range(0, 18).Select(k => ShapesCriticData.Example(ShapesCriticData.TrainStream, 3L * k + 1, config.Sampling()).Question);
        Assert.Equal(edits, batches.Skip(2).Take(3).SelectMany(b => b).Select(e => e.Question));
        var questions = batches.SelectMany(b => b).Select(e => (e.Question, Convert.ToBase64String(e.Candidate))).ToArray();
        Assert.Equal(questions.Length, questions.Distinct().Count());
        // Contrastive pairs stay whole within an edit-only batch: consecutive questions about the same images.
        Assert.Contains(batches[2].Chunk(2), p => p[0].Candidate.AsSpan().SequenceEqual(p[1].Candidate) && p[0].AnswerIsYes != p[1].AnswerIsYes);
        // Without edit verification among the families the edit steps are skipped.
        Assert.All(CriticTrainingBatches.YesNo(config, 2, [CriticExample.Presence, CriticExample.Identity]), e => Assert.NotEqual(CriticExample.Edit, e.Family));
        Assert.Throws<ArgumentException>(() => (config with { EditSteps = 9 }).Validate());
        Assert.Throws<ArgumentException>(() => (config with { EditSteps = -1 }).Validate());
    }

    [Fact]
    public void IndexedBatches_AreTheChunksOfTheFilteredStream()
    {
        // The batch functions skip the stream's other families arithmetically; they must pick the very examples the
        // filtered, chunked stream does (the runs before the prefetcher read those), from any start.
        foreach (var (families, start) in new[] { (CriticExample.Families, 0L), (new[] { CriticExample.Presence }, 0L), (new[] { CriticExample.Edit, CriticExample.Identity }, 4L), (CriticExample.Families, 1_000_000L) })
        {
            var expected = ShapesCriticData.Stream(ShapesCriticData.TrainStream, start).Where(e => families.Contains(e.Family)).Take(12).Select(e => e.Question).ToArray();
            var batched = Enumerable.Range(0, 3).SelectMany(b => ShapesCriticData.Batch(ShapesCriticData.TrainStream, families, start, 4, b)).Select(e => e.Question).ToArray();
            Assert.Equal(expected, batched);
        }
        var config = new CriticPretrainConfig { PresenceSteps = 2, BatchSize = 3, Steps = 10 };
        var presence = ShapesCriticData.Stream(ShapesCriticData.TrainStream).Where(e => e.Family == CriticExample.Presence).Take(6).Select(e => e.Question);
        var mixed = ShapesCriticData.Stream(ShapesCriticData.TrainStream, 18).Take(6).Select(e => e.Question);
        Assert.Equal(presence.Concat(mixed), Enumerable.Range(0, 4).SelectMany(b => CriticTrainingBatches.YesNo(config, b)).Select(e => e.Question));
        Assert.Contains("presence, edit, identity", Assert.Throws<ArgumentException>(() => ShapesCriticData.IndexOf(["colour"], 0, 0)).Message);
    }

    [Fact]
    public void PrefetchedBatches_DoNotDependOnTheWorkerCount()
    {
        var config = new CriticPretrainConfig { BatchSize = 6 };
        string[] Render(int workers)
        {
            using var batches = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.YesNo(config, b), workers, count: 8);
            return [.. Enumerable.Range(0, 8).Select(_ => string.Join('|', batches.Next().Select(e => e.Question + Convert.ToBase64String(e.Candidate))))];
        }
        var inline = Render(0);
        Assert.Equal(inline, Render(1));
        Assert.Equal(inline, Render(4));
        Assert.Equal(8, inline.Distinct().Count());
    }

    [Fact]
    public void HeldOut_RenderedInParallel_IsTheHeldOutStreamInOrder()
    {
        var expected = ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(30).Select(e => e.Question + Convert.ToBase64String(e.Candidate));
        Assert.Equal(expected, CriticTrainingBatches.HeldOut(30, workers: 3).Select(e => e.Question + Convert.ToBase64String(e.Candidate)));
    }

    [Fact]
    public void ContrastivePairs_AskAboutTheSameImages_WithOneYesAndOneNo()
    {
        var sampling = new ShapesCriticSampling(ContrastiveShare: 1, HardNegativeShare: 1);
        var examples = Enumerable.Range(0, 72).Select(i => ShapesCriticData.Example(ShapesCriticData.TrainStream, i, sampling)).ToArray();
        foreach (var family in new[] { CriticExample.Presence, CriticExample.Edit })
        {
            var rows = examples.Where(e => e.Family == family).ToArray();
            var pairs = rows.Chunk(2).ToArray();
            Assert.Equal(12, pairs.Length);
            // An edit pair whose edit has no other to tell it from falls back to two ordinary questions; the rest are pairs.
            var contrastive = pairs.Where(p => p[0].Candidate.SequenceEqual(p[1].Candidate)).ToArray();
            Assert.InRange(contrastive.Length, 10, 12);
            Assert.All(contrastive, p =>
            {
                Assert.Equal(p[0].Reference, p[1].Reference);
                Assert.NotEqual(p[0].AnswerIsYes, p[1].AnswerIsYes);
                Assert.NotEqual(p[0].Subject, p[1].Subject);
            });
            Assert.Contains(contrastive, p => p[0].AnswerIsYes);
            Assert.Contains(contrastive, p => p[1].AnswerIsYes);
        }
        // The answers still follow the ground truth: a Yes names an object in the image or the edit the candidate shows.
        Assert.All(examples.Where(e => e.Family == CriticExample.Presence), e => Assert.Equal(e.AnswerIsYes, e.CandidateScene!.FindByName(e.Subject!) is not null));
        Assert.All(examples.Where(e => e.Family == CriticExample.Edit && e.Kind is CandidateKind.Correct or CandidateKind.WrongEdit), e =>
            Assert.Equal(e.AnswerIsYes, NpEdit.ShapesWorld.Edits.EditApplier.LooksSame(e.CandidateScene!, e.TargetScene!)));
        // Identity questions are drawn as in the held-out mix.
        Assert.All(Enumerable.Range(0, examples.Length).Where(i => i % 3 == 2), i =>
            Assert.Equal(ShapesCriticData.Example(ShapesCriticData.TrainStream, i).Candidate, examples[i].Candidate));
    }

    [Fact]
    public void HeldOutPairs_AreHeldOutPresenceAndEditPairs_WhereAnImageOnlyCriticScoresHalf()
    {
        var pairs = CriticTrainingBatches.HeldOutPairs(12, workers: 2);

        // Presence always pairs; an edit question without a second instruction falls back and its pair is dropped.
        Assert.Equal(12, pairs.Count(p => p.Family == CriticExample.Presence));
        Assert.InRange(pairs.Count(p => p.Family == CriticExample.Edit), 9, 12);
        Assert.DoesNotContain(pairs, p => p.Family == CriticExample.Identity);
        Assert.All(pairs, p =>
        {
            Assert.True(p.Yes.AnswerIsYes);
            Assert.False(p.No.AnswerIsYes);
            Assert.Equal(p.Yes.Candidate, p.No.Candidate);
            Assert.Equal(p.Yes.Reference, p.No.Reference);
            Assert.NotEqual(p.Yes.Question, p.No.Question);
        });
        // From the held-out stream: none of the training stream's first pairs shows the same images.
        var training = Enumerable.Range(0, 600).Select(i => ShapesCriticData.Example(ShapesCriticData.TrainStream, i, new ShapesCriticSampling(ContrastiveShare: 1)))
            .Select(e => Convert.ToHexString(e.Candidate)).ToHashSet();
        Assert.DoesNotContain(pairs, p => training.Contains(Convert.ToHexString(p.Yes.Candidate)));
        static string Print(CriticQuestionPair p) => p.Yes.Question + p.No.Question + Convert.ToHexString(p.Yes.Candidate);
        Assert.Equal(pairs.Select(Print), CriticTrainingBatches.HeldOutPairs(12, workers: 0).Select(Print));
        Assert.Equal(pairs.Where(p => p.Family == CriticExample.Edit).Select(Print), CriticTrainingBatches.HeldOutPairs(12, workers: 1, [CriticExample.Edit, CriticExample.Identity]).Select(Print));

        // Whatever a critic makes of the images alone, it gives both questions of a pair the same margin: one right each.
        static float ImageOnly(CriticExample e) => (e.Candidate.Sum(b => (int)b) + (e.Reference?.Sum(b => (int)b) ?? 0)) % 3 - 1f;
        var imageOnly = PairAccuracy.Compute(pairs, [.. pairs.Select(p => ImageOnly(p.Yes))], [.. pairs.Select(p => ImageOnly(p.No))]);
        var alwaysYes = PairAccuracy.Compute(pairs, [.. pairs.Select(_ => 1f)], [.. pairs.Select(_ => 1f)]);
        var reads = PairAccuracy.Compute(pairs, [.. pairs.Select(_ => 2f)], [.. pairs.Select(_ => -2f)]);
        foreach (var family in new[] { CriticExample.Presence, CriticExample.Edit })
        {
            Assert.InRange(imageOnly[PairAccuracy.AccuracyKey(family)], 0, 0.5);
            Assert.Equal(0, imageOnly[PairAccuracy.BothRightKey(family)]);
            Assert.Equal((0.5, 0.0), (alwaysYes[PairAccuracy.AccuracyKey(family)], alwaysYes[PairAccuracy.BothRightKey(family)]));
            Assert.Equal((1.0, 1.0), (reads[PairAccuracy.AccuracyKey(family)], reads[PairAccuracy.BothRightKey(family)]));
        }
        // A margin of exactly 0 answers neither way, as in the held-out mix.
        Assert.Equal(0, PairAccuracy.Compute(pairs, [.. pairs.Select(_ => 0f)], [.. pairs.Select(_ => 0f)])[PairAccuracy.AccuracyKey(CriticExample.Presence)]);
        Assert.Throws<ArgumentException>(() => PairAccuracy.Compute(pairs, [1f], [1f]));
    }

    [Fact]
    public void HardNegatives_AreOneAttributeOff_AnObjectInTheImage()
    {
        // Every hard negative keeps the colour or the shape of an object shown and is itself absent; random absent names
        // are that close only by chance (about half of them with these scenes).
        int NearMisses(double share)
        {
            var sampling = new ShapesCriticSampling(HardNegativeShare: share);
            var near = 0;
            for (ulong seed = 1; seed <= 200; seed++)
            {
                var scene = NpEdit.ShapesWorld.Scenes.SceneSampler.Sample(seed);
                var rng = new SplitMix64(seed);
                var name = ShapesCriticData.AbsentName(scene, sampling, ref rng);
                Assert.Null(scene.FindByName(name));
                near += scene.Objects.Any(o => name.StartsWith(NpEdit.ShapesWorld.Scenes.Vocabulary.Color(o.Color) + " ", StringComparison.Ordinal)
                    || name.EndsWith(" " + NpEdit.ShapesWorld.Scenes.Vocabulary.Shape(o.Shape), StringComparison.Ordinal)) ? 1 : 0;
            }
            return near;
        }
        Assert.Equal(200, NearMisses(1));
        Assert.InRange(NearMisses(0), 40, 170);

        // Off, they draw nothing extra: the name and the generator's state are those of the plain draw, so the held-out
        // mix keeps the questions of the runs before hard negatives existed.
        var scene = NpEdit.ShapesWorld.Scenes.SceneSampler.Sample(7);
        var (viaSampling, plain) = (new SplitMix64(7), new SplitMix64(7));
        var name = ShapesCriticData.AbsentName(scene, ShapesCriticSampling.HeldOut, ref viaSampling);
        NpEdit.ShapesWorld.Edits.ObjectRef expected;
        do
            expected = new(plain.Pick(Enum.GetValues<NpEdit.ShapesWorld.Scenes.NamedColor>()), plain.Pick(Enum.GetValues<NpEdit.ShapesWorld.Scenes.ShapeKind>()));
        while (scene.FindByName(expected.Name) is not null);
        Assert.Equal(expected.Name, name);
        Assert.Equal(plain.NextUInt64(), viaSampling.NextUInt64());
        Assert.Contains("contrastive_share", Assert.Throws<ArgumentException>(() => new CriticPretrainConfig { ContrastiveShare = 1.5 }.Validate()).Message);
    }
}
