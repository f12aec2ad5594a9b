using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>
/// A small but real differentiable critic for tests: a conv encoder per image and hashed word embeddings for the
/// question feed a linear head over a 16-token vocabulary (Yes = 1, No = 2). Frozen like a real critic; every
/// call is counted and its inputs and logits recorded, so tests can check what the trainer asked.
/// </summary>
internal sealed class TinyCritic : nn.Module<Tensor?, Tensor, Tensor>, IEditCritic
{
    private const int Vocabulary = 16;
    private const int Buckets = 64;
    private const int Width = 8;
    private readonly Conv2d conv;
    private readonly Embedding words;
    private readonly Linear head;
    private IReadOnlyList<string> pending = [];

    public TinyCritic(long seed = 11) : base(Ready(nameof(TinyCritic)))
    {
        torch.random.manual_seed(seed);
        conv = nn.Conv2d(3, Width, 3, stride: 2, padding: 1);
        words = nn.Embedding(Buckets, Width);
        head = nn.Linear(3 * Width, Vocabulary);
        RegisterComponents();
        foreach (var p in parameters())
            p.requires_grad = false;
        eval();
    }

    public long YesTokenId => 1;
    public long NoTokenId => 2;
    public nn.Module Module => this;

    /// <summary>When set, every logit is NaN (to exercise the non-finite guard).</summary>
    public bool ReturnNaN { get; set; }

    /// <summary>Every question asked, in order, and whether it came with a reference image.</summary>
    public List<(string Question, bool WithReference)> Asked { get; } = [];

    /// <summary>Detached copies of the logits of each call.</summary>
    public List<Tensor> Logits { get; } = [];

    public Tensor AnswerLogits(Tensor? reference, Tensor edited, IReadOnlyList<string> questions)
    {
        Asked.AddRange(questions.Select(q => (q, reference is not null)));
        pending = questions;
        var logits = call(reference, edited);
        Logits.Add(logits.detach().cpu().MoveToOuterDisposeScope());
        return ReturnNaN ? logits * double.NaN : logits;
    }

    public override Tensor forward(Tensor? reference, Tensor edited)
    {
        var e = Encode(edited);                                                             // (N, W)
        var r = reference is null ? zeros_like(e) : Encode(reference);                      // (N, W)
        var ids = pending.Select(q => q.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => (long)((uint)Fnv(w) % Buckets)).ToArray()).ToArray();
        var q = stack(ids.Select(i => words.call(tensor(i, device: edited.device)).mean([0])).ToArray()); // (N, W)
        return head.call(cat([r, e, q], 1));                                                // (N, V)
    }

    private Tensor Encode(Tensor image)
    {
        var small = nn.functional.interpolate(image, size: [16, 16], mode: InterpolationMode.Bilinear, align_corners: false);
        return nn.functional.gelu(conv.call(small)).mean([2, 3]);                           // (N, W)
    }

    /// <summary>The runtime must be up before the base Module constructor touches libtorch (a test may build the critic first).</summary>
    private static string Ready(string name)
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        return name;
    }

    private static uint Fnv(string word)
    {
        var h = 2166136261u;
        foreach (var ch in word.ToLowerInvariant())
            h = (h ^ ch) * 16777619u;
        return h;
    }
}
