using System.Diagnostics;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Losses;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Optimization;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// NP-Edit training (paper Algorithm 1). G_θ (the editor, with reference tokens), A_φ (the auxiliary fake-score
/// model) and the frozen teacher all start as copies of G_init; the text encoder is frozen and shared. Each
/// <see cref="Step"/> is either the identity warmup, the supervised baseline (<c>objective: sft</c>), or the
/// editing step: unrolled few-step generation, λ_VLM·L_VLM + λ_DMD·L_DMD (+ do-nothing L2), then N_aux updates of
/// A_φ. Randomness is counter-based (<see cref="StepSeeds"/>), so the state to checkpoint is the weights, the
/// optimizers and the step.
/// </summary>
public sealed class NpEditTrainer : IDisposable
{
    private readonly NpEditConfig config;
    private readonly DiT generator;        // G_θ
    private readonly DiT auxiliary;        // A_φ
    private readonly DiT teacher;          // frozen G_init
    private readonly ShapesTextEncoder text;
    private readonly GeneratorConfig initConfig;
    private readonly IEditCritic? critic;
    private readonly IAutoencoder autoencoder;
    private readonly Device device;
    private readonly Parameter[] generatorParameters;
    private readonly Parameter[] auxiliaryParameters;
    private readonly ScalarType computeType;
    private readonly IAdamOptimizer generatorOptimizer;   // under bf16 it holds fp32 masters of the bf16 weights
    private readonly IAdamOptimizer auxiliaryOptimizer;
    private readonly double[] unrollTimes;

    /// <param name="config">The resolved training config.</param>
    /// <param name="init">G_init as loaded (DiT, text encoder, config); copied, never modified.</param>
    /// <param name="critic">The frozen VLM critic; required when the objective uses L_VLM.</param>
    /// <param name="device">Where to train; null means the CPU.</param>
    /// <param name="initEditor">An SFT editor's DiT to start G_θ from ("SFT + ours", Table 4); null starts from G_init.</param>
    /// <param name="autoencoder">Image ↔ model space; null means pixels.</param>
    public NpEditTrainer(NpEditConfig config, (DiT DiT, ShapesTextEncoder Text, GeneratorConfig Config) init, IEditCritic? critic,
        Device? device = null, DiT? initEditor = null, IAutoencoder? autoencoder = null)
    {
        this.config = config;
        this.critic = critic;
        this.device = device ?? CPU;
        this.autoencoder = autoencoder ?? new IdentityAutoencoder();
        if (UsesVlm && critic is null)
            throw new ArgumentException($"loss.objective '{config.Loss.Objective}' needs a VLM critic (critic.checkpoint); use objective only_dmd to train without one.");
        var editorShape = init.DiT.Config with { ReferenceChannels = config.Generator.ReferenceChannels };
        if (initEditor is not null && initEditor.Config != editorShape)
            throw new ArgumentException(initEditor.Config with { ReferenceChannels = editorShape.ReferenceChannels } == editorShape
                ? $"generator.init_editor was trained with reference_channels {initEditor.Config.ReferenceChannels.ToString().ToLowerInvariant()}; set generator.reference_channels to the same."
                : "generator.init_editor has a different DiT shape than generator.init; both must come from the same preset.");
        initConfig = init.Config;

        // Algorithm 1, line 1: G_θ ← G_init (or the SFT editor), A_φ ← G_init; the teacher is a frozen G_init.
        generator = initEditor is null ? Copy(init.DiT, editorShape) : Copy(initEditor);
        auxiliary = Copy(init.DiT);
        teacher = Copy(init.DiT);
        text = new ShapesTextEncoder(init.Text.Config, init.Config.Vocabulary);
        text.load_state_dict(init.Text.state_dict());
        // Move before building the optimizers: module.to() replaces Parameter objects (TorchSharp #1455).
        foreach (var module in new nn.Module[] { generator, auxiliary, teacher, text })
            module.to(this.device);
        Freeze(teacher);
        Freeze(text);
        computeType = config.Run.Precision == Precision.Bf16 ? bfloat16 : float32;
        if (computeType != float32)
            teacher.to(computeType);
        var o = config.Optim;
        (generatorParameters, generatorOptimizer) = Optimize(generator, new AdamSettings(o.Lr, o.Beta1, o.Beta2));
        (auxiliaryParameters, auxiliaryOptimizer) = Optimize(auxiliary, new AdamSettings(o.AuxLr, o.Beta1, o.Beta2));
        unrollTimes = FewStepSampler.Grid(config.Schedule.SamplerSteps);
        Guard = new NonFiniteGuard(config.Run.MaxNonFiniteInARow);
    }

    /// <summary>Steps done (warmup included).</summary>
    public long StepsDone { get; private set; }

    /// <summary>Skipped-step bookkeeping.</summary>
    public NonFiniteGuard Guard { get; }

    /// <summary>G_θ.</summary>
    public DiT Generator => generator;

    /// <summary>A_φ.</summary>
    public DiT Auxiliary => auxiliary;

    /// <summary>G_θ's optimizer (tests check what it holds).</summary>
    internal IAdamOptimizer GeneratorOptimizer => generatorOptimizer;

    /// <summary>The frozen teacher.</summary>
    public DiT Teacher => teacher;

    /// <summary>The frozen text encoder shared by the three DiTs.</summary>
    public ShapesTextEncoder TextEncoder => text;

    /// <summary>Side of the images the DiT works on.</summary>
    public int ImageSize => generator.Config.ImageSize * autoencoder.DownsampleFactor;

    public Device Device => device;

    /// <summary>True while the step about to run is an identity-warmup step.</summary>
    public bool InWarmup => config.Loss.Objective != Objective.Sft && StepsDone < config.Schedule.WarmupSteps;

    private bool UsesVlm => config.Loss.Objective is Objective.Full or Objective.OnlyVlm;
    private bool UsesDmd => config.Loss.Objective is Objective.Full or Objective.OnlyDmd;

    /// <summary>
    /// One step of Algorithm 1 on <paramref name="batch"/>: the identity warmup for the first N_warmup steps, then
    /// the editing step followed by the A_φ updates. Returns the step's logs.
    /// </summary>
    public IReadOnlyDictionary<string, double> Step(EditBatch batch)
    {
        if (config.Loss.Objective == Objective.Sft)
            throw new InvalidOperationException("objective sft trains on ground-truth pairs: call SftStep.");
        using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        Dictionary<string, double> logs;
        generatorOptimizer.LearningRate = InWarmup && config.Optim.WarmupLr > 0 ? config.Optim.WarmupLr : config.Optim.Lr;
        if (InWarmup)
        {
            logs = IdentityWarmupStep(batch);
        }
        else
        {
            logs = GeneratorStep(batch);
            if (UsesDmd)
                foreach (var (key, value) in AuxiliaryUpdates(batch))
                    logs[key] = value;
        }
        return Finish(logs, watch);
    }

    /// <summary>The supervised baseline: the flow loss toward ShapesWorld's ground-truth target, G_θ(x_t, t, c, y).</summary>
    public IReadOnlyDictionary<string, double> SftStep(Tensor inputs, Tensor targets, IReadOnlyList<string> instructions)
    {
        using var gc = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        generator.train();
        using var g = NewGenerator(StepSeeds.Sft);
        var y = autoencoder.Encode(inputs.to(float32, device));
        var x = autoencoder.Encode(targets.to(float32, device));
        var c = Encode(instructions);
        var t = SeededNoise.Rand([x.shape[0]], g, device);                                    // t ~ U(0, 1)
        var noise = SeededNoise.Randn(x.shape, g, device);
        var v = Call(generator, FlowMatching.Interpolate(x, noise, t), t, c, y);
        var terms = FlowMatchingLoss.Compute(v, x, noise, "sft");
        var logs = new Dictionary<string, double>(terms.Logs) { ["loss/total"] = terms.Loss.item<float>() };
        Merge(logs, InstructionCoverage(instructions));
        logs["grad_norm/generator"] = Update(terms.Loss, generatorOptimizer, config.Optim.GradClip, logs);
        return Finish(logs, watch);
    }

    /// <summary>
    /// Warmup (Algorithm 1): reconstruct y from noise under its caption c^y with y as the reference,
    /// ‖(ε − y) − G_θ(x_t, t, c^y, y)‖², so G_θ first learns to use its new reference tokens.
    /// </summary>
    private Dictionary<string, double> IdentityWarmupStep(EditBatch batch)
    {
        generator.train();
        using var g = NewGenerator(StepSeeds.Warmup);
        var y = autoencoder.Encode(batch.References);
        var cy = Encode(batch.Examples.Select(e => e.Sample.SourceCaption).ToArray());
        var t = SeededNoise.Rand([y.shape[0]], g, device);                                    // t ~ U(0, 1)
        var noise = SeededNoise.Randn(y.shape, g, device);
        var v = Call(generator, FlowMatching.Interpolate(y, noise, t), t, cy, y);
        var terms = FlowMatchingLoss.Compute(v, y, noise, "warmup");
        var logs = new Dictionary<string, double>(terms.Logs) { ["loss/total"] = terms.Loss.item<float>(), ["phase/warmup"] = 1 };
        logs["grad_norm/generator"] = Update(terms.Loss, generatorOptimizer, config.Optim.GradClip, logs);
        return logs;
    }

    /// <summary>
    /// The editing step of Algorithm 1: x = G_θ unrolled from noise (gradients through both passes), then
    /// λ_VLM·L_VLM + λ_DMD·L_DMD, plus the do-nothing L2 on the ~1% of samples whose instruction became "do nothing".
    /// Only G_θ's optimizer steps; A_φ and the teacher run without gradients.
    /// </summary>
    internal Dictionary<string, double> GeneratorStep(EditBatch batch)
    {
        generator.train();
        var samples = batch.Examples.Select(e => e.Sample).ToArray();
        var n = samples.Length;
        var loss = config.Loss;
        var y = autoencoder.Encode(batch.References);                                         // (N, C, H, W)
        var doNothing = DrawDoNothing(n);
        var instructions = samples.Select((s, i) => doNothing[i] ? loss.DoNothingInstruction : s.Instruction).ToArray();
        var c = Encode(instructions);
        var t = DrawUnrollTime();
        using var g = NewGenerator(StepSeeds.Noise);
        var x = Unroll(SeededNoise.Randn(y.shape, g, device), t, c, y, g).X0;                 // G_θ(ε, …), one or two passes

        var logs = new Dictionary<string, double>(InstructionCoverage(instructions)) { ["unroll/t"] = t, ["do_nothing/count"] = doNothing.Count(d => d) };
        var edit = Enumerable.Range(0, n).Where(i => !doNothing[i]).ToArray();
        Tensor total = zeros([], device: device);
        if (edit.Length > 0)
        {
            var xe = Select(x, edit);
            var editSamples = edit.Select(i => samples[i]).ToArray();
            if (UsesVlm)
            {
                var vlm = CriticLoss.Compute(critic!, Select(batch.References, edit), autoencoder.Decode(xe), editSamples,
                    config.Critic.IdentityQuestion, loss.VlmLoss, VlmLoss.LogitScale(StepsDone - config.Schedule.WarmupSteps, loss.LogitScaleStart, loss.LogitScaleRampSteps));
                total = total + loss.LambdaVlm * vlm.Loss;
                Merge(logs, vlm.Logs);
            }
            if (UsesDmd)
            {
                // λ_DMD is per task (customization: 2, App. E.2); each task's mean is weighted by its share.
                foreach (var task in edit.Select((i, row) => (Row: row, Task: samples[i].Task)).GroupBy(r => r.Task))
                {
                    var rows = task.Select(r => r.Row).ToArray();
                    var lambda = task.Key == EditTask.Customization ? loss.LambdaDmdCustomization : loss.LambdaDmd;
                    var dmd = DistributionMatching(Select(xe, rows), rows.Select(r => editSamples[r]).ToArray());
                    total = total + lambda * rows.Length / edit.Length * dmd.Loss;
                    Merge(logs, dmd.Logs);
                }
            }
        }
        var nothing = Enumerable.Range(0, n).Where(i => doNothing[i]).ToArray();
        if (nothing.Length > 0)
        {
            var dn = DoNothingLoss.Compute(Select(x, nothing), Select(y, nothing));
            total = total + loss.LambdaDoNothing * dn.Loss;
            Merge(logs, dn.Logs);
        }
        logs["loss/total"] = total.item<float>();
        logs["grad_norm/generator"] = total.requires_grad
            ? Update(total, generatorOptimizer, config.Optim.GradClip, logs)
            : 0;
        return logs;
    }

    /// <summary>
    /// The few-step generator's training pass (Algorithm 1, line 3): x̂0 = ε − G_θ(ε, 1, c, y); if t &lt; 1, re-noise
    /// x̂0 to t with fresh noise and take a second pass x0 = x̂_t − t·G_θ(x̂_t, t, c, y). No stop-gradient anywhere,
    /// so gradients reach both passes.
    /// </summary>
    internal (Tensor FirstPass, Tensor X0) Unroll(Tensor noise, double t, TextEncoding c, Tensor y, Generator g)
    {
        var n = noise.shape[0];
        var one = ones(n, device: device);
        var first = FlowMatching.PredictX0(noise, one, Pass(noise, one, c, y));                   // (N, C, H, W)
        if (t >= 1.0)
            return (first, first);
        var tt = full(n, t, device: device);
        var xt = FlowMatching.Interpolate(first, SeededNoise.Randn(noise.shape, g, device), tt);   // fresh ε′
        return (first, FlowMatching.PredictX0(xt, tt, Pass(xt, tt, c, y)));
    }

    /// <summary>One G_θ pass; with run.activation_checkpointing its activations are recomputed in the backward.</summary>
    private Tensor Pass(Tensor x, Tensor t, TextEncoding c, Tensor y) =>
        config.Run.ActivationCheckpointing && is_grad_enabled()
            ? CheckpointedPass.Apply(xi => Call(generator, xi, t, c, y), x, generatorParameters)
            : Call(generator, x, t, c, y);

    /// <summary>
    /// DMD in x0 form (§1.5 of the method notes): x_t from the generator output without gradient at t ~ U[0.02, 0.98];
    /// the teacher predicts x̂0_real with CFG against the negative prompt (7.5 for the hard types, else 3.5) and
    /// A_φ predicts x̂0_fake without CFG, both prompted with the edited caption c^x.
    /// </summary>
    private LossTerms DistributionMatching(Tensor x, IReadOnlyList<EditSample> samples)
    {
        var loss = config.Loss;
        Tensor x0Real, x0Fake;
        using (no_grad())
        {
            // Its own scope: the three no-grad DiT passes' tensors are freed before the generator's backward.
            using var scope = NewDisposeScope();
            using var g = NewGenerator(StepSeeds.Dmd);
            var n = x.shape[0];
            var t = SeededNoise.Rand([n], g, device) * (loss.DmdTMax - loss.DmdTMin) + loss.DmdTMin;  // (N,)
            var xt = FlowMatching.Interpolate(x.detach(), SeededNoise.Randn(x.shape, g, device), t);
            var cx = EncodeAsInit(samples.Select(TeacherPrompt).ToArray());
            var negative = EncodeAsInit(Enumerable.Repeat(loss.NegativePrompt, (int)n).ToArray());
            var scale = tensor(samples.Select(s => (float)(loss.HardEditTypes.Contains(s.EditType) ? loss.GuidanceScaleHard : loss.GuidanceScale)).ToArray(),
                device: device).view(-1, 1, 1, 1);                                                            // (N, 1, 1, 1)
            teacher.eval();
            auxiliary.eval();
            var vCond = Call(teacher, xt, t, cx, null);
            var vNeg = Call(teacher, xt, t, negative, null);
            x0Real = FlowMatching.PredictX0(xt, t, vNeg + scale * (vCond - vNeg));                           // teacher, CFG
            x0Fake = FlowMatching.PredictX0(xt, t, Call(auxiliary, xt, t, cx, null));                       // A_φ, no CFG
            x0Real.MoveToOuterDisposeScope();
            x0Fake.MoveToOuterDisposeScope();
        }
        return DistributionMatchingLoss.Compute(x, x0Real, x0Fake);
    }

    /// <summary>
    /// N_aux updates of A_φ (DMD2's two time-scale rule): regenerate x0 with G_θ (no gradient) from fresh noise,
    /// re-noise at t ~ U(0, 1), and fit A_φ(x_t, t, c^x) to ε − x0 with the flow loss. Only A_φ's optimizer steps.
    /// </summary>
    internal Dictionary<string, double> AuxiliaryUpdates(EditBatch batch)
    {
        var samples = batch.Examples.Select(e => e.Sample).ToArray();
        var y = autoencoder.Encode(batch.References);
        var c = Encode(samples.Select(s => s.Instruction).ToArray());
        var cx = EncodeAsInit(samples.Select(TeacherPrompt).ToArray());
        var losses = new List<double>();
        var norms = new List<double>();
        using var g = NewGenerator(StepSeeds.Aux);
        for (var k = 0; k < config.Schedule.AuxUpdates; k++)
        {
            using var scope = NewDisposeScope();
            Tensor x0;
            using (no_grad())
            {
                generator.eval();
                x0 = Unroll(SeededNoise.Randn(y.shape, g, device), DrawUnrollTime(k + 1), c, y, g).X0;
            }
            auxiliary.train();
            var t = SeededNoise.Rand([x0.shape[0]], g, device);
            var noise = SeededNoise.Randn(x0.shape, g, device);
            var v = Call(auxiliary, FlowMatching.Interpolate(x0, noise, t), t, cx, null);
            var terms = FlowMatchingLoss.Compute(v, x0, noise, "aux");
            var sink = new Dictionary<string, double>();
            norms.Add(Update(terms.Loss, auxiliaryOptimizer, config.Optim.GradClip, sink, "aux"));
            losses.Add(terms.Logs["loss/aux"]);
        }
        return losses.Count == 0
            ? []
            : new Dictionary<string, double> { ["loss/aux"] = losses.Average(), ["grad_norm/aux"] = norms.Average() };
    }

    /// <summary>
    /// Edits <paramref name="references"/> with the few-step sampler (t = 1, 0.75, … for the configured steps);
    /// returns (N, 3, S, S) in [−1, 1] on the CPU.
    /// </summary>
    public Tensor Edit(Tensor references, IReadOnlyList<string> instructions, long seed)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        generator.eval();
        var y = autoencoder.Encode(references.to(float32, device));
        var c = Encode(instructions);
        using var g = SeededNoise.NewGenerator((ulong)seed);
        var x0 = FewStepSampler.Sample((x, t) => Call(generator, x, t, c, y),
            SeededNoise.Randn(y.shape, g, device), config.Schedule.SamplerSteps, generator: g);
        return autoencoder.Decode(x0).clamp(-1, 1).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Writes G_θ (with the text encoder, loadable by <see cref="GeneratorCheckpoint"/>), A_φ, both optimizers and the step into <paramref name="directory"/>.</summary>
    public void Save(string directory) =>
        TrainingCheckpoint.Save(directory, this, generatorOptimizer, auxiliaryOptimizer, EditorConfig with { Step = StepsDone }, initConfig with { Step = StepsDone });

    /// <summary>G_init's config with G_θ's shape (generator.reference_channels) and how it reads text (generator.hash_unknown_words).</summary>
    private GeneratorConfig EditorConfig => initConfig with
    {
        DiT = generator.Config,
        Text = initConfig.Text with { HashUnknownWords = config.Generator.HashUnknownWords },
    };

    /// <summary>Restores what <see cref="Save"/> wrote; the teacher and the text encoder stay G_init's.</summary>
    public void Load(string directory)
    {
        var state = TrainingCheckpoint.Load(directory, this, generatorOptimizer, auxiliaryOptimizer);
        StepsDone = state.Step;
        Guard.Skipped = state.SkippedSteps;
        Guard.InARow = state.NonFiniteInARow;
    }

    /// <summary>
    /// Backward, gradient norm (clipped when configured), non-finite guard, optimizer step. Under bf16 the optimizer
    /// upcasts the compute copy's gradients into its fp32 masters, steps them, and the copy takes their new values.
    /// </summary>
    private double Update(Tensor loss, IAdamOptimizer optimizer, double clip, Dictionary<string, double> logs, string name = "generator")
    {
        optimizer.ZeroGrad();
        loss.backward();
        var norm = optimizer.ClipGradNorm(clip);
        if (Guard.Check(StepsDone, ($"loss ({name})", loss.item<float>()), ($"grad_norm ({name})", norm)))
        {
            optimizer.Step();
        }
        else
        {
            optimizer.ZeroGrad();
            logs["skipped"] = 1;
        }
        return norm;
    }

    private Dictionary<string, double> Finish(Dictionary<string, double> logs, Stopwatch watch)
    {
        StepsDone++;
        logs.TryAdd("skipped", 0);
        logs["skipped/total"] = Guard.Skipped;
        logs["time/step_s"] = watch.Elapsed.TotalSeconds;
        return logs;
    }

    /// <summary>The unroll time t: 1 during the single-step phase or under the single-step policy, else uniform over the sampler grid.</summary>
    private double DrawUnrollTime(int stream = 0)
    {
        var mainStep = StepsDone - config.Schedule.WarmupSteps;
        if (config.Schedule.Unroll == UnrollPolicy.SingleStep || mainStep < config.Schedule.SingleStepSteps)
            return 1.0;
        var rng = StepSeeds.Scalars(config.Run.Seed, StepsDone * 1024 + stream, StepSeeds.Unroll);
        var times = config.Schedule.Unroll == UnrollPolicy.TwoPass ? unrollTimes.Where(t => t < 1.0).ToArray() : unrollTimes;
        return times[rng.Next(times.Length)];
    }

    /// <summary>
    /// c^x as the teacher and A_φ read it (loss.teacher_caption): as written, or in G_init's compact form — with the
    /// render style when G_init was pretrained on every style (its stored data.flat_only is false), since such a G_init
    /// reads a compact caption without a style as a flat scene.
    /// </summary>
    internal string TeacherPrompt(EditSample sample) =>
        config.Loss.TeacherCaption == TeacherCaption.Compact
            ? CompactCaptionRewriter.Rewrite(sample.EditedCaption, keepStyle: InitKnowsStyles)
            : sample.EditedCaption;

    /// <summary>True when G_init's stored pretraining config says it saw every render style (data.flat_only: false).</summary>
    private bool InitKnowsStyles => initConfig.Training?["data"]?["flat_only"]?.GetValue<bool>() == false;

    /// <summary>Which samples become the do-nothing task (probability loss.do_nothing_probability each).</summary>
    internal bool[] DrawDoNothing(int n)
    {
        var rng = StepSeeds.Scalars(config.Run.Seed, StepsDone, StepSeeds.DoNothing);
        return Enumerable.Range(0, n).Select(_ => rng.Chance(config.Loss.DoNothingProbability)).ToArray();
    }

    private torch.Generator NewGenerator(ulong purpose) => SeededNoise.NewGenerator(StepSeeds.For(config.Run.Seed, StepsDone, purpose));

    /// <summary>One DiT call in the compute dtype: inputs cast to it, the velocity back to fp32 (losses stay fp32).</summary>
    private Tensor Call(DiT model, Tensor x, Tensor t, TextEncoding c, Tensor? y) =>
        computeType == float32
            ? model.call(x, t, c.Tokens, c.Mask, y)
            : model.call(x.to(computeType), t, c.Tokens.to(computeType), c.Mask, y?.to(computeType)).to(float32);

    /// <summary>
    /// The optimizer of <paramref name="module"/> (optim.implementation). Under bf16 the fp32 weights become its
    /// masters and the module itself is cast to bf16, so the masters keep G_init's full precision.
    /// </summary>
    private (Parameter[] Parameters, IAdamOptimizer Optimizer) Optimize(DiT module, AdamSettings settings)
    {
        using var scope = NewDisposeScope();
        Tensor[]? masters = null;
        if (computeType != float32)
        {
            masters = [.. module.parameters().Select(p => p.detach().clone())];
            module.to(computeType);          // replaces the Parameter objects (TorchSharp #1455): build the optimizer after it
        }
        var parameters = module.parameters().ToArray();
        return (parameters, AdamOptimizers.Create(config.Optim.Implementation, parameters, settings, masters));
    }

    /// <summary>Text as G_θ reads it (instructions, and c^y in the warmup).</summary>
    private TextEncoding Encode(IReadOnlyList<string> captions)
    {
        using var _ = no_grad();
        return text.Encode(captions, device, config.Generator.HashUnknownWords);
    }

    /// <summary>
    /// What G_init's tokenizer makes of the batch's instructions: the share of their words it does not know (each read as
    /// UNK or, with generator.hash_unknown_words, as its own fixed vector) and the share of instructions cut at its
    /// max_tokens. A real text encoder knows every word; ours knows G_init's captions, so these say how much of an
    /// instruction G_θ can read at all.
    /// </summary>
    private Dictionary<string, double> InstructionCoverage(IReadOnlyList<string> instructions)
    {
        var (words, unknown, truncated) = text.Tokenizer.Coverage(instructions);
        return new Dictionary<string, double>
        {
            ["text/unknown_word_share"] = words == 0 ? 0 : (double)unknown / words,
            ["text/truncated_share"] = instructions.Count == 0 ? 0 : (double)truncated / instructions.Count,
        };
    }

    /// <summary>Text as the frozen teacher and A_φ read it: exactly as G_init does.</summary>
    private TextEncoding EncodeAsInit(IReadOnlyList<string> captions)
    {
        using var _ = no_grad();
        return text.Encode(captions, device, initConfig.Text.HashUnknownWords);
    }

    private Tensor Select(Tensor x, int[] rows) =>
        rows.Length == x.shape[0] ? x : x.index_select(0, tensor(rows.Select(r => (long)r).ToArray(), device: x.device));

    private static void Merge(Dictionary<string, double> logs, IReadOnlyDictionary<string, double> more)
    {
        foreach (var (key, value) in more)
            logs[key] = value;
    }

    private static DiT Copy(DiT source) => Copy(source, source.Config);

    /// <summary>A DiT of <paramref name="shape"/> holding <paramref name="source"/>'s weights; parts the source lacks (the editor's reference channels) keep their zero initialisation.</summary>
    private static DiT Copy(DiT source, DiTConfig shape)
    {
        var copy = new DiT(shape);
        var (missing, unexpected) = copy.load_state_dict(source.state_dict(), strict: false);
        var added = shape.ReferenceChannels && !source.Config.ReferenceChannels;
        if (unexpected.Count > 0 || missing.Any(key => !(added && key.StartsWith("ref_channels.", StringComparison.Ordinal))))
            throw new InvalidOperationException($"G_init's weights do not fit the editor: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
        return copy;
    }

    private static void Freeze(nn.Module module)
    {
        module.eval();
        foreach (var p in module.parameters())
            p.requires_grad = false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        generatorOptimizer.Dispose();
        auxiliaryOptimizer.Dispose();
        generator.Dispose();
        auxiliary.Dispose();
        teacher.Dispose();
        text.Dispose();
    }
}
