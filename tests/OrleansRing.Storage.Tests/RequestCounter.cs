using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OrleansRing.Storage.Tests;

/// <summary>Records every HTTP request the Azure SDK sends, to check how many a store operation costs.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public IReadOnlyList<string> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.Query}");
}
