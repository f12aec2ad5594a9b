namespace NpEdit.ShapesWorld.Annotator;

/// <summary>Which prompt a request carries (App. D, or a VIEScore judge prompt); recognised by phrases unique to each prompt text.</summary>
public enum PromptKind { Unknown, InstructionGeneration, ValidityAndCaption, ProminentObject, BackgroundSuggestions, VieSemanticConsistency, ViePerceptualQuality }
