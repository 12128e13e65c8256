using Microsoft.AspNetCore.Http;

namespace OrleansRing.Api;

/// <summary>
/// The page at "/": one static HTML file (embedded) whose script lists the sweeps, follows one over the events
/// stream and shows its figures and table when it is done. It holds no data and needs no token to load; it sends
/// the token (from <c>#token=</c> in its URL, or typed in) with every API call.
/// </summary>
public static class ApiPage
{
    private static readonly Lazy<byte[]> s_html = new(() =>
    {
        using var stream = typeof(ApiPage).Assembly.GetManifestResourceStream("OrleansRing.Api.Page.index.html")
            ?? throw new InvalidOperationException("The page is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve() => TypedResults.Bytes(s_html.Value, "text/html; charset=utf-8");
}
