using System.Diagnostics;

namespace OrleansRing.TestInfrastructure;

/// <summary>
/// Debian's Chromium, headless, for checking pages as a browser renders them. Started with the flags that keep it
/// off the network (this machine's network is closed) and a fresh profile each time.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The browser binary, or null where it is not installed (.ci/run installs Debian's chromium).</summary>
    public static string? Executable { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>CI sets this so that a missing browser fails the browser tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("ORLEANSRING_REQUIRE_CHROMIUM") == "1";

    /// <summary>The DOM after the page has loaded and run its scripts.</summary>
    public static async Task<string> DumpDomAsync(string url, CancellationToken cancellationToken)
    {
        var executable = Executable ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium.");
        var profile = Path.Combine(Path.GetTempPath(), $"orleansring-chromium-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            "--virtual-time-budget=10000", "--dump-dom", url,
        })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var dom = await output.ConfigureAwait(false);
            return process.ExitCode == 0 && dom.Length > 0
                ? dom
                : throw new InvalidOperationException($"chromium exited {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A crash handler may still hold a file; the profile is in the temp folder.
            }
        }
    }
}
