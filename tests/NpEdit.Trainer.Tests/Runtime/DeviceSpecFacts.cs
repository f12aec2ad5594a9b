using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public class DeviceSpecFacts
{
    [Theory]
    [InlineData("auto", DeviceKind.Auto, 0, "auto")]
    [InlineData("cpu", DeviceKind.Cpu, 0, "cpu")]
    [InlineData(" CPU ", DeviceKind.Cpu, 0, "cpu")]
    [InlineData("cuda", DeviceKind.Cuda, 0, "cuda:0")]
    [InlineData("cuda:0", DeviceKind.Cuda, 0, "cuda:0")]
    [InlineData("CUDA:3", DeviceKind.Cuda, 3, "cuda:3")]
    public void Parse_ReturnsSpec_WhenTextIsValid(string text, DeviceKind kind, int index, string canonical)
    {
        var spec = DeviceSpec.Parse(text);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(index, spec.Index);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, DeviceSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:1.5")]
    [InlineData("cpu:0")]
    [InlineData("cuda 0")]
    public void Parse_ThrowsWithTheAcceptedForms_WhenTextIsInvalid(string? text)
    {
        var ex = Assert.Throws<FormatException>(() => DeviceSpec.Parse(text));

        Assert.Contains("auto, cpu, cuda or cuda:N", ex.Message);
        Assert.False(DeviceSpec.TryParse(text, out var spec, out var error));
        Assert.Null(spec);
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void Cuda_Throws_WhenIndexIsNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceSpec.Cuda(-1));
    }
}
