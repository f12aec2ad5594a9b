using Parquet;

namespace NpEdit.DatasetBuilder.Tests.Inputs;

/// <summary>
/// Damages one row group of a Parquet file in place, the way a bad disk block or an interrupted copy does: the footer
/// (and so the planning) stays readable, the row group's pages do not. Disposing restores the file.
/// </summary>
public sealed class DamagedParquet : IDisposable
{
    private readonly string _file;
    private readonly byte[] _original;

    private DamagedParquet(string file, byte[] original) => (_file, _original) = (file, original);

    public static async Task<DamagedParquet> DamageAsync(string file, int rowGroup)
    {
        var original = await File.ReadAllBytesAsync(file);
        var damaged = (byte[])original.Clone();
        await using (var reader = await ParquetReader.CreateAsync(file))
        {
            foreach (var column in reader.Metadata!.RowGroups[rowGroup].Columns)
            {
                var start = column.MetaData!.DictionaryPageOffset is > 0 and var d ? d : column.MetaData.DataPageOffset;
                // Every byte of the column chunk, page headers included.
                for (var i = start; i < start + column.MetaData.TotalCompressedSize; i++)
                    damaged[i] = 0xFF;
            }
        }
        await File.WriteAllBytesAsync(file, damaged);
        return new DamagedParquet(file, original);
    }

    public void Dispose() => File.WriteAllBytes(_file, _original);
}
