using System.Net.Sockets;
using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// One outgoing data plane connection to a peer silo; frames are written whole, one at a time, each header through the
/// connection's one header buffer (no allocation per ring step).
/// </summary>
internal sealed class DataPlaneConnection(TcpClient client) : IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly NetworkStream _stream = client.GetStream();
    private readonly byte[] _header = new byte[ChunkFrame.HeaderBufferBytes];

    /// <summary>Writes <paramref name="message"/>'s frame for <paramref name="receiverKey"/>; its payload is not copied.</summary>
    public async Task WriteAsync(string receiverKey, ChunkMessage message, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = ChunkFrame.WriteHeader(_header, receiverKey, message);
            await _stream.WriteAsync(_header.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (!message.Payload.IsEmpty)
            {
                await _stream.WriteAsync(message.Payload, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        client.Dispose();
        _writing.Dispose();
    }
}
