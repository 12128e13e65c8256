using System.CommandLine;
using OrleansRing.Api.Client;

namespace OrleansRing.Cli.Commands;

/// <summary>`--server URL` (and `--token`): talk to a host's HTTP API instead of connecting to the cluster with Orleans.</summary>
public sealed class ServerOptions
{
    private readonly Option<string?> _server = new("--server") { Description = "Use the HTTP API of a host at URL (e.g. http://127.0.0.1:8080, started with `orleansring silo --api`) instead of an Orleans connection." };
    private readonly Option<string?> _token = new("--token") { Description = $"With --server: the bearer token (default: ${OrleansRingApiClient.TokenEnvironmentVariable}; prefer the variable, a flag shows in the process list)." };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_server);
        command.Add(_token);
    }

    /// <summary>
    /// With --server: runs <paramref name="call"/> against the server and returns its exit code (2, with one line, when
    /// the options are wrong or <paramref name="localOnlyOptions"/> names options that only apply locally); without it:
    /// null, and the command runs as it does without a server.
    /// </summary>
    public async Task<int?> TryRunAsync(ParseResult parse, string command, Func<OrleansRingApiClient, Task<int>> call, string? localOnlyOptions = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        OrleansRingApiClient? client;
        try
        {
            client = Connect(parse);
            if (client is not null && localOnlyOptions is not null)
            {
                client.Dispose();
                throw new CommandLineException($"--server sends the request as it is to the host, which runs it with its own settings: {localOnlyOptions} do not apply.");
            }
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring {command}: {ex.Message}");
            return OrleansRingCommandLine.BadInput;
        }
        if (client is null)
        {
            return null;
        }
        using (client)
        {
            return await call(client);
        }
    }

    /// <summary>A client of the server, or null without --server.</summary>
    /// <exception cref="CommandLineException">The URL does not parse, or there is no token.</exception>
    public OrleansRingApiClient? Connect(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(_server) is not { } text)
        {
            return parse.GetValue(_token) is null ? null : throw new CommandLineException("--token needs --server.");
        }
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new CommandLineException($"--server: '{text}' is not an http:// or https:// URL.");
        }
        var token = parse.GetValue(_token) ?? Environment.GetEnvironmentVariable(OrleansRingApiClient.TokenEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CommandLineException($"--server needs a bearer token: set {OrleansRingApiClient.TokenEnvironmentVariable} (or --token).");
        }
        return new OrleansRingApiClient(server, token);
    }
}
