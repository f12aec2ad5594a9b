using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Linear read-outs of <see cref="SceneLabels"/> from the projected image tokens: one per patch label on each
/// patch token, one per image label on the mean of the patch tokens. Used only while pretraining; not part of
/// the saved critic.
/// </summary>
public sealed class SceneLabelHeads : nn.Module<Tensor, (Tensor[] Patch, Tensor[] Image)>
{
    private readonly ModuleList<Linear> patch_heads;
    private readonly ModuleList<Linear> image_heads;

    public SceneLabelHeads(int width) : base(nameof(SceneLabelHeads))
    {
        patch_heads = new ModuleList<Linear>([.. SceneLabels.PatchClasses.Select(c => nn.Linear(width, c))]);
        image_heads = new ModuleList<Linear>([.. SceneLabels.ImageClasses.Select(c => nn.Linear(width, c))]);
        RegisterComponents();
    }

    /// <param name="patches">(N, T, D) patch tokens (no newline).</param>
    /// <returns>Per patch head (N·T, C), per image head (N, C).</returns>
    public override (Tensor[] Patch, Tensor[] Image) forward(Tensor patches)
    {
        var flat = patches.reshape(-1, patches.shape[2]);
        var pooled = patches.mean([1]);
        return ([.. patch_heads.Select(h => h.call(flat))], [.. image_heads.Select(h => h.call(pooled))]);
    }
}
