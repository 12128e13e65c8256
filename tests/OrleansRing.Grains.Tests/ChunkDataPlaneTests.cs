using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Ring;

namespace OrleansRing.Grains.Tests;

public sealed class ChunkDataPlaneTests
{
    private static readonly ChunkMessage s_message = new()
    {
        ExperimentId = "data-plane",
        Iteration = 0,
        Phase = RingPhase.ScatterReduce,
        Step = 0,
        ChunkIndex = 1,
        SenderRank = 0,
        Payload = new byte[16],
    };

    [Fact]
    public async Task Send_ToAPortNobodyListensOn_SaysTheDataPlaneIsUnreachable_SoTheSenderCanUseMessages()
    {
        await using var plane = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);
        var closed = ClosedPort();

        var error = await Assert.ThrowsAsync<DataPlaneUnreachableException>(() => plane.SendAsync(closed, "data-plane/1", s_message));

        Assert.Equal(closed, error.Endpoint);
        Assert.Contains(closed, error.Message);
    }

    [Fact]
    public async Task An_AddressThisHostDoesNotHave_GivesNoEndpoint_InsteadOfFailingTheRing()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
        await using var plane = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Parse("192.0.2.1"), 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);

        Assert.Null(plane.Endpoint);
        Assert.Null(plane.Endpoint);
    }

    [Fact]
    public async Task A_Frame_ForAWorkerNotInThisSilo_IsDropped_AndTheNextIsDelivered_ByteForByte()
    {
        var routes = new LocalChunkRoutes();
        var delivered = new TaskCompletionSource<ChunkMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        routes.Register("data-plane/2", new LocalChunkEndpoint(new InlineWorkItemScheduler(), m => delivered.TrySetResult(m)));
        await using var receiving = new ChunkDataPlane(routes, IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);
        await using var sending = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);
        var payload = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();

        await sending.SendAsync(receiving.Endpoint!, "data-plane/1", s_message);
        await sending.SendAsync(receiving.Endpoint!, "data-plane/2", s_message with { ChunkIndex = 2, Payload = payload });
        var message = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, message.ChunkIndex);
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.Equal(1, receiving.FramesDelivered);
    }

    [Fact]
    public async Task Disabled_OrWithoutInSiloRoutes_HasNoEndpoint()
    {
        await using var off = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: false, NullLogger<ChunkDataPlane>.Instance);
        await using var noRoutes = new ChunkDataPlane(new LocalChunkRoutes(enabled: false), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);

        Assert.Null(off.Endpoint);
        Assert.Null(noRoutes.Endpoint);
        Assert.False(noRoutes.Enabled);
    }

    private static string ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = listener.LocalEndpoint.ToString()!;
        listener.Stop();
        return endpoint;
    }
}
