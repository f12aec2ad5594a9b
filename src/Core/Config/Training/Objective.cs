namespace NpEdit.Core.Config.Training;

/// <summary>What the editor is trained with (paper Tables 3–4).</summary>
public enum Objective
{
    /// <summary>NP-Edit: λ_VLM·L_VLM + λ_DMD·L_DMD (Algorithm 1).</summary>
    Full,
    /// <summary>Ablation: the distribution-matching term alone.</summary>
    OnlyDmd,
    /// <summary>Ablation: the VLM term alone.</summary>
    OnlyVlm,
    /// <summary>Supervised baseline on ground-truth pairs (ShapesWorld only): the plain flow loss toward the target.</summary>
    Sft,
}
