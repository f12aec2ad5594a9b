using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Runtime;
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
    readonly bool ownsNetwork;
    readonly Lock network = new(); // one module: concurrent callers take turns on it, and refine in parallel

    /// <param name="net">The trained network (moved to <paramref name="device"/> and put in eval mode).</param>
    /// <param name="device">Where to parse; null means the CPU.</param>
    /// <param name="ownsNetwork">Dispose <paramref name="net"/> with this parser; false when a trainer still owns it.</param>
    public SceneParser(SceneParserNet net, Device? device = null, bool ownsNetwork = true)
    {
        this.net = net;
        this.device = device ?? CPU;
        this.ownsNetwork = ownsNetwork;
        net.to(this.device);
        net.eval();
    }

    public OracleConfig Config => net.Config;

    public SceneParserNet Network => net;

    public Scene Parse(RgbImage image, bool refine = false) => Parse([image], refine: refine)[0];

    /// <summary>
    /// Parses images of any size (resized to the oracle's resolution for the network), in batches of
    /// <paramref name="batchSize"/>. With <paramref name="refine"/> the network's reading is then checked against the
    /// pixels by rendering alternatives (<see cref="SceneRefiner"/>); without it, this is the network alone.
    /// </summary>
    public Scene[] Parse(IReadOnlyList<RgbImage> images, int batchSize = 64, bool refine = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scenes = new Scene[images.Count];
        for (int start = 0; start < images.Count; start += batchSize)
        {
            var chunk = images.Skip(start).Take(batchSize).ToArray();
            Scene[] decoded;
            SceneAlternatives[] alternatives;
            using (TorchGcGuard.Enter())   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard); taken before the lock
            lock (network)
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var output = net.call(OracleInput.ToTensor(chunk, Config.Resolution, device));
                decoded = SceneDecoder.Decode(output);
                alternatives = SceneDecoder.Rank(output);
            }
            if (refine)
                Parallel.For(0, chunk.Length, i => decoded[i] = SceneRefiner.Refine(decoded[i], alternatives[i], chunk[i]));
            decoded.CopyTo(scenes, start);
        }
        return scenes;
    }

    public void Dispose()
    {
        if (ownsNetwork) net.Dispose();
    }
}
