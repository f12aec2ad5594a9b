// G_init pretraining without a database, for the GPU machine (it has no PostgreSQL, so 'npedit pretrain t2i' cannot run
// there): the real T2IPretrainer with the same config record as the CLI (T2IPretrainJobConfig: an experiment yaml plus
// --set overrides, unknown keys are errors), on the ShapesWorld set the config's corpus would give, rendered in memory
// on every core. Time-limited: a checkpoint in the pretrainer's own format (step-N/generator.safetensors + its
// .config.json, what generator.init and 'npedit eval g-init --checkpoint' read) is written every --save-every steps,
// at every evaluation, at the end and on SIGTERM/SIGINT, so a run stopped by `timeout` still leaves one.
//
//   NPEDIT_TORCH_THREADS=1 dotnet run -c Release --project bench/T2ILab -- --config experiments/e002-pretrain-shapes-s-gpu.yaml \
//       [--set key=value]... [--device cpu|cuda|auto] [--seconds N] [--out DIR] [--save-every 1000] [--keep-every 5000]
//       [--oracle-scenes 200] [--render-threads N] [--log-every 100] [--reserve 20] [--no-fit] [--no-tf32] [--resume]
//
// With --seconds the schedule is fitted to the time at the end of the warm-up (see below; --no-fit keeps `steps`), so
// the cosine decay ends before the limit less --reserve seconds (the final checkpoint and evaluation).
//
// At every eval.every steps and at the end it prints the colour proxy (CaptionAgreement, the job's own evaluation) and
// the ShapesWorld oracle's reading (GInitEvaluation, as 'npedit eval g-init': colour, shape, cell, background, pooled
// attribute agreement next to the true-render ceiling). The last line is one JSON object (bench/gpu/session.sh ginit).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Evaluator.GInit;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

string? Option(string name) => args.Select((a, i) => (a, i)).Where(p => p.a == "--" + name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).LastOrDefault();
int Integer(string name, int fallback) => Option(name) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;
string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

try
{
    var sets = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToArray();
    var resolved = ConfigLoader.Load<T2IPretrainJobConfig>(Option("config"), sets);
    var config = resolved.Value;
    var seconds = Option("seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : double.PositiveInfinity;
    var output = Path.GetFullPath(Option("out") ?? "t2ilab-out");
    var saveEvery = Integer("save-every", 1000);
    var keepEvery = Integer("keep-every", 5000);
    var oracleScenes = Integer("oracle-scenes", 200);
    var logEvery = Integer("log-every", 100);
    if (saveEvery < 1 || keepEvery < 1 || logEvery < 1 || oracleScenes < 0)
        throw new ArgumentException("--save-every, --keep-every and --log-every must be at least 1, --oracle-scenes at least 0.");
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource();
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

    var selection = TorchRuntime.Initialize(DeviceSpec.Parse(Option("device") ?? "cpu"));
    var device = selection.Device;
    // TF32 matmuls on CUDA (PyTorch's default for convolutions, off for matmuls since 1.12): fp32 matmuls are most of a
    // shapes-s step at batch 512, and TF32 runs them on the tensor cores at a 10-bit mantissa; --no-tf32 keeps full fp32.
    var tf32 = device.type == TorchSharp.DeviceType.CUDA && !args.Contains("--no-tf32");
    if (tf32)
    {
        backends.cuda.matmul.allow_tf32 = true;
        backends.cudnn.allow_tf32 = true;
    }
    var trainerConfig = config.ToTrainerConfig();
    var resolution = trainerConfig.Model.DiT.ImageSize;
    Console.WriteLine($"config: {Option("config") ?? "(defaults)"} {string.Join(' ', sets.Select(x => "--set " + x))}");
    Console.WriteLine($"device {device} ({selection.Reason}{(tf32 ? ", TF32 matmuls" : "")}), {get_num_threads()} torch threads, {Environment.ProcessorCount} cores; " +
                      $"{config.Preset}, {config.Steps} steps at batch {config.Data.BatchSize}, lr {config.LearningRate}, ema {config.EmaDecay}, limit {seconds} s");

    var render = Stopwatch.StartNew();
    using var cpuData = config.Data.Corpus is { } corpus
        ? await ShapesImageSet.LoadAsync(corpus, resolution, config.Data)
        : ShapesImageSet.Generate(config.Data, resolution, Integer("render-threads", -1), stop.Token);
    using var data = device.type == TorchSharp.DeviceType.CPU ? null : cpuData.To(device);
    var train = data ?? cpuData;
    using var evaluation = ShapesImageSet.Render(T2IPretrainJob.EvaluationScenes(config.Data, config.Eval.Prompts), resolution);
    Console.WriteLine($"data: {train.Count} of {config.Data.Count} scenes pass the filters (max_objects {config.Data.MaxObjects}, flat_only {config.Data.FlatOnly}), " +
                      $"{resolution} px, object_weight {config.Data.ObjectWeight}, caption {config.Data.Caption}; rendered in {render.Elapsed.TotalSeconds:F1} s");

    using var trainer = new T2IPretrainer(trainerConfig, cpuData.Vocabulary(), device);
    Directory.CreateDirectory(output);
    string CheckpointDir(long step) => Path.Combine(output, $"step-{step:D7}");
    if (args.Contains("--resume") && Directory.GetDirectories(output, "step-*").Where(T2IPretrainer.IsCheckpoint).Order(StringComparer.Ordinal).LastOrDefault() is { } latest)
    {
        trainer.LoadCheckpoint(latest);
        Console.WriteLine($"resumed from {latest} (step {trainer.Step})");
    }

    (string Directory, long Step)? saved = null;
    string Save()
    {
        var directory = CheckpointDir(trainer.Step);
        if (saved?.Directory == directory)
            return directory;
        trainer.SaveCheckpoint(directory, resolved.Json);
        // Keep every keep-every-th checkpoint and the newest: the session takes a few of them home, not thirty.
        if (saved is { } previous && previous.Step % keepEvery != 0)
            Directory.Delete(previous.Directory, recursive: true);
        saved = (directory, trainer.Step);
        return directory;
    }

    JsonObject? lastEval = null;
    void Evaluate(string directory)
    {
        var timer = Stopwatch.StartNew();
        var captions = Enumerable.Range(0, evaluation.Count).Select(i => evaluation.Caption(i, CaptionKind.Compact)).ToArray();
        CaptionAgreement.Result proxy;
        using (var samples = trainer.Sample(captions, config.Eval.SampleSteps, config.Eval.GuidanceScale, seed: 1))
            proxy = CaptionAgreement.Score(evaluation.Scenes, evaluation.Images, samples);
        var line = $"EVAL step {trainer.Step}: proxy colour {F(proxy.Agreement)} strict {F(proxy.StrictAgreement)} (CFG {config.Eval.GuidanceScale}, {evaluation.Count} prompts)";
        lastEval = new JsonObject { ["step"] = trainer.Step, ["proxy_color"] = proxy.Agreement, ["proxy_strict"] = proxy.StrictAgreement };
        if (oracleScenes > 0)
        {
            var result = GInitEvaluation.Run(new GInitEvalOptions(TrainerWeights(directory), Path.Combine(output, "grids", $"oracle-step-{trainer.Step:D7}.png")) { Scenes = oracleScenes }, device);
            line += $" | oracle ({oracleScenes} scenes): " + string.Join(' ', result.Samples.Rates.Select(r => $"{r.Name} {F(r.Value)}")) +
                    $" (ceiling {F(result.TrueRenders.Agreement)})";
            foreach (var (name, value) in result.Samples.Rates)
                lastEval["oracle_" + name] = value;
            lastEval["oracle_ceiling"] = result.TrueRenders.Agreement;
        }
        Console.WriteLine($"{line} [{timer.Elapsed.TotalSeconds:F1} s]");
    }

    static string TrainerWeights(string directory) => T2IPretrainer.WeightsPath(directory);

    // With --seconds, the schedule is fitted to the time: at the end of the warm-up (whose rates do not depend on the
    // schedule's length) the measured speed gives the steps that fit before --seconds less --reserve, and the cosine
    // decay is made to end there (T2IPretrainer.EndScheduleAt), so a time-limited run is annealed, not cut mid-decay.
    var fitAt = double.IsFinite(seconds) && !args.Contains("--no-fit") && trainer.Step < config.WarmupSteps && config.WarmupSteps >= 20 ? config.WarmupSteps : -1;
    if (double.IsFinite(seconds) && fitAt < 0 && !args.Contains("--no-fit"))
        Console.WriteLine($"schedule not fitted to the time limit: that needs a warm-up of at least 20 steps still to run (warmup_steps {config.WarmupSteps}, step {trainer.Step})");
    var reserve = Option("reserve") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : 20;
    (long Step, double Seconds)? fitFrom = null;
    var trainClock = new Stopwatch();
    var startStep = trainer.Step;
    var window = (Step: trainer.Step, Seconds: 0.0, Loss: 0.0);
    while (trainer.Step < trainer.Config.Steps && !stop.IsCancellationRequested && clock.Elapsed.TotalSeconds < seconds)
    {
        if (trainer.Step == fitAt / 2)
            fitFrom = (trainer.Step, clock.Elapsed.TotalSeconds);
        if (trainer.Step == fitAt && fitFrom is { } from)
        {
            var rate = (trainer.Step - from.Step) / (clock.Elapsed.TotalSeconds - from.Seconds);
            var fitted = (int)Math.Min(config.Steps, trainer.Step + 0.92 * rate * Math.Max(0, seconds - reserve - clock.Elapsed.TotalSeconds));
            trainer.EndScheduleAt(fitted);
            resolved.Json["steps"] = fitted;   // the checkpoints' config says what schedule was run
            Console.WriteLine($"schedule fitted to the time limit: {fitted} steps ({rate:F1} steps/s since step {from.Step}, {seconds - clock.Elapsed.TotalSeconds:F0} s left, {reserve} s reserved)");
        }
        trainClock.Start();
        IReadOnlyDictionary<string, double> step;
        using (var batch = train.Sample(config.Data.BatchSize, config.Data.Caption, trainer.Generator))
            step = trainer.TrainStep(batch);
        trainClock.Stop();
        window.Loss += step["loss"];
        if (trainer.Step % logEvery == 0)
        {
            var n = trainer.Step - window.Step;
            Console.WriteLine($"step {trainer.Step} loss {F(window.Loss / n)} lr {step["lr"]:G3} grad_norm {F(step["grad_norm"])} " +
                              $"{n / (trainClock.Elapsed.TotalSeconds - window.Seconds):F1} steps/s, {clock.Elapsed.TotalSeconds:F0} s");
            window = (trainer.Step, trainClock.Elapsed.TotalSeconds, 0);
        }
        var evalNow = config.Eval.Every > 0 && trainer.Step % config.Eval.Every == 0 && trainer.Step < trainer.Config.Steps;
        if (trainer.Step % saveEvery == 0 || evalNow)
        {
            var directory = Save();
            if (evalNow)
                Evaluate(directory);
        }
    }

    var last = Save();
    var reason = trainer.Step >= trainer.Config.Steps ? "steps done" : stop.IsCancellationRequested ? "signal" : "time limit";
    Console.WriteLine($"stopped at step {trainer.Step} ({reason}); checkpoint {TrainerWeights(last)}");
    if (!stop.IsCancellationRequested)
        Evaluate(last);
    var taken = trainer.Step - startStep;
    var summary = new JsonObject
    {
        ["impl"] = "t2ilab",
        ["preset"] = config.Preset,
        ["batch"] = config.Data.BatchSize,
        ["tf32"] = tf32,
        ["steps"] = trainer.Step,
        ["schedule_steps"] = trainer.Config.Steps,
        ["stopped"] = reason,
        ["train_seconds"] = Math.Round(trainClock.Elapsed.TotalSeconds, 1),
        ["steps_per_second"] = Math.Round(taken / Math.Max(1e-9, trainClock.Elapsed.TotalSeconds), 2),
        ["wall_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
        ["checkpoint"] = TrainerWeights(last),
        ["eval"] = lastEval,
    };
    Console.WriteLine(summary.ToJsonString());
    return 0;
}
catch (Exception e) when (e is ArgumentException or ConfigException or FileNotFoundException or InvalidDataException or OperationCanceledException)
{
    Console.Error.WriteLine($"T2ILab: {e.Message}");
    return 2;
}
