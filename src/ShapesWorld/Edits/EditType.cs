namespace NpEdit.ShapesWorld.Edits;

/// <summary>The paper's ten local edit types plus free-form customization (Sec. 3.1, App. D).</summary>
public enum EditType { Color, Texture, Adjust, Add, Remove, Replace, Background, Style, Action, Text, Customization }
