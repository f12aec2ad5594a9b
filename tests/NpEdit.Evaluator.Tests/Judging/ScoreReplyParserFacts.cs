using NpEdit.Evaluator.Judging;

namespace NpEdit.Evaluator.Tests.Judging;

public class ScoreReplyParserFacts
{
    [Theory]
    [InlineData("""{"score": [7, 3], "reasoning": "x"}""", 7, 3)]
    [InlineData("Here you go:\n```json\n{\"score\":[5,6],\"reasoning\":\"y\"}\n```", 5, 6)]
    [InlineData("""{"reasoning": "z", "scores": [1.5, 2]}""", 1.5, 2)]
    [InlineData("score: [0, 10] because ...", 0, 10)]
    public void Reads_the_score_list_wherever_the_reply_puts_it(string reply, double first, double second) =>
        Assert.Equal([first, second], ScoreReplyParser.Parse(reply, 2, 0, 10) ?? []);

    [Theory]
    [InlineData("I cannot tell what the image shows.")]
    [InlineData("""{"score": [7], "reasoning": "one only"}""")]
    [InlineData("""{"score": [7, 12]}""")]
    [InlineData("""{"score": [7, "high"]}""")]
    [InlineData("""{"score": [-1, 3]}""")]
    public void Gives_null_rather_than_a_guess(string reply) =>
        Assert.Null(ScoreReplyParser.Parse(reply, 2, 0, 10));
}
