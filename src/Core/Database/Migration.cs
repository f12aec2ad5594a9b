using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NpEdit.Core.Database;

/// <summary>One versioned schema file, <c>sql/NNN_name.sql</c>.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    public string FileName => $"{Version:D3}_{Name}.sql";

    /// <summary>sha256 of the file's text with line endings normalised, so a checkout with CRLF still matches.</summary>
    public string Checksum => Convert.ToHexString(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n")))).ToLowerInvariant();

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    public static Migration Parse(string fileName, string sql)
    {
        var m = FileNamePattern().Match(fileName);
        if (!m.Success)
            throw new DatabaseSetupException(
                $"Schema file '{fileName}' is not named NNN_lower_snake_name.sql; rename it so its order is explicit.");
        return new Migration(int.Parse(m.Groups[1].Value), m.Groups[2].Value, sql);
    }

    /// <summary>The migrations compiled into Core from the repository's <c>sql/</c> folder, in order.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            list.Add(Parse(resource["sql/".Length..], reader.ReadToEnd()));
        }
        return Ordered(list);
    }

    /// <summary>Every <c>NNN_*.sql</c> file of a folder, in order.</summary>
    public static IReadOnlyList<Migration> FromDirectory(string directory) =>
        Ordered(Directory.GetFiles(directory, "*.sql").Select(f => Parse(Path.GetFileName(f), File.ReadAllText(f))));

    private static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var sorted = migrations.OrderBy(m => m.Version).ToList();
        var clash = sorted.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new DatabaseSetupException(
                $"Two schema files share version {clash.Key:D3}: {string.Join(", ", clash.Select(m => m.FileName))}. Renumber one.");
        return sorted;
    }
}
