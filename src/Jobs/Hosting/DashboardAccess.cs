using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// Who may open the dashboard. On 127.0.0.1 nobody else can reach it, so no credentials are needed; any other
/// bind address needs a token (<c>NPEDIT_DASHBOARD_TOKEN</c>) or basic auth (<c>NPEDIT_DASHBOARD_USER</c> and
/// <c>NPEDIT_DASHBOARD_PASSWORD</c>), because the dashboard can delete and requeue jobs.
/// </summary>
public sealed record DashboardAccess(string? Token, string? User, string? Password)
{
    public const string TokenVariable = "NPEDIT_DASHBOARD_TOKEN";
    public const string UserVariable = "NPEDIT_DASHBOARD_USER";
    public const string PasswordVariable = "NPEDIT_DASHBOARD_PASSWORD";

    public static DashboardAccess FromEnvironment() => new(
        NullIfBlank(Environment.GetEnvironmentVariable(TokenVariable)),
        NullIfBlank(Environment.GetEnvironmentVariable(UserVariable)),
        NullIfBlank(Environment.GetEnvironmentVariable(PasswordVariable)));

    public bool HasToken => Token is not null;
    public bool HasBasic => User is not null && Password is not null;
    public bool IsConfigured => HasToken || HasBasic;

    /// <summary>Throws when <paramref name="host"/> is reachable from other machines and no credentials are set.</summary>
    public void EnsureAllowed(string host)
    {
        if (User is not null ^ Password is not null)
            throw new ArgumentException($"Set both {UserVariable} and {PasswordVariable} for basic auth (only one is set).");
        if (IsLoopback(host) || IsConfigured)
            return;
        throw new ArgumentException(
            $"Refusing to bind the dashboard to '{host}': it would be reachable from other machines without authentication. " +
            $"Set {TokenVariable} (a long random string) or {UserVariable} and {PasswordVariable}, or bind 127.0.0.1.");
    }

    /// <summary>Whether a request carries valid credentials (bearer token, the token cookie or query, or basic auth).</summary>
    public bool Accepts(string? authorizationHeader, string? tokenCookie, string? tokenQuery)
    {
        if (!IsConfigured)
            return true;
        if (HasToken && (Matches(tokenCookie, Token!) || Matches(tokenQuery, Token!)))
            return true;
        if (authorizationHeader is null)
            return false;
        if (HasToken && authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Matches(authorizationHeader["Bearer ".Length..].Trim(), Token!);
        if (HasBasic && authorizationHeader.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorizationHeader["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }
            var colon = decoded.IndexOf(':');
            return colon > 0 && Matches(decoded[..colon], User!) & Matches(decoded[(colon + 1)..], Password!);
        }
        return false;
    }

    public static bool IsLoopback(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    // Constant-time comparison, so response timing does not reveal how much of a guess was right.
    private static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
