namespace NpEdit.Trainer.Training;

/// <summary>One App. E question for the critic about one sample.</summary>
/// <param name="Kind"><c>edit</c> (edit verification) or <c>identity</c> (identity preservation), for the logs.</param>
/// <param name="Text">The filled question.</param>
/// <param name="SingleImage">Only the edited image is shown (removal's presence question); otherwise [reference, edited].</param>
/// <param name="CorrectIsYes">The answer the loss pushes toward.</param>
public sealed record CriticQuestion(string Kind, string Text, bool SingleImage, bool CorrectIsYes);
