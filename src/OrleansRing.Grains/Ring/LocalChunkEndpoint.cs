using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// A worker activation's in-silo inbox: <see cref="Post"/> queues the chunk onto the receiver's own activation
/// scheduler, where <c>accept</c> validates and deposits it exactly as the grain call <c>ReceiveChunkAsync</c> would.
/// The receiver's single-threaded turns are kept: nothing of its state is touched from the sender's thread.
/// </summary>
internal sealed class LocalChunkEndpoint(IWorkItemScheduler scheduler, Action<ChunkMessage> accept)
{
    // One delegate per endpoint, the message as its state: a post allocates nothing of its own on the ring's hot path.
    private readonly Action<object> _acceptMessage = state => accept((ChunkMessage)state);

    public void Post(ChunkMessage message) => scheduler.QueueAction(_acceptMessage, message);
}
