using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// One training-facing edit example: source scene, instruction phrasings, edit type, the edited-image caption
/// c^x ("NA" when invalid) and the object name for removal and customization. It deliberately holds no target:
/// the target scene and image are reachable only through <see cref="Evaluation.GroundTruth"/>.
/// </summary>
public sealed record EditItem(
    string Id,
    ulong SceneSeed,
    ulong EditSeed,
    Scene Source,
    EditSpec Spec,
    IReadOnlyList<string> Instructions,
    string EditedCaption,
    string? ObjectName,
    bool IsValid,
    string Reasoning)
{
    public EditType Type => Spec.Type;

    /// <summary>The first (canonical) phrasing.</summary>
    public string Instruction => Instructions[0];
}
