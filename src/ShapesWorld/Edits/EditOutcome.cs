using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>What applying an edit to a scene gives: a target scene, or the reason the edit is invalid (App. D's three rules).</summary>
public sealed record EditOutcome(bool IsValid, string Reasoning, Scene? Target)
{
    public static EditOutcome Valid(Scene target, string why) =>
        new(true, $"The edit instruction is valid because {why}, which is a meaningful change.", target);

    public static EditOutcome Invalid(string why) => new(false, $"The edit instruction is invalid because {why}.", null);
}
