using NpEdit.Core.Prompts;
using NpEdit.Core.Shards;

namespace NpEdit.Trainer.Training;

/// <summary>
/// The two questions per sample of the VLM loss (§4.2, App. E): edit verification (Yes) and identity
/// preservation (Yes); removal replaces the first with the single-image "has {object}" question (No);
/// customization asks about a new pose and location, and the same identity (both Yes).
/// </summary>
public static class CriticQuestions
{
    /// <param name="identity">False drops the identity question (ablation "no identity", Table 3).</param>
    public static IReadOnlyList<CriticQuestion> For(EditSample sample, bool identity)
    {
        if (sample.Task == EditTask.Customization)
        {
            var obj = Require(sample.ObjectName, sample, "customization");
            var values = new Dictionary<string, string> { ["object_name"] = obj };
            var pose = new CriticQuestion("edit", PaperPrompts.CustomizationPose.FillUser(values), SingleImage: false, CorrectIsYes: true);
            return identity
                ? [pose, new CriticQuestion("identity", PaperPrompts.CustomizationIdentity.FillUser(values), false, true)]
                : [pose];
        }

        var instruction = new Dictionary<string, string> { ["edit_instruction"] = sample.Instruction };
        var edit = sample.EditType == EditType.Remove
            ? new CriticQuestion("edit", PaperPrompts.RemovalPresence.FillUser(
                new Dictionary<string, string> { ["object_name"] = Require(sample.ObjectName, sample, "removal") }), SingleImage: true, CorrectIsYes: false)
            : new CriticQuestion("edit", PaperPrompts.EditVerification.FillUser(instruction), SingleImage: false, CorrectIsYes: true);
        return identity
            ? [edit, new CriticQuestion("identity", PaperPrompts.IdentityPreservation.FillUser(instruction), false, true)]
            : [edit];
    }

    private static string Require(string objectName, EditSample sample, string what) =>
        string.IsNullOrWhiteSpace(objectName)
            ? throw new InvalidDataException($"Row '{sample.Id}' is a {what} sample without an object name; rebuild the dataset shard.")
            : objectName;
}
