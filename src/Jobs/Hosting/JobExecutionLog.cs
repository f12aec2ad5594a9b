using Dapper;
using Hangfire.Server;
using Npgsql;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// Records every job execution in <c>npedit.job_executions</c> (job, type, queue, server, times, outcome), so
/// "which machine ran this, and was anything run twice?" is one SQL query.
/// </summary>
public sealed class JobExecutionLog(NpgsqlDataSource dataSource) : IServerFilter
{
    private const string RowKey = "npedit.execution_id";

    public void OnPerforming(PerformingContext context)
    {
        using var conn = dataSource.OpenConnection();
        var id = conn.ExecuteScalar<long>("""
            INSERT INTO npedit.job_executions (job_id, job_type, queue, server_id)
            VALUES (@jobId, @jobType, @queue, @serverId) RETURNING id
            """, new
        {
            jobId = context.BackgroundJob.Id,
            jobType = $"{context.BackgroundJob.Job.Type.Name}.{context.BackgroundJob.Job.Method.Name}",
            queue = context.BackgroundJob.Job.Queue,
            serverId = context.ServerId,
        });
        context.Items[RowKey] = id;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(RowKey, out var boxed) || boxed is not long id)
            return;
        var error = context.Exception?.InnerException ?? context.Exception;
        var outcome = error switch
        {
            null => "succeeded",
            OperationCanceledException => "cancelled",
            _ => "failed",
        };
        using var conn = dataSource.OpenConnection();
        conn.Execute("UPDATE npedit.job_executions SET ended_at = now(), outcome = @outcome, error = @message WHERE id = @id",
            new { id, outcome, message = error?.Message });
    }
}
