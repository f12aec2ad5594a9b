using NpEdit.ShapesWorld.Scenes;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The ShapesWorld oracle's reader: images in, <see cref="Scene"/>s out. Evaluation only — the oracle knows
/// the ground truth's label space exactly, so it must never supervise or reward the editor in training.
/// </summary>
public sealed class SceneParser : IDisposable
{
    readonly SceneParserNet net;
    readonly Device device;

    public SceneParser(SceneParserNet net, Device? device = null)
    {
        this.net = net;
        this.device = device ?? CPU;
        net.to(this.device);
        net.eval();
    }

    public OracleConfig Config => net.Config;

    public SceneParserNet Network => net;

    public Scene Parse(RgbImage image) => Parse([image])[0];

    /// <summary>Parses images of any size (resized to the oracle's resolution), in batches of <paramref name="batchSize"/>.</summary>
    public Scene[] Parse(IReadOnlyList<RgbImage> images, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scenes = new List<Scene>(images.Count);
        for (int start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var chunk = images.Skip(start).Take(batchSize).ToArray();
            var input = OracleInput.ToTensor(chunk, Config.Resolution, device);
            scenes.AddRange(SceneDecoder.Decode(net.call(input)));
        }
        return scenes.ToArray();
    }

    public void Dispose() => net.Dispose();
}
