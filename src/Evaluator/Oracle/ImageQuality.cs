namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Full-reference image quality on 8-bit RGB: PSNR (peak 255, +∞ for identical images) and SSIM
/// (Wang et al. 2004: 11×11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, valid positions only,
/// per channel then averaged; the window shrinks to the image for images under 11 px).
/// </summary>
public static class ImageQuality
{
    public static double Psnr(RgbImage a, RgbImage b)
    {
        CheckSameSize(a, b);
        double sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            double d = a.Pixels[i] - b.Pixels[i];
            sum += d * d;
        }
        double mse = sum / a.Pixels.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public static double Ssim(RgbImage a, RgbImage b)
    {
        CheckSameSize(a, b);
        const double c1 = 0.01 * 255 * 0.01 * 255, c2 = 0.03 * 255 * 0.03 * 255;
        int window = Math.Min(11, Math.Min(a.Width, a.Height));
        if (window % 2 == 0) window--;
        var kernel = Gaussian(window, 1.5);
        int w = a.Width, h = a.Height, outW = w - window + 1, outH = h - window + 1;
        double total = 0;
        for (int channel = 0; channel < 3; channel++)
        {
            var x = Channel(a, channel);
            var y = Channel(b, channel);
            var xy = new double[x.Length];
            var xx = new double[x.Length];
            var yy = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                xy[i] = x[i] * y[i];
                xx[i] = x[i] * x[i];
                yy[i] = y[i] * y[i];
            }
            var muX = Filter(x, w, h, kernel);
            var muY = Filter(y, w, h, kernel);
            var eXX = Filter(xx, w, h, kernel);
            var eYY = Filter(yy, w, h, kernel);
            var eXY = Filter(xy, w, h, kernel);
            double sum = 0;
            for (int i = 0; i < outW * outH; i++)
            {
                double mx = muX[i], my = muY[i];
                double vx = eXX[i] - mx * mx, vy = eYY[i] - my * my, cov = eXY[i] - mx * my;
                sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
            total += sum / (outW * outH);
        }
        return total / 3;
    }

    private static void CheckSameSize(RgbImage a, RgbImage b)
    {
        a.Validate();
        b.Validate();
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"Images must have the same size to compare: {a.Width}×{a.Height} vs {b.Width}×{b.Height}.");
    }

    private static double[] Channel(RgbImage image, int channel)
    {
        var values = new double[image.Width * image.Height];
        for (int i = 0; i < values.Length; i++) values[i] = image.Pixels[3 * i + channel];
        return values;
    }

    private static double[] Gaussian(int size, double sigma)
    {
        var k = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            double d = i - (size - 1) / 2.0;
            k[i] = Math.Exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) k[i] /= sum;
        return k;
    }

    /// <summary>Separable "valid" filtering: the result is (w − n + 1) × (h − n + 1), row-major.</summary>
    private static double[] Filter(double[] image, int w, int h, double[] kernel)
    {
        int n = kernel.Length, outW = w - n + 1, outH = h - n + 1;
        var rows = new double[outW * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < outW; x++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += kernel[k] * image[y * w + x + k];
                rows[y * outW + x] = s;
            }
        var result = new double[outW * outH];
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += kernel[k] * rows[(y + k) * outW + x];
                result[y * outW + x] = s;
            }
        return result;
    }
}
