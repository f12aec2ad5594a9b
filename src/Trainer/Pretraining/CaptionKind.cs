namespace NpEdit.Trainer.Pretraining;

/// <summary>Which caption of a ShapesWorld scene G_init is trained on.</summary>
public enum CaptionKind
{
    /// <summary>
    /// Every object as "[pattern] colour shape cell", then the background and a non-flat style, e.g.
    /// "striped red star top left, blue circle center, grass" (<see cref="CompactCaption"/>): short enough
    /// that no object is cut off by the text encoder's token limit.
    /// </summary>
    Compact,

    /// <summary>The corpus's detailed caption (sizes, cells, sign, background), truncated to the token limit.</summary>
    Detailed,

    /// <summary>The corpus's short caption (objects and background, no cells).</summary>
    Short,

    /// <summary>A uniform pick among compact, detailed, short and alt text per sample.</summary>
    Mixed,
}
