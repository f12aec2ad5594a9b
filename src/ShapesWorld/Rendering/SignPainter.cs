using NpEdit.ShapesWorld.Scenes;
using static NpEdit.ShapesWorld.Rendering.Shading;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>Draws a sign: a post, a bordered white board, and the glyph with exact pixel-area coverage of its font cells.</summary>
internal static class SignPainter
{
    private static readonly Rgb Board = new(246, 246, 240);
    private static readonly Rgb Ink = new(28, 28, 32);
    private static readonly Rgb Post = new(110, 75, 45);

    public static void Paint(Canvas c, TextSign sign)
    {
        float scale = MathF.Min(c.Width, c.Height);
        var (ux, uy) = SceneLayout.CellCenter(sign.Cell);
        float cx = ux * c.Width, cy = uy * c.Height - 0.03f * scale;
        float half = SceneLayout.SignHalfSize * scale;
        float postHalfW = MathF.Max(0.5f, 0.012f * scale), postBottom = cy + half + 0.07f * scale;
        float border = MathF.Max(0.6f, 0.012f * scale);

        int x0 = Math.Max(0, (int)MathF.Floor(cx - half - 1)), x1 = Math.Min(c.Width - 1, (int)MathF.Ceiling(cx + half + 1));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - half - 1)), y1 = Math.Min(c.Height - 1, (int)MathF.Ceiling(postBottom + 1));
        for (int y = y0; y <= y1; y++)
        {
            float py = y + 0.5f;
            for (int x = x0; x <= x1; x++)
            {
                float px = x + 0.5f;
                float postD = MathF.Max(MathF.Abs(px - cx) - postHalfW, MathF.Abs(py - (cy + postBottom) * 0.5f) - (postBottom - cy) * 0.5f);
                c.Blend(x, y, Post, Coverage(postD));
                float boardD = MathF.Max(MathF.Abs(px - cx), MathF.Abs(py - cy)) - half;
                c.Blend(x, y, Board, Coverage(boardD));
                c.Blend(x, y, Ink, Coverage(MathF.Abs(boardD + border * 0.5f) - border * 0.5f));
            }
        }
        PaintGlyph(c, sign.Character, cx, cy, half * 1.36f / BitmapFont.Rows);
    }

    private static void PaintGlyph(Canvas c, char ch, float cx, float cy, float cell)
    {
        float gx0 = cx - cell * BitmapFont.Columns * 0.5f, gy0 = cy - cell * BitmapFont.Rows * 0.5f;
        int x0 = Math.Max(0, (int)MathF.Floor(gx0)), x1 = Math.Min(c.Width - 1, (int)MathF.Ceiling(gx0 + cell * BitmapFont.Columns));
        int y0 = Math.Max(0, (int)MathF.Floor(gy0)), y1 = Math.Min(c.Height - 1, (int)MathF.Ceiling(gy0 + cell * BitmapFont.Rows));
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                // The pixel is the unit square [x, x+1]×[y, y+1]; add up its exact overlap with every ink cell it touches.
                float ink = 0f;
                int col0 = Math.Max(0, (int)MathF.Floor((x - gx0) / cell)), col1 = Math.Min(BitmapFont.Columns - 1, (int)MathF.Floor((x + 1 - gx0) / cell));
                int row0 = Math.Max(0, (int)MathF.Floor((y - gy0) / cell)), row1 = Math.Min(BitmapFont.Rows - 1, (int)MathF.Floor((y + 1 - gy0) / cell));
                for (int row = row0; row <= row1; row++)
                {
                    float oy = MathF.Min(y + 1, gy0 + (row + 1) * cell) - MathF.Max(y, gy0 + row * cell);
                    if (oy <= 0f) continue;
                    for (int col = col0; col <= col1; col++)
                    {
                        if (!BitmapFont.IsInk(ch, col, row)) continue;
                        float ox = MathF.Min(x + 1, gx0 + (col + 1) * cell) - MathF.Max(x, gx0 + col * cell);
                        if (ox > 0f) ink += ox * oy;
                    }
                }
                c.Blend(x, y, Ink, ink);
            }
        }
    }
}
