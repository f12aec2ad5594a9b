using System.Text.Json;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// The two optimizer-state formats: <see cref="FlatAdam"/> writes safetensors with one tensor per group
/// (<c>step</c>, <c>group.K.numels</c>, <c>group.K.exp_avg_sq</c>, and <c>group.K.exp_avg</c> / <c>group.K.master</c>
/// when it has them; groups as <see cref="AdamLayout"/>); <see cref="TorchAdam"/> writes TorchSharp's own binary
/// format. Either implementation reads both, so a run can resume across a change of <c>implementation</c>.
/// </summary>
internal static class AdamStateFile
{
    public const string Step = "step";

    public static string Numels(int group) => $"group.{group}.numels";
    public static string ExpAvg(int group) => $"group.{group}.exp_avg";
    public static string ExpAvgSq(int group) => $"group.{group}.exp_avg_sq";
    public static string Master(int group) => $"group.{group}.master";

    /// <summary>True when <paramref name="path"/> is a safetensors file (a little-endian header length, then a JSON header).</summary>
    public static bool IsFlat(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The optimizer state {path} is missing; the checkpoint is incomplete.", path);
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.Read(lengthBytes) != 8)
            return false;
        var length = BitConverter.ToUInt64(lengthBytes);
        if (length < 2 || length > (ulong)(stream.Length - 8) || length > 100_000_000)
            return false;
        var header = new byte[length];
        stream.ReadExactly(header);
        try
        {
            using var json = JsonDocument.Parse(header);
            return json.RootElement.TryGetProperty(Step, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static void Write(string path, Dictionary<string, Tensor> state) => Safetensors.SaveStateDict(path, state);

    /// <summary>Reads a flat state and checks that its groups hold <paramref name="parameters"/>' element counts.</summary>
    public static Dictionary<string, Tensor> Read(string path, IReadOnlyList<Parameter> parameters, int[][] groups)
    {
        var state = Safetensors.LoadStateDict(path);
        for (var k = 0; k < groups.Length; k++)
        {
            var expected = groups[k].Select(i => parameters[i].numel()).ToArray();
            if (!state.TryGetValue(Numels(k), out var numels) || !numels.data<long>().ToArray().SequenceEqual(expected))
            {
                foreach (var tensor in state.Values)
                    tensor.Dispose();
                throw new InvalidDataException($"The optimizer state {path} was written for another model (its group {k} does not hold " +
                    $"{expected.Length} tensors of these sizes); resume with the model it was trained with.");
            }
        }
        return state;
    }

    /// <summary>Each parameter's (step, m, v) from a TorchSharp-format file of Adam or AdamW over tensors shaped as <paramref name="shapes"/>.</summary>
    public static (long Step, Tensor ExpAvg, Tensor ExpAvgSq)[] ReadTorch(string path, IReadOnlyList<(long[] Shape, ScalarType DType)> shapes, AdamSettings settings)
    {
        var temporary = shapes.Select(s => new Parameter(zeros(s.Shape, dtype: s.DType))).ToArray();
        using var optimizer = settings.DecoupledWeightDecay
            ? (OptimizerHelper)optim.AdamW(temporary, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay)
            : optim.Adam(temporary, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay);
        try
        {
            optimizer.load_state_dict(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"The optimizer state {path} does not fit these {shapes.Count} parameters ({e.Message}); resume with the model it was trained with.", e);
        }
        var result = optimizer.state_dict().State.Select(s => s switch
        {
            Adam.State a => (a.step, a.exp_avg.clone().DetachFromDisposeScope(), a.exp_avg_sq.clone().DetachFromDisposeScope()),
            AdamW.State w => (w.step, w.exp_avg.clone().DetachFromDisposeScope(), w.exp_avg_sq.clone().DetachFromDisposeScope()),
            _ => throw new InvalidDataException($"The optimizer state {path} is not Adam's."),
        }).ToArray();
        foreach (var p in temporary)
            p.Dispose();
        return result;
    }
}
