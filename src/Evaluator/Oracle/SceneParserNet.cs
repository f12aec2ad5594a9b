using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The ShapesWorld scene parser: every one of the nine grid cells is cropped around its centre and read by one
/// shared small CNN (three conv stages, each halving the crop), giving a per-cell feature; per-cell heads classify
/// the occupant and its attributes from the flattened final map plus its mean and max, and global heads read the mean and max of the nine features for background and
/// style. Sharing the CNN across cells means every cell trains on every object, which is what makes a few thousand
/// renders enough. Input: (B, 3, R, R) in [−1, 1] at <see cref="OracleConfig.Resolution"/>.
/// </summary>
public sealed class SceneParserNet : nn.Module<Tensor, SceneParserOutput>
{
    readonly Sequential trunk;
    readonly Linear cellFeature;
    readonly Linear occupancy, shape, color, size, pattern, rotation, jitter, character;
    readonly Linear backgroundKind, backgroundTint, style;
    readonly int crop, pad;
    readonly int[] cropX, cropY;

    public SceneParserNet(OracleConfig config) : base(nameof(SceneParserNet))
    {
        config.Validate();
        Config = config;
        crop = config.CropSize;
        pad = crop / 2;
        cropX = new int[OracleLabels.Cells];
        cropY = new int[OracleLabels.Cells];
        for (int i = 0; i < OracleLabels.Cells; i++)
        {
            // Cell centres at (col + ½)/3 of the image; the image is padded by half a crop on every side.
            cropX[i] = (int)Math.Round((i % 3 + 0.5) / 3.0 * config.Resolution) - crop / 2 + pad;
            cropY[i] = (int)Math.Round((i / 3 + 0.5) / 3.0 * config.Resolution) - crop / 2 + pad;
        }

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inChannels = 3;
        for (int stage = 0; stage < config.Channels.Count; stage++)
        {
            int c = config.Channels[stage];
            layers.Add(($"conv{stage}a", nn.Conv2d(inChannels, c, 3, stride: 2, padding: 1, bias: false)));
            layers.Add(($"norm{stage}a", nn.BatchNorm2d(c)));
            layers.Add(($"act{stage}a", nn.ReLU()));
            layers.Add(($"conv{stage}b", nn.Conv2d(c, c, 3, padding: 1, bias: false)));
            layers.Add(($"norm{stage}b", nn.BatchNorm2d(c)));
            layers.Add(($"act{stage}b", nn.ReLU()));
            inChannels = c;
        }
        trunk = nn.Sequential(layers);
        int side = crop >> config.Channels.Count;
        // The flattened map keeps where things are (jitter); its mean and max add what is (shape, colour, size, pattern)
        // independent of where, which a flatten alone has to learn separately for every position.
        cellFeature = nn.Linear(inChannels * side * side + 2 * inChannels, config.Hidden);

        int h = config.Hidden;
        occupancy = nn.Linear(h, OracleLabels.Occupants);
        shape = nn.Linear(h, OracleLabels.Shapes);
        color = nn.Linear(h, OracleLabels.Colors);
        size = nn.Linear(h, OracleLabels.Sizes);
        pattern = nn.Linear(h, OracleLabels.Patterns);
        rotation = nn.Linear(h, 2);
        jitter = nn.Linear(h, 2);
        character = nn.Linear(h, OracleLabels.Characters);
        backgroundKind = nn.Linear(2 * h, OracleLabels.BackgroundKinds);
        backgroundTint = nn.Linear(2 * h, OracleLabels.Colors);
        style = nn.Linear(2 * h, OracleLabels.Styles);
        RegisterComponents();
    }

    public OracleConfig Config { get; }

    public override SceneParserOutput forward(Tensor images)
    {
        long batch = images.shape[0];
        var padded = nn.functional.pad(images, [pad, pad, pad, pad], PaddingModes.Replicate);
        var crops = new Tensor[OracleLabels.Cells];
        for (int i = 0; i < OracleLabels.Cells; i++)
            crops[i] = padded.narrow(2, cropY[i], crop).narrow(3, cropX[i], crop);
        var cells = stack(crops, 1).reshape(batch * OracleLabels.Cells, 3, crop, crop);

        var map = trunk.call(cells);                                                    // (9B, C, s, s)
        var pooled = cat([map.flatten(1), map.mean([2, 3]), map.amax([2, 3])], 1);
        var features = nn.functional.relu(cellFeature.call(pooled))
            .reshape(batch, OracleLabels.Cells, -1);                                    // (B, 9, H)
        var scene = cat([features.mean([1]), features.amax([1])], 1);                  // (B, 2H)

        return new SceneParserOutput(
            occupancy.call(features), shape.call(features), color.call(features), size.call(features),
            pattern.call(features), rotation.call(features), jitter.call(features), character.call(features),
            backgroundKind.call(scene), backgroundTint.call(scene), style.call(scene));
    }
}
