namespace NpEdit.Core.Shards;

/// <summary>The two NP-Edit task families (paper §4): local edits and free-form customization.</summary>
public static class EditTask
{
    public const string Local = "local";
    public const string Customization = "customization";

    public static bool IsKnown(string task) => task is Local or Customization;
}
