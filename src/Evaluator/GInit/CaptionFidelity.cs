using System.Text.Json.Serialization;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// How well images match the compact captions they were drawn for, as the ShapesWorld oracle reads them. Per
/// captioned object, bound to the cell the caption names: <see cref="InCell"/> (the oracle reads an object
/// there), <see cref="ColorRight"/> and <see cref="ShapeRight"/> (that object has the named colour / shape),
/// <see cref="AllThree"/>; per image, <see cref="BackgroundRight"/> (the background kind). Cells the caption
/// leaves empty are counted apart (<see cref="EmptyKeptEmpty"/>): a colour sprayed everywhere must not pass.
/// </summary>
/// <param name="Images">Images scored.</param>
/// <param name="Objects">Objects the captions name.</param>
/// <param name="InCell">Objects where the oracle reads an object in the named cell.</param>
/// <param name="ColorRight">Objects read in the named cell with the named colour.</param>
/// <param name="ShapeRight">Objects read in the named cell with the named shape.</param>
/// <param name="AllThree">Objects read in the named cell with both the named colour and shape.</param>
/// <param name="BackgroundRight">Images whose background kind (grass, sky, plain, …) the oracle reads as captioned.</param>
/// <param name="EmptyCells">Cells the captions leave empty (no object, no sign).</param>
/// <param name="EmptyKeptEmpty">Of those, cells where the oracle reads no object.</param>
public sealed record CaptionFidelity(
    int Images, int Objects, int InCell, int ColorRight, int ShapeRight, int AllThree, int BackgroundRight, int EmptyCells, int EmptyKeptEmpty)
{
    [JsonIgnore] public double InCellRate => Rate(InCell, Objects);
    [JsonIgnore] public double ColorRate => Rate(ColorRight, Objects);
    [JsonIgnore] public double ShapeRate => Rate(ShapeRight, Objects);
    [JsonIgnore] public double AllThreeRate => Rate(AllThree, Objects);
    [JsonIgnore] public double BackgroundRate => Rate(BackgroundRight, Images);
    [JsonIgnore] public double EmptyKeptEmptyRate => Rate(EmptyKeptEmpty, EmptyCells);

    /// <summary>
    /// The attribute agreement of issue 4's quality bar (goal ≥ 0.8): every captioned attribute pooled —
    /// cell, colour and shape of each object and each image's background kind — right over all of them.
    /// </summary>
    [JsonIgnore]
    public double Agreement => Rate(InCell + ColorRight + ShapeRight + BackgroundRight, 3 * Objects + Images);

    /// <summary>The rates by name, as logged (<c>eval/oracle_&lt;name&gt;</c>) and printed.</summary>
    public IReadOnlyList<(string Name, double Value)> Rates =>
    [
        ("color", ColorRate), ("shape", ShapeRate), ("cell", InCellRate), ("all_three", AllThreeRate),
        ("background", BackgroundRate), ("empty_cells_empty", EmptyKeptEmptyRate), ("agreement", Agreement),
    ];

    static double Rate(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;
}
