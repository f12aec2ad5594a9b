using Hangfire.Dashboard;

namespace NpEdit.Jobs.Hosting;

/// <summary>Applies <see cref="DashboardAccess"/> to dashboard requests; a token given once as <c>?token=</c> is kept in a cookie.</summary>
public sealed class DashboardAuthorization(DashboardAccess access) : IDashboardAuthorizationFilter
{
    public const string CookieName = "npedit_dashboard";

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var query = http.Request.Query["token"].FirstOrDefault();
        if (access.Accepts(http.Request.Headers.Authorization.FirstOrDefault(), http.Request.Cookies[CookieName], query))
        {
            if (query is not null)
                http.Response.Cookies.Append(CookieName, query, new Microsoft.AspNetCore.Http.CookieOptions { HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict });
            return true;
        }
        // Lets a browser ask for basic-auth credentials instead of showing a bare 401.
        if (access.HasBasic)
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"npedit\"";
        return false;
    }
}
