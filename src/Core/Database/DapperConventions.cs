using System.Runtime.CompilerServices;
using Dapper;

namespace NpEdit.Core.Database;

internal static class DapperConventions
{
    // Every store maps snake_case columns to PascalCase members; set it once when Core loads rather than
    // relying on which store happens to be constructed first.
#pragma warning disable CA2255 // a module initializer in a library is intended here
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
