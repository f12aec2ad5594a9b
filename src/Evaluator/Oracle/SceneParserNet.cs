using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The ShapesWorld scene parser. A fully convolutional trunk reads the whole (edge-padded) image: a full-resolution
/// stage, because a small object is only ~11 px across and its outline is what tells a hexagon from a circle or 15° of
/// rotation, then two stages that each halve it. Every one of the nine grid cells then takes the window of that map
/// around its centre, and one shared stage plus one shared layer turn each window into a per-cell feature that the
/// per-cell heads classify (occupant, shape, colour, size, pattern, rotation bin, sign letter) or regress (jitter).
/// Global heads read the mean and max of the nine features for background and style. Sharing everything across cells
/// means every cell trains on every object. Input: (B, 3, R, R) in [−1, 1] at <see cref="OracleConfig.Resolution"/>.
/// With <see cref="OracleConfig.Detail"/>, a detail branch also reads each cell's window of the pixels and the full-resolution map (not
/// the stride-8 one: stripes 2–4 px apart and a 1-px turn of a small object's tip do not survive it), and its logits are
/// added to those of the fine-grained heads (shape, size, pattern, rotation). That sum is one linear layer over both
/// features; its detail half starts at zero, so a network without the branch continues as itself (<see cref="OracleTrainer.InitializeFrom"/>).
/// Training-only heads also read the branch alone (<see cref="DetailLogits"/>), so it learns from every object.
/// </summary>
public sealed class SceneParserNet : nn.Module<Tensor, SceneParserOutput>
{
    readonly Sequential trunk, cellStage;
    readonly Linear cellFeature;
    readonly Linear occupancy, shape, color, size, pattern, rotation, jitter, character;
    readonly Linear backgroundKind, backgroundTint, style;
    readonly Sequential? detail;
    readonly Linear? detailFeature, shapeDetail, sizeDetail, patternDetail, rotationDetail;
    readonly Linear? shapeDetailAlone, sizeDetailAlone, patternDetailAlone, rotationDetailAlone;
    readonly IReadOnlyList<nn.Module<Tensor, Tensor>> stages;
    readonly int pad, window;
    readonly int[] windowX, windowY, detailX, detailY;
    readonly float[] jitterOffset;

    public SceneParserNet(OracleConfig config) : base(nameof(SceneParserNet))
    {
        config.Validate();
        Config = config;
        const int stride = OracleConfig.MapStride;
        int crop = config.CropSize;
        window = crop / stride;
        // Edge padding, in whole map pixels, so that every cell's window fits to within half a map pixel (the clamp below
        // takes up the rest): the outer cells' windows reach past the image by crop/2 − R/6.
        pad = (int)Math.Ceiling(Math.Max(0, crop / 2.0 - config.Resolution / 6.0 - stride / 2.0) / stride) * stride;
        int mapSide = (config.Resolution + 2 * pad) / stride;
        windowX = new int[OracleLabels.Cells];
        windowY = new int[OracleLabels.Cells];
        detailX = new int[OracleLabels.Cells];
        detailY = new int[OracleLabels.Cells];
        jitterOffset = new float[OracleLabels.Cells * 2];
        double jitterUnit = config.Resolution / 20.0; // 15% of a cell (a third of the image) in pixels: the jitter head's unit
        for (int i = 0; i < OracleLabels.Cells; i++)
        {
            // Cell centres at (col + ½)/3 of the image. The window starts on a whole map pixel, so its centre misses the
            // cell centre by up to half a map pixel; the jitter head reads offsets from the window centre, and adding
            // this constant turns them back into offsets from the cell centre.
            double cx = (i % 3 + 0.5) / 3.0 * config.Resolution, cy = (i / 3 + 0.5) / 3.0 * config.Resolution;
            windowX[i] = Math.Clamp((int)Math.Round((cx - crop / 2.0 + pad) / stride), 0, mapSide - window);
            windowY[i] = Math.Clamp((int)Math.Round((cy - crop / 2.0 + pad) / stride), 0, mapSide - window);
            jitterOffset[2 * i] = (float)((windowX[i] * stride + crop / 2.0 - pad - cx) / jitterUnit);
            jitterOffset[2 * i + 1] = (float)((windowY[i] * stride + crop / 2.0 - pad - cy) / jitterUnit);
            // The detail window, on the full-resolution map, is centred to within half a pixel where the padding allows.
            detailX[i] = Math.Clamp((int)Math.Round(cx - crop / 2.0 + pad), 0, config.Resolution + 2 * pad - crop);
            detailY[i] = Math.Clamp((int)Math.Round(cy - crop / 2.0 + pad), 0, config.Resolution + 2 * pad - crop);
        }

        var c = config.Channels;
        trunk = nn.Sequential(
            Stage("full", 3, c[0], stride: 1),
            Stage("half", c[0], c[1], stride: 2),
            Stage("quarter", c[1], c[2], stride: 2));
        stages = trunk.children().Cast<nn.Module<Tensor, Tensor>>().ToArray();
        cellStage = nn.Sequential(
            ("conv", nn.Conv2d(c[2], c[3], 3, stride: 2, padding: 1, bias: false)),
            ("norm", nn.BatchNorm2d(c[3])),
            ("act", nn.ReLU()));
        int side = (window + 1) / 2;
        // The flattened window keeps where things are (jitter, which part is the neighbour's); its mean and max add what
        // is there (shape, colour, size, pattern) independent of where, which a flatten alone learns per position.
        cellFeature = nn.Linear(c[3] * side * side + 2 * c[3], config.Hidden);

        int h = config.Hidden;
        occupancy = nn.Linear(h, OracleLabels.Occupants);
        shape = nn.Linear(h, OracleLabels.Shapes);
        color = nn.Linear(h, OracleLabels.Colors);
        size = nn.Linear(h, OracleLabels.Sizes);
        pattern = nn.Linear(h, OracleLabels.Patterns);
        rotation = nn.Linear(h, OracleLabels.RotationBins);
        jitter = nn.Linear(h, 2);
        character = nn.Linear(h, OracleLabels.Characters);
        backgroundKind = nn.Linear(2 * h, OracleLabels.BackgroundKinds);
        backgroundTint = nn.Linear(2 * h, OracleLabels.Colors);
        style = nn.Linear(2 * h, OracleLabels.Styles);

        if (config.Detail is { } d)
        {
            var dc = d.Channels;
            detail = nn.Sequential(
                ("conv_a", nn.Conv2d(3 + c[0], dc[0], 3, padding: 1, bias: false)), ("norm_a", nn.BatchNorm2d(dc[0])), ("act_a", nn.ReLU()),
                ("conv_b", nn.Conv2d(dc[0], dc[1], 3, stride: 2, padding: 1, bias: false)), ("norm_b", nn.BatchNorm2d(dc[1])), ("act_b", nn.ReLU()),
                ("conv_c", nn.Conv2d(dc[1], dc[2], 3, stride: 2, padding: 1, bias: false)), ("norm_c", nn.BatchNorm2d(dc[2])), ("act_c", nn.ReLU()));
            // A 2×2 average keeps which side of the object is where (rotation); the max adds whether a texture is there anywhere (pattern).
            detailFeature = nn.Linear(5 * dc[2], d.Hidden);
            shapeDetail = ZeroLinear(d.Hidden, OracleLabels.Shapes);
            sizeDetail = ZeroLinear(d.Hidden, OracleLabels.Sizes);
            patternDetail = ZeroLinear(d.Hidden, OracleLabels.Patterns);
            rotationDetail = ZeroLinear(d.Hidden, OracleLabels.RotationBins);
            // Training-only heads that read the branch alone (DetailLogits): they teach it from every object.
            shapeDetailAlone = nn.Linear(d.Hidden, OracleLabels.Shapes);
            sizeDetailAlone = nn.Linear(d.Hidden, OracleLabels.Sizes);
            patternDetailAlone = nn.Linear(d.Hidden, OracleLabels.Patterns);
            rotationDetailAlone = nn.Linear(d.Hidden, OracleLabels.RotationBins);
        }
        RegisterComponents();
    }

    public OracleConfig Config { get; }

    public override SceneParserOutput forward(Tensor images)
    {
        long batch = images.shape[0];
        var padded = pad > 0 ? nn.functional.pad(images, [pad, pad, pad, pad], PaddingModes.Replicate) : images;
        var full = stages[0].call(padded);                                              // (B, C0, R + 2·pad, R + 2·pad)
        var map = stages[2].call(stages[1].call(full));                                 // (B, C, S, S)
        var windows = new Tensor[OracleLabels.Cells];
        for (int i = 0; i < OracleLabels.Cells; i++)
            windows[i] = map.narrow(2, windowY[i], window).narrow(3, windowX[i], window);
        var cells = stack(windows, 1).reshape(batch * OracleLabels.Cells, map.shape[1], window, window);

        var cellMap = cellStage.call(cells);                                            // (9B, C', s, s)
        var pooled = cat([cellMap.flatten(1), cellMap.mean([2, 3]), cellMap.amax([2, 3])], 1);
        var features = nn.functional.relu(cellFeature.call(pooled))
            .reshape(batch, OracleLabels.Cells, -1);                                    // (B, 9, H)
        var scene = cat([features.mean([1]), features.amax([1])], 1);                  // (B, 2H)
        var offset = tensor(jitterOffset, [1, OracleLabels.Cells, 2], device: images.device);

        Tensor shapeLogits = shape.call(features), sizeLogits = size.call(features);
        Tensor patternLogits = pattern.call(features), rotationLogits = rotation.call(features);
        DetailLogits? fineLogits = null;
        if (detail is not null)
        {
            var fine = Detail(cat([padded, full], 1), batch);                           // (B, 9, H_d)
            shapeLogits += shapeDetail!.call(fine);
            sizeLogits += sizeDetail!.call(fine);
            patternLogits += patternDetail!.call(fine);
            rotationLogits += rotationDetail!.call(fine);
            fineLogits = new DetailLogits(shapeDetailAlone!.call(fine), sizeDetailAlone!.call(fine), patternDetailAlone!.call(fine), rotationDetailAlone!.call(fine));
        }

        return new SceneParserOutput(
            occupancy.call(features), shapeLogits, color.call(features), sizeLogits,
            patternLogits, rotationLogits, jitter.call(features) + offset, character.call(features),
            backgroundKind.call(scene), backgroundTint.call(scene), style.call(scene), fineLogits);
    }

    /// <summary>Whether the network has the detail branch (<see cref="OracleConfig.Detail"/>).</summary>
    public bool HasDetail => detail is not null;

    /// <summary>
    /// Train mode for the detail branch only: the rest keeps its batch-norm statistics and (with its parameters left out of
    /// the optimizer) its weights, so a short run measures what the finer input adds to a trained network.
    /// </summary>
    public void TrainDetailOnly()
    {
        if (detail is null) throw new InvalidOperationException("This oracle network has no detail branch to train (its config's Detail is null).");
        eval();
        detail.train();
    }

    /// <summary>The detail branch's parameters (empty without one).</summary>
    public IEnumerable<Parameter> DetailParameters() =>
        named_parameters().Where(p => IsDetail(p.name)).Select(p => p.parameter);

    /// <summary>Whether a parameter or buffer name belongs to the detail branch.</summary>
    public static bool IsDetail(string name) =>
        name.StartsWith("detail", StringComparison.Ordinal) || name.Contains("Detail", StringComparison.Ordinal);

    /// <summary>Each cell's window of the pixels and the full-resolution map through the detail convs, pooled to one feature per cell.</summary>
    private Tensor Detail(Tensor full, long batch)
    {
        int crop = Config.CropSize;
        var windows = new Tensor[OracleLabels.Cells];
        for (int i = 0; i < OracleLabels.Cells; i++)
            windows[i] = full.narrow(2, detailY[i], crop).narrow(3, detailX[i], crop);
        var cells = stack(windows, 1).reshape(batch * OracleLabels.Cells, full.shape[1], crop, crop);
        var fine = detail!.call(cells);                                                 // (9B, C_d, crop/4, crop/4)
        var pooled = cat([nn.functional.adaptive_avg_pool2d(fine, [2, 2]).flatten(1), fine.amax([2, 3])], 1);
        return nn.functional.relu(detailFeature!.call(pooled)).reshape(batch, OracleLabels.Cells, -1);
    }

    /// <summary>A linear layer that starts at zero, so adding its logits leaves a trained head's answers as they were.</summary>
    private static Linear ZeroLinear(int inputs, int outputs)
    {
        var layer = nn.Linear(inputs, outputs);
        using (no_grad())
        {
            layer.weight!.zero_();
            layer.bias!.zero_();
        }
        return layer;
    }

    /// <summary>Two 3×3 conv + batch-norm + ReLU layers, the first with <paramref name="stride"/>.</summary>
    private static Sequential Stage(string name, int inChannels, int outChannels, int stride) => nn.Sequential(
        ($"{name}_conv_a", nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false)),
        ($"{name}_norm_a", nn.BatchNorm2d(outChannels)),
        ($"{name}_act_a", nn.ReLU()),
        ($"{name}_conv_b", nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false)),
        ($"{name}_norm_b", nn.BatchNorm2d(outChannels)),
        ($"{name}_act_b", nn.ReLU()));
}
