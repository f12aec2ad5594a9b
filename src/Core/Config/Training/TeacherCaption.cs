namespace NpEdit.Core.Config.Training;

/// <summary>How the edited caption c^x is worded for the DMD teacher and A_φ (both copies of G_init).</summary>
public enum TeacherCaption
{
    /// <summary>c^x as the dataset wrote it (the paper: a general T2I teacher reads any caption).</summary>
    Edited,
    /// <summary>
    /// c^x rewritten into the compact ShapesWorld form G_init was trained on ("green diamond center, wood"), from
    /// the caption's words alone; for a G_init that never saw prose captions (e001).
    /// </summary>
    Compact,
}
