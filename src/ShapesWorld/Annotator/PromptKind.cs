namespace NpEdit.ShapesWorld.Annotator;

/// <summary>Which App. D prompt a request carries; recognised by phrases unique to each prompt text.</summary>
public enum PromptKind { Unknown, InstructionGeneration, ValidityAndCaption, ProminentObject, BackgroundSuggestions }
