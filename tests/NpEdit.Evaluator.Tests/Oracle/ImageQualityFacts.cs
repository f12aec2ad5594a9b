using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class ImageQualityFacts
{
    private static RgbImage Flat(int size, byte value) => new(Enumerable.Repeat(value, size * size * 3).ToArray(), size, size);

    [Fact]
    public void Identical_images_have_infinite_psnr_and_ssim_one()
    {
        var image = RgbImage.Render(SceneSampler.Sample(7), 32);
        Assert.Equal(double.PositiveInfinity, ImageQuality.Psnr(image, image));
        Assert.Equal(1.0, ImageQuality.Ssim(image, image), 12);
    }

    [Fact]
    public void Psnr_of_a_uniform_offset_follows_the_formula()
    {
        // Every byte off by 10: MSE = 100, PSNR = 10·log10(255² / 100).
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / 100), ImageQuality.Psnr(Flat(16, 100), Flat(16, 110)), 10);
    }

    [Fact]
    public void Ssim_of_flat_images_is_the_luminance_term()
    {
        // No variance anywhere, so SSIM = (2·μx·μy + C1) / (μx² + μy² + C1) with C1 = (0.01·255)².
        const double c1 = 0.01 * 255 * 0.01 * 255;
        double expected = (2.0 * 100 * 150 + c1) / (100.0 * 100 + 150.0 * 150 + c1);
        Assert.Equal(expected, ImageQuality.Ssim(Flat(16, 100), Flat(16, 150)), 10);
    }

    [Fact]
    public void Ssim_falls_as_noise_grows()
    {
        var clean = RgbImage.Render(SceneSampler.Sample(11), 64);
        var rng = new Random(1);
        RgbImage Noisy(int amplitude) => clean with
        {
            Pixels = clean.Pixels.Select(p => (byte)Math.Clamp(p + rng.Next(-amplitude, amplitude + 1), 0, 255)).ToArray(),
        };
        double mild = ImageQuality.Ssim(clean, Noisy(8)), strong = ImageQuality.Ssim(clean, Noisy(60));
        Assert.InRange(mild, strong + 0.1, 0.999);
        Assert.True(ImageQuality.Psnr(clean, Noisy(8)) > ImageQuality.Psnr(clean, Noisy(60)));
    }

    [Fact]
    public void Different_sizes_are_refused_with_both_sizes_named()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(Flat(16, 0), Flat(32, 0)));
        Assert.Contains("16×16", e.Message);
        Assert.Contains("32×32", e.Message);
    }
}
