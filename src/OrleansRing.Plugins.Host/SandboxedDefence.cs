using System.Diagnostics;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>
/// A defence instance as the worker calls it, checked like <see cref="SandboxedAttack"/>: an exception becomes a
/// <see cref="PluginFailureException"/> naming the plugin and hook, a call past <see cref="PluginSandboxOptions.TimeLimit"/>
/// stops the instance, a result of the wrong shape fails. With <see cref="PluginIsolation.DedicatedThread"/> every hook
/// runs on the instance's own thread over private copies of the data, copied back only on success, so a hook that
/// overran can never write into the worker's buffers. Hooks not in <see cref="Hooks"/> return at once.
/// One call at a time: calls from several threads are serialized.
/// </summary>
public sealed class SandboxedDefence : IDisposable
{
    private readonly IDefence _defence;
    private readonly PluginSandboxOptions _options;
    private readonly Lock _gate = new();
    private HookThread? _thread;
    private Action? _pending;
    private string? _stoppedBecause;
    private bool _disposed;

    // Private copies the hook thread works on; grown to the largest vector seen, then reused.
    private float[] _floats = [];
    private float[] _result = [];

    internal SandboxedDefence(PluginDescriptor descriptor, PluginParameters parameters, IDefence defence, DefenceHooks hooks, PluginSandboxOptions options)
    {
        Descriptor = descriptor;
        Parameters = parameters;
        _defence = defence;
        Hooks = hooks;
        _options = options;
    }

    public PluginDescriptor Descriptor { get; }

    public PluginParameters Parameters { get; }

    public string Name => Descriptor.Name;

    public DefenceHooks Hooks { get; }

    public bool Has(DefenceHooks hook) => (Hooks & hook) != 0;

    /// <summary>The bytes the defence declares it adds per worker and iteration.</summary>
    public long ExtraBytesPerIteration(int worldSize, int totalLength)
    {
        lock (_gate)
        {
            EnsureUsable(PluginHook.Create);
            long bytes;
            try
            {
                bytes = _defence.ExtraBytesPerIteration(worldSize, totalLength);
            }
            catch (Exception e)
            {
                throw Threw(PluginHook.Create, e);
            }

            return bytes >= 0
                ? bytes
                : throw new PluginFailureException(Name, PluginHook.Create, PluginFailureReason.InvalidResult, $"it declared {bytes} extra bytes.");
        }
    }

    public void OnContribution(in DefenceContext context, Span<float> gradient)
    {
        if (!Has(DefenceHooks.Contribution))
        {
            return;
        }

        var ctx = context;
        RunOnCopy(PluginHook.Contribution, gradient, buffer => _defence.OnContribution(ctx, buffer.Span));
    }

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        if (!Has(DefenceHooks.Received))
        {
            return ReceiveVerdict.Accept;
        }

        var ctx = context;
        var verdict = ReceiveVerdict.Accept;
        RunOnCopy(PluginHook.Received, chunk, buffer => verdict = _defence.OnReceive(ctx, buffer.Span));
        return verdict is ReceiveVerdict.Accept or ReceiveVerdict.Reject
            ? verdict
            : throw new PluginFailureException(Name, PluginHook.Received, PluginFailureReason.InvalidResult, $"it returned the unknown verdict {verdict}.");
    }

    /// <summary>One round of the owner's reduction; null when <paramref name="result"/> holds the reduced chunk.</summary>
    public double[]? Reduce(in ReductionContext context, Span<float> result)
    {
        if (!Has(DefenceHooks.Reduction))
        {
            throw new InvalidOperationException($"Defence '{Name}' declares no reduction.");
        }

        var ctx = context;
        double[]? statistics = null;
        var length = result.Length;
        lock (_gate)
        {
            Grow(ref _result, length);
            Run(PluginHook.Reduction, () => statistics = _defence.Reduce(ctx, _result.AsSpan(0, length)));
            if (statistics is null)
            {
                _result.AsSpan(0, length).CopyTo(result);
                return null;
            }

            return (double[])statistics.Clone();
        }
    }

    public byte[] Commit(in DefenceContext context, int chunkIndex, ReadOnlySpan<float> reducedChunk)
    {
        if (!Has(DefenceHooks.Commitments))
        {
            return [];
        }

        var ctx = context;
        byte[]? commitment = null;
        var copy = reducedChunk.ToArray();
        lock (_gate)
        {
            Run(PluginHook.Commit, () => commitment = _defence.Commit(ctx, chunkIndex, copy));
        }

        return commitment ?? throw new PluginFailureException(Name, PluginHook.Commit, PluginFailureReason.InvalidResult, "it returned a null commitment.");
    }

    public void OnAggregate(in DefenceContext context, Span<float> gradient)
    {
        if (!Has(DefenceHooks.Aggregate))
        {
            return;
        }

        var ctx = context;
        RunOnCopy(PluginHook.Aggregate, gradient, buffer => _defence.OnAggregate(ctx, buffer.Span));
    }

    public byte[] Attest(in DefenceContext context, ReadOnlySpan<float> gradient)
    {
        if (!Has(DefenceHooks.ReplicaAttestation))
        {
            return [];
        }

        var ctx = context;
        byte[]? attestation = null;
        lock (_gate)
        {
            Grow(ref _floats, gradient.Length);
            gradient.CopyTo(_floats);
            var length = gradient.Length;
            Run(PluginHook.Attestation, () => attestation = _defence.Attest(ctx, _floats.AsSpan(0, length)));
        }

        return attestation ?? throw new PluginFailureException(Name, PluginHook.Attestation, PluginFailureReason.InvalidResult, "it returned a null attestation.");
    }

    /// <summary>The chunks to fetch again from their owners (distinct, valid indices).</summary>
    public IReadOnlyList<int> CompareAttestations(in DefenceContext context, IReadOnlyList<ReadOnlyMemory<byte>> attestations)
    {
        if (!Has(DefenceHooks.ReplicaAttestation))
        {
            return [];
        }

        var ctx = context;
        IReadOnlyList<int>? repairs = null;
        lock (_gate)
        {
            Run(PluginHook.Attestation, () => repairs = _defence.CompareAttestations(ctx, attestations));
        }

        var chunks = ctx.WorldSize;
        if (repairs is null || repairs.Any(c => c < 0 || c >= chunks))
        {
            throw new PluginFailureException(Name, PluginHook.Attestation, PluginFailureReason.InvalidResult, $"it asked to repair chunks outside 0..{chunks - 1}.");
        }

        return [.. repairs.Distinct().Order()];
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _thread?.Stop();
            _thread = null;
        }
    }

    public override string ToString() => Parameters.Names.Count == 0 || Parameters.ToString().Length == 0 ? Name : $"{Name}:{Parameters}";

    private static void Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(length);
        }
    }

    // The hook edits a private copy; the caller's span gets it back only when the hook returned in time.
    private void RunOnCopy(PluginHook hook, Span<float> values, Action<Memory<float>> work)
    {
        lock (_gate)
        {
            Grow(ref _floats, values.Length);
            values.CopyTo(_floats);
            var buffer = _floats.AsMemory(0, values.Length);
            Run(hook, () => work(buffer));
            buffer.Span.CopyTo(values);
        }
    }

    // Caller holds _gate.
    private void Run(PluginHook hook, Action work)
    {
        EnsureUsable(hook);
        if (_options.Isolation == PluginIsolation.Inline)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                work();
            }
            catch (Exception e)
            {
                throw Threw(hook, e);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (_options.TimeLimit != Timeout.InfiniteTimeSpan && elapsed > _options.TimeLimit)
            {
                throw new PluginFailureException(Name, hook, PluginFailureReason.TimedOut, $"it returned after {elapsed.TotalMilliseconds:F0} ms, past the time limit of {_options.TimeLimit.TotalMilliseconds:F0} ms.");
            }

            return;
        }

        _pending = work;
        _thread ??= new HookThread($"OrleansRing plugin {Name}", () => _pending!());
        if (!_thread.TryRun(_options.TimeLimit, out var exception))
        {
            _stoppedBecause = $"hook '{PluginFailureException.HookName(hook)}' did not return within {_options.TimeLimit.TotalMilliseconds:F0} ms";
            _thread = null; // abandoned with the private buffers, which are replaced below and never read again
            _floats = [];
            _result = [];
            throw new PluginFailureException(Name, hook, PluginFailureReason.TimedOut, $"it did not return within the time limit of {_options.TimeLimit.TotalMilliseconds:F0} ms; the instance is stopped.");
        }

        _pending = null;
        if (exception is not null)
        {
            throw Threw(hook, exception);
        }
    }

    private void EnsureUsable(PluginHook hook)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stoppedBecause is not null)
        {
            throw new PluginFailureException(Name, hook, PluginFailureReason.Stopped, $"it was stopped earlier and is not called again ({_stoppedBecause}).");
        }
    }

    private PluginFailureException Threw(PluginHook hook, Exception e) =>
        new(Name, hook, PluginFailureReason.Threw, $"it threw {e.GetType().Name}: {e.Message}", e);
}
