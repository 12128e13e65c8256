using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// A worker activation's in-silo inbox: <see cref="Post"/> queues the chunk onto the receiver's own activation
/// scheduler, where <c>accept</c> validates and deposits it exactly as the grain call <c>ReceiveChunkAsync</c> would.
/// The receiver's single-threaded turns are kept: nothing of its state is touched from the sender's thread.
/// </summary>
internal sealed class LocalChunkEndpoint(IWorkItemScheduler scheduler, Action<ChunkMessage> accept)
{
    private static readonly Action<object?> s_accept = static state =>
    {
        var (endpoint, message) = ((LocalChunkEndpoint, ChunkMessage))state!;
        endpoint._accept(message);
    };

    private readonly Action<ChunkMessage> _accept = accept;

    public void Post(ChunkMessage message) => scheduler.QueueAction(s_accept, (this, message));
}
