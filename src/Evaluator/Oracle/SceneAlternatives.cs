namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The network's ranking of every value, best first, for one image: per cell for shape, colour and sign character,
/// and for the background kind and style. <see cref="SceneRefiner"/> tries the leading alternatives.
/// </summary>
public sealed record SceneAlternatives(int[][] Shapes, int[][] Colors, int[][] Characters, int[] BackgroundKinds, int[] Styles);
