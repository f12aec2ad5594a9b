namespace NpEdit.Core.Config.Training;

/// <summary>How the critic's answer becomes a loss (Table 3).</summary>
public enum VlmLossKind
{
    /// <summary>Binary cross-entropy over the "Yes" and "No" logits only (Eq. 4).</summary>
    BceYesNo,
    /// <summary>Cross-entropy over the full vocabulary at the answer position (ablation "CE").</summary>
    CeFullVocab,
}
