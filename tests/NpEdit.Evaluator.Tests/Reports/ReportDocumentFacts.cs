using Microsoft.Data.Analysis;
using NpEdit.Evaluator.Reports;

namespace NpEdit.Evaluator.Tests.Reports;

public sealed class ReportDocumentFacts
{
    [Fact]
    public void Table_PrintsTwoDecimals_ButKeepsSmallSpreadsReadable()
    {
        var doc = new ReportDocument("t");
        doc.Table(new DataFrame(new DoubleDataFrameColumn("v", [18.234, 0.5, 0.0, 0.0043, -0.013, double.NaN]), new StringDataFrameColumn("s", ["a|b", null, "c", "d", "e", "f"])));

        var (markdown, html) = doc.Render();

        Assert.Contains("| 18.23 | a\\|b |", markdown);
        Assert.Contains("| 0.50 | – |", markdown);
        Assert.Contains("| 0.00 | c |", markdown);
        Assert.Contains("| 0.0043 | d |", markdown);
        Assert.Contains("| -0.013 | e |", markdown);
        Assert.Contains("| – | f |", markdown);
        Assert.Contains("<td>0.0043</td>", html);
    }
}
