using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// Words an <see cref="EditSpec"/> as several instructions, simple and single-step as App. D asks.
/// Every phrasing names the object by colour and shape before any new value, which
/// <see cref="InstructionParser"/> relies on.
/// </summary>
public static class InstructionWriter
{
    /// <summary>The App. E.2 generator prompt for customization.</summary>
    public const string CustomizationTemplate = "Generate the main object shown in the first image in a different setting and pose: {0}";

    public static IReadOnlyList<string> Write(EditSpec spec, Scene source)
    {
        switch (spec)
        {
            case RecolorEdit e:
            {
                string n = e.Object.Name, c = Vocabulary.Color(e.NewColor);
                return [$"make the {n} {c}", $"change the color of the {n} to {c}", $"paint the {n} {c}", $"recolor the {n} in {c}"];
            }
            case RetextureEdit e:
            {
                string n = e.Object.Name, noun = Vocabulary.PatternNoun(e.NewPattern);
                string adjective = e.NewPattern == Pattern.Solid ? "solid" : Vocabulary.PatternAdjective(e.NewPattern);
                return [$"give the {n} {noun}", $"make the {n} {adjective}", $"change the surface of the {n} to {noun}"];
            }
            case ReshapeEdit e:
            {
                string n = e.Object.Name, s = Vocabulary.Shape(e.NewShape);
                return [$"turn the {n} into a {s}", $"change the shape of the {n} to a {s}", $"reshape the {n} into a {s}"];
            }
            case ResizeEdit e:
            {
                string n = e.Object.Name, z = Vocabulary.Size(e.NewSize);
                var current = source.Objects.FirstOrDefault(e.Object.Matches)?.Size;
                string verb = current is { } cur && cur > e.NewSize ? "shrink" : "enlarge";
                return [$"make the {n} {z}", $"{verb} the {n} to a {z} size", $"resize the {n} so that it is {z}"];
            }
            case AddEdit e:
            {
                string thing = Captioner.Article(string.Join(' ', new[] { Vocabulary.PatternAdjective(e.Pattern), Vocabulary.Color(e.Color), Vocabulary.Shape(e.Shape) }.Where(w => w.Length > 0)));
                if (e.Cell is not { } cell)
                {
                    string anchor = e.VagueAnchor?.Name ?? "other shapes";
                    return [$"add {thing} near the {anchor}", $"put {thing} beside the {anchor}", $"place {thing} next to the {anchor}"];
                }
                string where = Vocabulary.CellPhrase(cell);
                return [$"add {thing} {where}", $"put {thing} {where}", $"place {thing} {where} of the image"];
            }
            case RemoveEdit e:
            {
                string n = e.Object.Name;
                return [$"remove the {n}", $"delete the {n}", $"take the {n} out of the picture", $"erase the {n}"];
            }
            case ReplaceEdit e:
            {
                string n = e.Object.Name;
                string thing = Captioner.Article(string.Join(' ', new[] { Vocabulary.PatternAdjective(e.NewPattern), Vocabulary.Color(e.NewColor), Vocabulary.Shape(e.NewShape) }.Where(w => w.Length > 0)));
                return [$"replace the {n} with {thing}", $"swap the {n} for {thing}", $"put {thing} in place of the {n}"];
            }
            case BackgroundEdit e:
            {
                string b = Vocabulary.BackgroundPhrase(e.NewBackground);
                return [$"change the background to {b}", $"replace the background with {b}", $"set the shapes in front of {b}"];
            }
            case StyleEdit e:
            {
                string st = Vocabulary.StylePhrase(e.NewStyle);
                return [$"make the picture look like {Captioner.Article(st)}", $"render the image as {Captioner.Article(st)}", $"convert the image to the style of {Captioner.Article(st)}"];
            }
            case RotateEdit e:
            {
                string n = e.Object.Name;
                if (e.ClockwiseDegrees == 180) return [$"turn the {n} upside down", $"rotate the {n} by 180 degrees", $"spin the {n} half a turn, 180 degrees"];
                if (e.ClockwiseDegrees > 180)
                {
                    int ccw = 360 - e.ClockwiseDegrees;
                    return [$"rotate the {n} {ccw} degrees counterclockwise", $"turn the {n} {ccw} degrees to the left", $"spin the {n} counterclockwise by {ccw} degrees"];
                }
                return [$"rotate the {n} {e.ClockwiseDegrees} degrees clockwise", $"turn the {n} {e.ClockwiseDegrees} degrees to the right", $"spin the {n} clockwise by {e.ClockwiseDegrees} degrees"];
            }
            case MoveEdit e:
            {
                string n = e.Object.Name, cell = Vocabulary.CellName(e.NewCell);
                return [$"move the {n} to the {cell} of the image", $"shift the {n} over to the {cell}", $"slide the {n} to the {cell} area"];
            }
            case FlipEdit e:
            {
                string n = e.Object.Name;
                return [$"flip the {n} horizontally", $"mirror the {n} left to right", $"flip the {n} so that it faces the other way"];
            }
            case TextEdit e:
            {
                string old = source.Sign is { } sign ? $"\"{sign.Character}\"" : "the character";
                string kind = char.IsDigit(e.NewCharacter) ? "number" : "letter";
                return [$"change the text on the sign to \"{e.NewCharacter}\"", $"make the sign show the {kind} \"{e.NewCharacter}\"", $"replace {old} on the sign with \"{e.NewCharacter}\""];
            }
            case CustomizeEdit e:
                return [string.Format(CustomizationTemplate, Vocabulary.BackgroundDescription(e.NewBackground))];
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), $"Unknown edit spec {spec.GetType().Name}.");
        }
    }
}
