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

        Assert.Null(plane.EnsureListening());
        Assert.Null(plane.EnsureListening());
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

        await sending.SendAsync(receiving.EnsureListening()!, "data-plane/1", s_message);
        await sending.SendAsync(receiving.EnsureListening()!, "data-plane/2", s_message with { ChunkIndex = 2, Payload = payload });
        var message = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, message.ChunkIndex);
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.Equal(1, receiving.FramesDelivered);
    }

    [Fact]
    public async Task A_PeerWithTheClustersKey_IsAdmitted_OneWithAnother_OrNone_IsRefused_AndItsSenderIsToldSo()
    {
        var routes = new LocalChunkRoutes();
        var delivered = new List<ChunkMessage>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        routes.Register("data-plane/2", new LocalChunkEndpoint(new InlineWorkItemScheduler(), m =>
        {
            lock (delivered)
            {
                delivered.Add(m);
            }
            first.TrySetResult();
        }));
        await using var receiving = new ChunkDataPlane(routes, IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance, key: "cluster-secret");
        await using var member = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance, key: "cluster-secret");
        await using var stranger = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance, key: "guessed");
        await using var keyless = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);

        await member.SendAsync(receiving.EnsureListening()!, "data-plane/2", s_message with { ChunkIndex = 2 });
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var wrongKey = await Assert.ThrowsAsync<DataPlaneUnreachableException>(() => stranger.SendAsync(receiving.EnsureListening()!, "data-plane/2", s_message with { ChunkIndex = 7 }));
        var noKey = await Assert.ThrowsAsync<DataPlaneUnreachableException>(() => keyless.SendAsync(receiving.EnsureListening()!, "data-plane/2", s_message with { ChunkIndex = 8 }));

        Assert.True(receiving.RequiresKey);
        Assert.False(keyless.RequiresKey);
        Assert.Contains("refused this silo's key", wrongKey.InnerException!.Message, StringComparison.Ordinal);
        Assert.Contains(ChunkDataPlane.KeyKey, noKey.InnerException!.Message, StringComparison.Ordinal);
        Assert.Equal(1, receiving.FramesDelivered);
        Assert.Equal([2], delivered.Select(m => m.ChunkIndex));
    }

    [Fact]
    public async Task A_Connection_ThatSendsFramesWithoutTheHandshake_IsRefused_BeforeAnyFrameIsRead()
    {
        // What a pod that reaches the port but is not a silo would do: write well-formed frames straight away.
        var routes = new LocalChunkRoutes();
        var delivered = 0;
        routes.Register("data-plane/2", new LocalChunkEndpoint(new InlineWorkItemScheduler(), _ => Interlocked.Increment(ref delivered)));
        await using var receiving = new ChunkDataPlane(routes, IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance, key: "cluster-secret");
        var ct = TestContext.Current.CancellationToken;
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPEndPoint.Parse(receiving.EnsureListening()!), ct);
        var stream = raw.GetStream();
        var header = new byte[ChunkFrame.HeaderBufferBytes];
        for (var i = 0; i < 3; i++)
        {
            var length = ChunkFrame.WriteHeader(header, "data-plane/2", s_message);
            await stream.WriteAsync(header.AsMemory(0, length), ct);
            await stream.WriteAsync(s_message.Payload, ct);
        }

        // The listener's greeting (magic, version, nonce), its verdict, then the end of the connection: a reset, when
        // our unread frames are still in its buffer as it closes, may reach us before the greeting is read.
        var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch (IOException)
        {
        }
        if (answer.Length > 0)
        {
            Assert.Equal("ORDP"u8.ToArray(), answer.ToArray()[..4]);
            Assert.Equal(4 + 1 + 32 + 1, answer.Length);
            Assert.Equal(0, answer.ToArray()[^1]);
        }
        Assert.Equal(0, receiving.FramesDelivered);
        Assert.Equal(0, delivered);
    }

    [Fact]
    public async Task Disabled_OrWithoutInSiloRoutes_HasNoEndpoint()
    {
        await using var off = new ChunkDataPlane(new LocalChunkRoutes(), IPAddress.Loopback, 0, enabled: false, NullLogger<ChunkDataPlane>.Instance);
        await using var noRoutes = new ChunkDataPlane(new LocalChunkRoutes(enabled: false), IPAddress.Loopback, 0, enabled: true, NullLogger<ChunkDataPlane>.Instance);

        Assert.Null(off.EnsureListening());
        Assert.Null(noRoutes.EnsureListening());
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
