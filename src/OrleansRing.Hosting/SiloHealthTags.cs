namespace OrleansRing.Hosting;

/// <summary>Which probe a health check serves: each endpoint runs the checks with its tag.</summary>
public static class SiloHealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
    public const string Startup = "startup";
}
