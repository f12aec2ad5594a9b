namespace NpEdit.Core.Database;

/// <summary>What is known about the embedded cluster right now.</summary>
/// <param name="ClusterDirectory">The <c>.npedit/pg</c> folder: lock, port and password files.</param>
/// <param name="DataDirectory">The PostgreSQL data directory (usually <c>.npedit/pg/data</c>).</param>
/// <param name="Initialized">initdb has run.</param>
/// <param name="Running">A live postmaster owns the data directory.</param>
/// <param name="ProcessId">The postmaster's pid when running.</param>
/// <param name="Port">The TCP port on 127.0.0.1 when running.</param>
public sealed record EmbeddedClusterInfo(
    string ClusterDirectory, string DataDirectory, bool Initialized, bool Running, int? ProcessId, int? Port);
