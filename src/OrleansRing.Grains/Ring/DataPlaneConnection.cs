using System.Net.Sockets;

namespace OrleansRing.Grains.Ring;

/// <summary>One outgoing data plane connection to a peer silo; frames are written whole, one at a time.</summary>
internal sealed class DataPlaneConnection(TcpClient client) : IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly NetworkStream _stream = client.GetStream();

    public async Task WriteAsync(byte[] header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            if (!payload.IsEmpty)
            {
                await _stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
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
