using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Parsing;

namespace NpEdit.DatasetBuilder.Tests.Parsing;

/// <summary>Replies written the way real models write them: markdown, bold labels, numbering, preambles, extra text.</summary>
public class ReplyParserFacts
{
    [Fact]
    public void InstructionList_ReadsMarkdownNumberedBoldItems_WithPreambleAndReasoning()
    {
        const string reply = """
            Sure! Here are 4 creative edit instructions based on the image:

            1. **Instruction:** Change the color of the umbrella to bright yellow.
               **Type:** Local color change
               **Reasoning:** The umbrella is clearly visible.

            2. **Instruction:** "Add a hot air balloon in the upper left part of the sky"
               **Type:** [insertion]

            3. - Type: bg
               - Instruction: change the background to a snowy forest

            ### Example 4
            - **Edit Instruction**: make the man wave his right hand
            - **Edit type**: action (pose change)

            I hope these help!
            """;
        var parsed = InstructionListParser.Parse(reply);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(
            [
                new ProposedInstruction("Change the color of the umbrella to bright yellow", EditType.Color),
                new ProposedInstruction("Add a hot air balloon in the upper left part of the sky", EditType.Add),
                new ProposedInstruction("change the background to a snowy forest", EditType.Background),
                new ProposedInstruction("make the man wave his right hand", EditType.Action),
            ],
            parsed.Value!.Items);
    }

    [Fact]
    public void InstructionList_ReadsTypeLabelledLines_AndDropsItemsWithoutAReadableType()
    {
        const string reply = """
            **Color change**: make the car red
            **Texture**: give the wall a brick texture
            - Instruction: do something nice to the picture
            - Type: whatever fits
            Text manipulation: change the sign to read "OPEN"
            """;
        var parsed = InstructionListParser.Parse(reply);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal([EditType.Color, EditType.Texture, EditType.Text], parsed.Value!.Items.Select(i => i.EditType));
        Assert.Equal("change the sign to read \"OPEN\"", parsed.Value.Items[2].Instruction);
        Assert.Contains(parsed.Value.Dropped, d => d.Contains("unknown type 'whatever fits'"));
    }

    [Theory]
    [InlineData("I'm sorry, I can't help with that image.")]
    [InlineData("Valid\u0000ity: ##")]
    [InlineData("- Type: add\n- Type: remove")]
    public void InstructionList_RejectsRepliesWithNoUsableItem(string reply) =>
        Assert.False(InstructionListParser.Parse(reply).Ok);

    [Fact]
    public void InstructionList_KeepsAtMostFour_AndDropsRepeats()
    {
        var reply = string.Join("\n", Enumerable.Range(1, 6).Select(i => $"{i}. Instruction: make the ball {(i == 2 ? "blue" : $"color {i}")}\n   Type: color"))
                    + "\n7. Instruction: Make the ball BLUE.\n   Type: color";
        var parsed = InstructionListParser.Parse(reply);
        Assert.Equal(4, parsed.Value!.Items.Count);
        Assert.Contains(parsed.Value.Dropped, d => d.Contains("repeated"));
    }

    [Theory]
    [InlineData("Validity: valid\n\nReasoning: The cup is there.\n\nEdited image Caption: A table with a red cup.", true, "A table with a red cup.")]
    [InlineData("**Validity:** Valid\n**Reasoning:** fine\n**Edited Image Caption:**\nA quiet street\nat night, with lanterns.", true, "A quiet street at night, with lanterns.")]
    [InlineData("- Validity: invalid\n- Reasoning: There is no dog.\n- Edited image caption: NA", false, "")]
    [InlineData("Here is my assessment.\n\nValidity : Not valid — the object is missing\nReasoning: missing\nEdited image Caption: N/A", false, "")]
    [InlineData("1. Validity: YES\n2. Reasoning: ok\n3. Edited caption: \"A beach at sunset.\"", true, "A beach at sunset.")]
    public void Validity_ReadsVerdictAndCaption(string reply, bool valid, string caption)
    {
        var parsed = ValidityParser.Parse(reply);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(valid, parsed.Value!.Valid);
        Assert.Equal(caption, parsed.Value.EditedCaption);
    }

    [Theory]
    [InlineData("Validity: cannot tell\n\nReasoning: I cannot tell what the image shows.\n\nEdited image Caption: NA", "neither valid nor invalid")]
    [InlineData("Validity: valid\nReasoning: fine\nEdited image Caption: NA", "no edited image caption")]
    [InlineData("The instruction seems reasonable and the caption would be a red car.", "no 'Validity:' field")]
    [InlineData("Validity: None", "neither valid nor invalid")]
    public void Validity_RejectsWhatItCannotRead_WithoutInventingACaption(string reply, string reason)
    {
        var parsed = ValidityParser.Parse(reply);
        Assert.False(parsed.Ok);
        Assert.Contains(reason, parsed.Error);
    }

    [Theory]
    [InlineData("Output: True\n\nReasoning: A single cat in the center.\n\nObject Name: cat", true, "cat")]
    [InlineData("**Output:** True\n**Reasoning:** one toy\n**Object Name:** \"red toy robot\".", true, "red toy robot")]
    [InlineData("Output: False\nReasoning: Several trees.\nObject Name: tree", false, "tree")]
    [InlineData("Output: false\nReasoning: a landscape\nObject Name: N/A", false, "")]
    public void ProminentObject_ReadsVerdictAndName(string reply, bool prominent, string name)
    {
        var parsed = ProminentObjectParser.Parse(reply);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(prominent, parsed.Value!.Prominent);
        Assert.Equal(name, parsed.Value.ObjectName);
    }

    [Theory]
    [InlineData("Output: cannot tell\n\nReasoning: unknown image\n\nObject Name: NA")]
    [InlineData("Output: True\nReasoning: one object\nObject Name: NA")]
    [InlineData("The second image shows a backpack.")]
    public void ProminentObject_RejectsUnreadableOrNamelessVerdicts(string reply) =>
        Assert.False(ProminentObjectParser.Parse(reply).Ok);

    [Fact]
    public void Backgrounds_ReadNumberedWrappedAndBoldCaptions_AfterAPreamble()
    {
        const string reply = """
            Here are three diverse background captions:

            1. **on a wooden picnic table** in a sunny park, with
               children playing in the distance.
            2) Background 2: resting on a snowy windowsill, frost on the glass.
            - on the deck of a sailboat under a clear blue sky
            4. on a fourth background that was not asked for
            """;
        var parsed = BackgroundListParser.Parse(reply);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(
            [
                "on a wooden picnic table in a sunny park, with children playing in the distance.",
                "resting on a snowy windowsill, frost on the glass.",
                "on the deck of a sailboat under a clear blue sky",
            ],
            parsed.Value!);
    }

    [Fact]
    public void Backgrounds_None_IsAnAnswerWithNoCaptions_AndProseIsAReject()
    {
        Assert.Empty(BackgroundListParser.Parse("None").Value!);
        Assert.Empty(BackgroundListParser.Parse("**None.**").Value!);
        Assert.False(BackgroundListParser.Parse("I think the object would look great on a beach.").Ok);
    }

    [Theory]
    [InlineData("remove the red car from the street", "the red car")]
    [InlineData("take the blue hexagon out of the picture", "the blue hexagon")]
    [InlineData("Erase the clock on the wall.", "the clock")]
    [InlineData("make the bird disappear", "the bird")]
    [InlineData("change the sky to sunset", "")]
    public void RemovedObject_NamesWhatTheInstructionRemoves(string instruction, string expected) =>
        Assert.Equal(expected, RemovedObject.FromInstruction(instruction));

    [Theory]
    [InlineData("local color change", EditType.Color)]
    [InlineData("Colour", EditType.Color)]
    [InlineData("local texture", EditType.Texture)]
    [InlineData("adjust (shape change)", EditType.Shape)]
    [InlineData("[insertion]", EditType.Add)]
    [InlineData("4) add", EditType.Add)]
    [InlineData("Removal", EditType.Remove)]
    [InlineData("bg", EditType.Background)]
    [InlineData("Background change", EditType.Background)]
    [InlineData("stylization", EditType.Style)]
    [InlineData("text manipulation", EditType.Text)]
    [InlineData("action", EditType.Action)]
    [InlineData("background color change", null)]
    [InlineData("something else", null)]
    public void EditTypeLabels_MapModelSpellings_AndRefuseAmbiguousOnes(string label, string? expected) =>
        Assert.Equal(expected, EditTypeLabels.Parse(label));
}
