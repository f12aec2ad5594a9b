namespace NpEdit.ShapesWorld.Captions;

/// <summary>Several phrasings of one scene, from terse alt text to a full description.</summary>
public sealed record SceneCaptions(string Short, string Detailed, string AltText)
{
    public IReadOnlyList<string> All => [Short, Detailed, AltText];
}
