using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// The ring's data plane between silos: one TCP connection per pair of silos carries ring chunks as raw frames
/// (<see cref="ChunkFrame"/>), beside Orleans, which stays the control plane (initialisation, iterations, recovery).
/// A received frame is handed to the receiving worker exactly as an in-silo predecessor's chunk is
/// (<see cref="LocalChunkRoutes"/>): the worker validates it on its own activation's scheduler.
/// </summary>
/// <remarks>
/// Why: a ring step across silos as an Orleans message passes through about four thread-pool hand-offs on each side
/// and a serializer copy of the chunk; gloo and NCCL give each ring neighbour a socket. Here a step is one write of
/// header and payload to a socket and, on the receiver, one read into the chunk's own array.
/// The listener binds the silo's advertised address only, on <see cref="PortKey"/> (0: a port the system chooses),
/// and starts when a worker first asks for the endpoint (<see cref="EnsureListening"/>). A failed write fails the sender's step (the ring then recovers
/// as after any failed send); a frame for a worker that is not active in this silo is dropped, and its predecessor's
/// wait times out. Every connection starts with <see cref="DataPlaneHandshake"/>: with <see cref="KeyKey"/> set (the
/// same on every silo), only a peer holding the key gets a frame in; a peer that fails the exchange is refused, and a
/// sender that is refused uses Orleans messages. Without a key any peer that reaches the port could put chunks into a
/// ring (logged when the listener starts): keep silos on a private network (on Kubernetes,
/// k8s/base/silo-networkpolicy.yaml also admits only silos to this port).
/// </remarks>
public sealed partial class ChunkDataPlane : IAsyncDisposable
{
    /// <summary>Configuration key: false sends every ring step between silos as an Orleans message.</summary>
    public const string EnabledKey = "OrleansRing:Ring:DataPlane";

    /// <summary>Configuration key: the data plane's TCP port (0, the default: chosen by the system).</summary>
    public const string PortKey = "OrleansRing:Ring:DataPlanePort";

    /// <summary>Configuration key: the secret every silo of the cluster proves on connecting (unset: any peer is admitted).</summary>
    public const string KeyKey = "OrleansRing:Ring:DataPlaneKey";

    private const int SocketBufferBytes = 4 * 1024 * 1024;

    private readonly LocalChunkRoutes _routes;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly ILogger _logger;
    private readonly byte[] _key;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<DataPlaneConnection>>> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _readers = new();
    private long _framesDelivered;
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private string? _endpoint;
    private bool _unavailable;

    /// <param name="routes">Where received chunks are delivered: the workers active in this silo.</param>
    /// <param name="address">The silo's advertised address, which the listener binds and which peers connect to.</param>
    /// <param name="port">0: chosen by the system.</param>
    /// <param name="enabled">False: <see cref="EnsureListening"/> gives null and predecessors use Orleans messages.</param>
    /// <param name="logger">Listening, dropped frames, failed and refused connections.</param>
    /// <param name="key">The cluster's data plane key (<see cref="KeyKey"/>); null or empty: none.</param>
    public ChunkDataPlane(LocalChunkRoutes routes, IPAddress address, int port, bool enabled, ILogger<ChunkDataPlane> logger, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _routes = routes;
        _address = address;
        _port = port;
        _logger = logger;
        _key = DataPlaneHandshake.KeyBytes(key);
        // Delivery goes through the in-silo routes, so without them there is nothing to deliver to.
        Enabled = enabled && routes.Enabled;
    }

    public bool Enabled { get; }

    /// <summary>Whether connecting peers must prove a configured key.</summary>
    public bool RequiresKey => _key.Length > 0;

    /// <summary>Chunks received from other silos and handed to a worker of this silo, since the silo started.</summary>
    public long FramesDelivered => Interlocked.Read(ref _framesDelivered);

    /// <summary>
    /// Starts this silo's listener if it is not listening yet (a silo that never hosts a ring's successor never opens
    /// the port) and returns its "address:port"; null when the data plane is off or cannot listen.
    /// </summary>
    public string? EnsureListening()
    {
        if (!Enabled)
        {
            return null;
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_endpoint is null && !_unavailable)
            {
                var listener = new TcpListener(_address, _port);
                try
                {
                    listener.Start();
                }
                catch (SocketException ex)
                {
                    // An advertised address that is not this host's (NAT), or a port in use: Orleans messages still work.
                    LogCannotListen(_logger, ex, _address.ToString(), _port);
                    _unavailable = true;
                    return null;
                }
                _listener = listener;
                _endpoint = new IPEndPoint(_address, ((IPEndPoint)listener.LocalEndpoint).Port).ToString();
                _acceptLoop = Task.Run(() => AcceptAsync(listener));
                LogListening(_logger, _endpoint);
                if (!RequiresKey)
                {
                    LogNoKey(_logger, _endpoint, KeyKey);
                }
            }
            return _endpoint;
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/> to the worker <paramref name="receiverKey"/> in the silo listening at
    /// <paramref name="endpoint"/>; completes when the frame is written. The payload is not copied: the caller keeps it
    /// unchanged until then. Throws <see cref="DataPlaneUnreachableException"/> when no connection can be made (nothing
    /// was sent), <see cref="RingProtocolException"/> naming the peer when an established connection fails.
    /// </summary>
    public async Task SendAsync(string endpoint, string receiverKey, ChunkMessage message)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(receiverKey);
        ArgumentNullException.ThrowIfNull(message);
        // The static factory with its state keeps the per-step lookup free of a delegate allocation.
        var lazy = _peers.GetOrAdd(endpoint, static (e, self) => new Lazy<Task<DataPlaneConnection>>(() => self.ConnectAsync(e)), this);
        DataPlaneConnection peer;
        try
        {
            peer = await lazy.Value.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            _peers.TryRemove(new KeyValuePair<string, Lazy<Task<DataPlaneConnection>>>(endpoint, lazy));
            throw new DataPlaneUnreachableException(endpoint, ex);
        }
        try
        {
            await peer.WriteAsync(receiverKey, message, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The next send reconnects; this one fails its step, as a failed grain call would.
            if (_peers.TryRemove(new KeyValuePair<string, Lazy<Task<DataPlaneConnection>>>(endpoint, lazy)))
            {
                peer.Dispose();
            }
            throw new RingProtocolException($"The data plane could not send {message} to {receiverKey} at {endpoint}: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? accept;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            _listener?.Stop();
            accept = _acceptLoop;
        }
        foreach (var lazy in _peers.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
        _peers.Clear();
        var pending = new List<Task>(_readers.Keys);
        if (accept is not null)
        {
            pending.Add(accept);
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task<DataPlaneConnection> ConnectAsync(string endpoint)
    {
        var target = IPEndPoint.Parse(endpoint);
        // A buffer that holds several chunks lets a write complete without waiting for the peer's reader.
        var client = new TcpClient(target.AddressFamily) { NoDelay = true, SendBufferSize = SocketBufferBytes };
        try
        {
            await client.ConnectAsync(target, _stopping.Token).ConfigureAwait(false);
            await DataPlaneHandshake.ConnectAsync(client.GetStream(), _key, endpoint, _stopping.Token).ConfigureAwait(false);
            return new DataPlaneConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // Stopped.
            }
            client.NoDelay = true;
            client.ReceiveBufferSize = SocketBufferBytes;
            var reader = ReadAsync(client);
            _readers[reader] = true;
            _ = reader.ContinueWith(t => _readers.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ReadAsync(TcpClient client)
    {
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (!await DataPlaneHandshake.AcceptAsync(stream, _key, _stopping.Token).ConfigureAwait(false))
                {
                    LogRefused(_logger, remote, KeyKey);
                    return;
                }
                var headerBuffer = new byte[ChunkFrame.HeaderBufferBytes];
                while (await ChunkFrame.ReadAsync(stream, headerBuffer, _stopping.Token).ConfigureAwait(false) is { } frame)
                {
                    var (receiver, message) = frame;
                    if (_routes.TryGet(receiver, out var endpoint))
                    {
                        endpoint.Post(message);
                        Interlocked.Increment(ref _framesDelivered);
                    }
                    else
                    {
                        LogNoReceiver(_logger, receiver, message.ToString(), remote);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or ObjectDisposedException or OperationCanceledException)
            {
                // A peer that went away mid-frame, a stream that is not ours, a handshake never answered: that
                // connection ends, the others go on.
                LogConnectionFailed(_logger, ex, remote);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ring data plane listening at {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring data plane cannot listen on {Address}:{Port}; ring steps from other silos come as Orleans messages")]
    private static partial void LogCannotListen(ILogger logger, Exception exception, string address, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ring data plane: no worker {Receiver} in this silo for {Chunk} from {Remote}; dropped")]
    private static partial void LogNoReceiver(ILogger logger, string receiver, string chunk, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring data plane at {Endpoint} admits any peer that reaches it: set {KeyKey} to the same secret on every silo")]
    private static partial void LogNoKey(ILogger logger, string endpoint, string keyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring data plane refused a connection from {Remote}: it did not prove the cluster's {KeyKey}")]
    private static partial void LogRefused(ILogger logger, string remote, string keyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring data plane connection from {Remote} ended")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string remote);
}
