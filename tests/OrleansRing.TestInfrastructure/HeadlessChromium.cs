using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    /// <summary>
    /// Opens <paramref name="url"/> and returns its DOM once the JavaScript expression <paramref name="condition"/> is
    /// true, polled in real time over the DevTools protocol. For pages that keep a connection open (server-sent events),
    /// where <see cref="DumpDomAsync"/>'s virtual time would dump the page before anything has arrived.
    /// </summary>
    /// <exception cref="TimeoutException">The condition was still false after <paramref name="timeout"/>; the message holds the DOM.</exception>
    public static async Task<string> WaitForDomAsync(string url, string condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var executable = Executable ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium.");
        var profile = Path.Combine(Path.GetTempPath(), $"orleansring-chromium-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in CommonArguments(profile).Concat(["--remote-debugging-port=0", "about:blank"]))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout + TimeSpan.FromSeconds(30));
            // Chromium says where its DevTools endpoint is on stderr: "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
            string? endpoint = null;
            while (endpoint is null && await process.StandardError.ReadLineAsync(deadline.Token).ConfigureAwait(false) is { } line)
            {
                var at = line.IndexOf("ws://", StringComparison.Ordinal);
                endpoint = line.StartsWith("DevTools listening on ", StringComparison.Ordinal) && at >= 0 ? line[at..].Trim() : null;
            }
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(endpoint ?? throw new InvalidOperationException($"chromium exited {(process.HasExited ? process.ExitCode : -1)} without a DevTools endpoint")), deadline.Token).ConfigureAwait(false);
            var devTools = new DevToolsConnection(socket);
            var target = await devTools.CallAsync("Target.createTarget", new JsonObject { ["url"] = url }, null, deadline.Token).ConfigureAwait(false);
            var attached = await devTools.CallAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, deadline.Token).ConfigureAwait(false);
            var session = attached["sessionId"]!.GetValue<string>();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var met = await devTools.EvaluateAsync(session, $"Boolean({condition})", deadline.Token).ConfigureAwait(false);
                if (met is JsonValue value && value.GetValueKind() == JsonValueKind.True)
                {
                    return (await devTools.EvaluateAsync(session, "document.documentElement.outerHTML", deadline.Token).ConfigureAwait(false))!.GetValue<string>();
                }
                if (clock.Elapsed > timeout)
                {
                    var dom = await devTools.EvaluateAsync(session, "document.documentElement.outerHTML", deadline.Token).ConfigureAwait(false);
                    throw new TimeoutException($"after {timeout}, '{condition}' was still false; the page:\n{dom}");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            DeleteProfile(profile);
        }
    }

    /// <summary>The DOM after the page has loaded and run its scripts.</summary>
    public static async Task<string> DumpDomAsync(string url, CancellationToken cancellationToken)
    {
        var executable = Executable ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium.");
        var profile = Path.Combine(Path.GetTempPath(), $"orleansring-chromium-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in CommonArguments(profile).Concat(["--virtual-time-budget=10000", "--dump-dom", url]))
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
            DeleteProfile(profile);
        }
    }

    private static string[] CommonArguments(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
    ];

    private static void DeleteProfile(string profile)
    {
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A crash handler may still hold a file; the profile is in the temp folder.
        }
    }

    /// <summary>Just enough of the DevTools protocol: numbered calls over one web socket, events skipped.</summary>
    private sealed class DevToolsConnection(ClientWebSocket socket)
    {
        private int _nextId;

        public async Task<JsonNode?> EvaluateAsync(string session, string expression, CancellationToken cancellationToken)
        {
            var answer = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, session, cancellationToken).ConfigureAwait(false);
            return answer["result"]?["value"];
        }

        public async Task<JsonNode> CallAsync(string method, JsonObject parameters, string? session, CancellationToken cancellationToken)
        {
            var id = ++_nextId;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            if (session is not null)
            {
                message["sessionId"] = session;
            }
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var reply = JsonNode.Parse(await ReceiveAsync(cancellationToken).ConfigureAwait(false))!;
                if (reply["id"]?.GetValue<int>() != id)
                {
                    continue; // an event, or the answer to nothing we wait for
                }
                return reply["error"] is { } error
                    ? throw new InvalidOperationException($"DevTools {method}: {error.ToJsonString()}")
                    : reply["result"]!;
            }
        }

        private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var part = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("chromium closed the DevTools connection");
                }
                message.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
    }
}
