namespace NpEdit.Evaluator.GInit;

/// <summary>What <see cref="GInitEvaluation"/> measures and with which sampler settings.</summary>
/// <param name="Checkpoint">A G_init weights file (<c>generator.safetensors</c> with its <c>.config.json</c>).</param>
/// <param name="GridPath">Where the sample grid with the oracle's reading goes (PNG; a .txt with the captions beside it).</param>
public sealed record GInitEvalOptions(string Checkpoint, string GridPath)
{
    /// <summary>Held-out scenes whose compact captions are sampled (the pretrainer's evaluation prompts come first).</summary>
    public int Scenes { get; init; } = 200;

    /// <summary>Classifier-free guidance scale; null takes the checkpoint's own <c>eval.guidance_scale</c>.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>Euler steps; null takes the checkpoint's own <c>eval.sample_steps</c>.</summary>
    public int? SampleSteps { get; init; }

    /// <summary>Noise seed; 1 is the pretrainer's evaluation seed, so its first images are the job's own samples.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Oracle weights; null is the oracle bundled with the build.</summary>
    public string? Oracle { get; init; }

    /// <summary>Check the oracle's readings by rendering alternatives (<see cref="NpEdit.Evaluator.Oracle.SceneRefiner"/>), as its judge does; false reads with the network alone.</summary>
    public bool Refine { get; init; } = true;

    /// <summary>Scenes shown in the grid.</summary>
    public int GridScenes { get; init; } = 16;

    /// <summary>Held-out scenes with at most this many objects; null takes the checkpoint's own training filter (<c>data.max_objects</c>).</summary>
    public int? MaxObjects { get; init; }

    /// <summary>Held-out scenes of the flat style only (true) or of every style (false); null takes the checkpoint's own <c>data.flat_only</c>.</summary>
    public bool? FlatOnly { get; init; }

    /// <summary>Images per sampler forward pass.</summary>
    public int BatchSize { get; init; } = 64;

    public GInitEvalOptions Validate()
    {
        if (Scenes < 1) throw new ArgumentException($"--scenes must be at least 1 (got {Scenes}).");
        if (GuidanceScale is { } g && (!double.IsFinite(g) || g < 0)) throw new ArgumentException($"--cfg must be a finite number ≥ 0 (got {g}).");
        if (SampleSteps is < 1) throw new ArgumentException($"--sample-steps must be at least 1 (got {SampleSteps}).");
        if (GridScenes < 0) throw new ArgumentException($"--grid-scenes must not be negative (got {GridScenes}).");
        if (MaxObjects is < 1 or > 5) throw new ArgumentException($"--max-objects must lie in 1..5 (got {MaxObjects}).");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1 (got {BatchSize}).");
        return this;
    }
}
