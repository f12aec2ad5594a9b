using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Fixed 2D sin-cos position embeddings (MAE/DiT <c>get_2d_sincos_pos_embed</c>): half of the width
/// encodes the row, half the column, each as [sin(pos·ω), cos(pos·ω)] with ω_i = 10000^(−i/(D/4)).
/// </summary>
public static class SinCosPositions
{
    /// <summary>Positions for a grid×grid patch grid, row-major like <see cref="PatchEmbed"/>.</summary>
    /// <returns>(1, grid², dim) float32 on the CPU.</returns>
    public static Tensor Grid(int dim, int grid)
    {
        if (dim % 4 != 0)
            throw new ArgumentException($"2D sin-cos positions need a width divisible by 4, got {dim}.", nameof(dim));
        var quarter = dim / 4;
        var table = new float[grid * grid * dim];
        for (var row = 0; row < grid; row++)
        for (var col = 0; col < grid; col++)
        {
            var at = (row * grid + col) * dim;
            // DiT's grid is built from np.meshgrid(w, h), so the first half of the width encodes the column.
            Encode(table.AsSpan(at, 2 * quarter), col, quarter);
            Encode(table.AsSpan(at + 2 * quarter, 2 * quarter), row, quarter);
        }
        return tensor(table, [1, grid * grid, dim]);
    }

    static void Encode(Span<float> into, int position, int quarter)
    {
        for (var i = 0; i < quarter; i++)
        {
            var omega = 1.0 / Math.Pow(10000.0, (double)i / quarter);
            into[i] = (float)Math.Sin(position * omega);
            into[quarter + i] = (float)Math.Cos(position * omega);
        }
    }
}
