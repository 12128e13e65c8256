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
