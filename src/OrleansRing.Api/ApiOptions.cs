using Microsoft.Extensions.Configuration;

namespace OrleansRing.Api;

/// <summary>
/// The HTTP API's settings (section <see cref="SectionName"/>; on the silo, flag <c>--api</c> turns it on). It is
/// served on the silo's web host, beside the health endpoints, and refuses to start without a token.
/// </summary>
public sealed class ApiOptions
{
    public const string SectionName = "OrleansRing:Api";

    /// <summary>Tokens as one value, separated by commas or white space: what a Kubernetes Secret gives an env var.</summary>
    public const string TokensEnvironmentVariable = "ORLEANSRING_API_TOKENS";

    /// <summary>Shorter tokens are refused: a bearer token is a password that travels with every request.</summary>
    public const int MinimumTokenLength = 16;

    public bool Enabled { get; set; }

    /// <summary>Accepted bearer tokens (several, so one can be rotated while the other still works).</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>A file of tokens, one a line (a mounted Secret); read at start.</summary>
    public string? TokensFile { get; set; }

    /// <summary>Where submitted sweeps keep their results folders, one per sweep id.</summary>
    public string ResultsFolder { get; set; } = Path.Combine("runs", "api");

    /// <summary>Relative data paths in submitted files are resolved here (default: the current directory).</summary>
    public string? DataFolder { get; set; }

    /// <summary>The largest request body accepted (a sweep file is a few hundred bytes).</summary>
    public long MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>A sweep expanding past this many experiments is refused with its count.</summary>
    public int MaxExperiments { get; set; } = 500;

    /// <summary>Sweeps (and runs) running at once in this host; more are refused with 429 until one ends.</summary>
    public int MaxActiveSweeps { get; set; } = 4;

    /// <summary>Submissions being parsed and validated at once; more are refused with 429.</summary>
    public int MaxConcurrentSubmissions { get; set; } = 4;

    /// <summary>Experiments of one sweep running at once; 0: the cluster's worker slots / workers per experiment.</summary>
    public int MaxParallel { get; set; }

    /// <summary>The options from <paramref name="configuration"/>, with <see cref="TokensEnvironmentVariable"/>'s tokens added.</summary>
    public static ApiOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ApiOptions();
        configuration.GetSection(SectionName).Bind(options);
        if (configuration[TokensEnvironmentVariable] is { Length: > 0 } text)
        {
            options.Tokens.AddRange(SplitTokens(text));
        }
        return options;
    }

    /// <summary>Every configured token: <see cref="Tokens"/> and the lines of <see cref="TokensFile"/>.</summary>
    /// <exception cref="ArgumentException">No token, a token too short, or an unreadable tokens file.</exception>
    public IReadOnlyList<string> ResolveTokens()
    {
        var tokens = new List<string>(Tokens.SelectMany(SplitTokens));
        if (TokensFile is { Length: > 0 } file)
        {
            try
            {
                tokens.AddRange(File.ReadAllLines(file).SelectMany(SplitTokens));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"{SectionName}:TokensFile: cannot read '{file}': {ex.Message}", nameof(TokensFile), ex);
            }
        }
        if (tokens.Count == 0)
        {
            throw new ArgumentException($"the HTTP API needs at least one bearer token: set {TokensEnvironmentVariable}, {SectionName}:Tokens or {SectionName}:TokensFile.", nameof(Tokens));
        }
        if (tokens.FirstOrDefault(t => t.Length < MinimumTokenLength) is { } shortToken)
        {
            throw new ArgumentException($"a bearer token of the HTTP API has {shortToken.Length} characters; at least {MinimumTokenLength} are needed (e.g. openssl rand -hex 32).", nameof(Tokens));
        }
        return tokens;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        void Positive(long value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentException($"{SectionName}:{name} must be at least 1; got {value}.", name);
            }
        }
        Positive(MaxRequestBytes, nameof(MaxRequestBytes));
        Positive(MaxExperiments, nameof(MaxExperiments));
        Positive(MaxActiveSweeps, nameof(MaxActiveSweeps));
        Positive(MaxConcurrentSubmissions, nameof(MaxConcurrentSubmissions));
        if (MaxParallel < 0)
        {
            throw new ArgumentException($"{SectionName}:{nameof(MaxParallel)} must be 0 (from the cluster) or more; got {MaxParallel}.", nameof(MaxParallel));
        }
        if (string.IsNullOrWhiteSpace(ResultsFolder))
        {
            throw new ArgumentException($"{SectionName}:{nameof(ResultsFolder)} must name a folder.", nameof(ResultsFolder));
        }
        _ = ResolveTokens();
    }

    private static string[] SplitTokens(string text) =>
        text.Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
