using System.Diagnostics;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>
/// An attack instance as the worker calls it. Every hook call is checked: an exception becomes a
/// <see cref="PluginFailureException"/> naming the plugin and hook, a call past <see cref="PluginSandboxOptions.TimeLimit"/>
/// fails, a replacement of the wrong length fails, labels must stay within the classes, delays must not be negative.
/// Hooks not in <see cref="Hooks"/> return at once, so the worker may call all three unconditionally.
/// <para>
/// Time limits, and the trade-off: hooks are synchronous and .NET cannot abort a thread, so a hang can only be
/// detected by running the hook somewhere else and waiting with a limit. With <see cref="PluginIsolation.DedicatedThread"/>
/// (default) each instance owns a background thread and the hook works on a private copy of the data, which the caller
/// copies back only on success; a hook still running after the limit can therefore never write into the caller's
/// buffers, and the instance is stopped (every later call fails fast with <see cref="PluginFailureReason.Stopped"/>)
/// while its thread is left to finish or hang on its own. The price is two copies and two thread hand-offs per call,
/// small beside a network send, and one parked thread per malicious worker. <see cref="PluginIsolation.Inline"/> runs on the
/// caller's thread in place: no copies, exceptions still wrapped, but an overrun is only reported after the hook
/// returns and a true hang blocks the caller.
/// </para>
/// One call at a time: calls from several threads are serialized.
/// </summary>
public sealed class SandboxedAttack : IDisposable
{
    private readonly IAttack _attack;
    private readonly PluginSandboxOptions _options;
    private readonly Lock _gate = new();
    private HookThread? _thread;
    private string? _stoppedBecause;
    private bool _disposed;

    // Private copies the hook thread works on; grown to the largest vector seen, then reused (no allocation per call).
    private float[] _floats = [];
    private byte[] _bytes = [];

    // The pending call, written by the caller before the hand-off and read by the hook thread.
    private PluginHook _pendingHook;
    private int _pendingLength;
    private LabelContext _labelContext;
    private ContributionContext _contributionContext;
    private TransmitContext _transmitContext;

    // Results, written by the hook thread.
    private TimeSpan _resultDelay;
    private int _resultReplacementLength;

    internal SandboxedAttack(PluginDescriptor descriptor, PluginParameters parameters, IAttack attack, AttackHooks hooks, PluginSandboxOptions options)
    {
        Descriptor = descriptor;
        Parameters = parameters;
        _attack = attack;
        Hooks = hooks;
        _options = options;
    }

    public PluginDescriptor Descriptor { get; }

    /// <summary>The validated values it was created with (for logs and result files).</summary>
    public PluginParameters Parameters { get; }

    public string Name => Descriptor.Name;

    /// <summary>The hooks the instance asked for; the others are no-ops.</summary>
    public AttackHooks Hooks { get; }

    /// <summary>The worker must pass the honest gradients to <see cref="OnContribution"/>.</summary>
    public bool RequiresHonestGradients => Descriptor.RequiresHonestGradients;

    /// <summary>Lets the training batch's labels be poisoned in place before the forward pass.</summary>
    public void OnLabels(in LabelContext context, Span<byte> labels)
    {
        if ((Hooks & AttackHooks.Labels) == 0)
        {
            return;
        }

        lock (_gate)
        {
            EnsureUsable(PluginHook.Labels);
            if (_options.Isolation == PluginIsolation.Inline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    _attack.OnLabels(in context, labels);
                }
                catch (Exception e)
                {
                    throw Threw(PluginHook.Labels, e);
                }

                CheckInlineDuration(PluginHook.Labels, started);
                CheckLabels(labels, context.ClassCount);
                return;
            }

            Grow(ref _bytes, labels.Length);
            labels.CopyTo(_bytes);
            _labelContext = context;
            Dispatch(PluginHook.Labels, labels.Length);
            var result = _bytes.AsSpan(0, labels.Length);
            CheckLabels(result, context.ClassCount);
            result.CopyTo(labels);
        }
    }

    /// <summary>Lets the worker's flattened local gradient be poisoned in place before the ring.</summary>
    public void OnContribution(in ContributionContext context, Span<float> gradient)
    {
        if ((Hooks & AttackHooks.Contribution) == 0)
        {
            return;
        }

        CheckHonestGradients(context, gradient.Length);
        lock (_gate)
        {
            EnsureUsable(PluginHook.Contribution);
            if (_options.Isolation == PluginIsolation.Inline)
            {
                var started = Stopwatch.GetTimestamp();
                int replacementLength;
                try
                {
                    var result = _attack.OnContribution(in context, gradient);
                    replacementLength = ApplyReplacement(result.IsReplaced, result.Replacement, gradient);
                }
                catch (Exception e)
                {
                    throw Threw(PluginHook.Contribution, e);
                }

                CheckInlineDuration(PluginHook.Contribution, started);
                CheckReplacementLength(PluginHook.Contribution, replacementLength, gradient.Length, "gradient");
                return;
            }

            Grow(ref _floats, gradient.Length);
            gradient.CopyTo(_floats);
            _contributionContext = context;
            try
            {
                Dispatch(PluginHook.Contribution, gradient.Length);
            }
            finally
            {
                // Do not keep the iteration's honest gradients alive until the next call.
                if (_stoppedBecause is null)
                {
                    _contributionContext = default;
                }
            }

            CheckReplacementLength(PluginHook.Contribution, _resultReplacementLength, gradient.Length, "gradient");
            _floats.AsSpan(0, gradient.Length).CopyTo(gradient);
        }
    }

    /// <summary>
    /// Lets a chunk about to be sent be poisoned in place. Returns how long the worker should wait before sending it
    /// (<see cref="TimeSpan.Zero"/> for no delay); the wait is the caller's, so it can be asynchronous.
    /// </summary>
    public TimeSpan OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        if ((Hooks & AttackHooks.Transmitted) == 0)
        {
            return TimeSpan.Zero;
        }

        lock (_gate)
        {
            EnsureUsable(PluginHook.Transmitted);
            TimeSpan delay;
            if (_options.Isolation == PluginIsolation.Inline)
            {
                var started = Stopwatch.GetTimestamp();
                int replacementLength;
                try
                {
                    var result = _attack.OnTransmit(in context, chunk);
                    replacementLength = ApplyReplacement(result.IsReplaced, result.Replacement, chunk);
                    delay = result.Delay;
                }
                catch (Exception e)
                {
                    throw Threw(PluginHook.Transmitted, e);
                }

                CheckInlineDuration(PluginHook.Transmitted, started);
                CheckReplacementLength(PluginHook.Transmitted, replacementLength, chunk.Length, "chunk");
            }
            else
            {
                Grow(ref _floats, chunk.Length);
                chunk.CopyTo(_floats);
                _transmitContext = context;
                Dispatch(PluginHook.Transmitted, chunk.Length);
                CheckReplacementLength(PluginHook.Transmitted, _resultReplacementLength, chunk.Length, "chunk");
                delay = _resultDelay;
                _floats.AsSpan(0, chunk.Length).CopyTo(chunk);
            }

            if (delay < TimeSpan.Zero)
            {
                throw new PluginFailureException(Name, PluginHook.Transmitted, PluginFailureReason.InvalidResult, $"it asked for a negative delay ({delay}).");
            }

            return delay;
        }
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

    public override string ToString() => $"{Name}:{Parameters}";

    // Copies a replacement over the target; returns its length, or -1 when there was none. Lengths are checked by the caller.
    private static int ApplyReplacement(bool isReplaced, ReadOnlySpan<float> replacement, Span<float> target)
    {
        if (!isReplaced)
        {
            return -1;
        }

        if (replacement.Length == target.Length)
        {
            replacement.CopyTo(target);
        }

        return replacement.Length;
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(length);
        }
    }

    private void CheckHonestGradients(in ContributionContext context, int length)
    {
        if (!RequiresHonestGradients)
        {
            return;
        }

        var honest = context.HonestGradients;
        if (honest.Count == 0)
        {
            throw new InvalidOperationException(
                $"Plugin '{Name}' is omniscient (RequiresHonestGradients): pass the honest workers' gradients in ContributionContext.");
        }

        for (var i = 0; i < honest.Count; i++)
        {
            if (honest[i].Length != length)
            {
                throw new ArgumentException(
                    $"Honest gradient {i} has {honest[i].Length} values but the attacker's gradient has {length}.", nameof(context));
            }
        }
    }

    private void CheckLabels(ReadOnlySpan<byte> labels, int classCount)
    {
        if (classCount > byte.MaxValue)
        {
            return; // every byte is a valid class
        }

        var index = labels.IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (index >= 0)
        {
            throw new PluginFailureException(
                Name,
                PluginHook.Labels,
                PluginFailureReason.InvalidResult,
                $"it set label {index} to {labels[index]}, outside the classes 0..{classCount - 1}.");
        }
    }

    private void CheckReplacementLength(PluginHook hook, int replacementLength, int expected, string what)
    {
        if (replacementLength >= 0 && replacementLength != expected)
        {
            throw new PluginFailureException(
                Name,
                hook,
                PluginFailureReason.WrongLength,
                $"it returned a replacement of {replacementLength} values for a {what} of {expected} values.");
        }
    }

    private void CheckInlineDuration(PluginHook hook, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (_options.TimeLimit != Timeout.InfiniteTimeSpan && elapsed > _options.TimeLimit)
        {
            throw new PluginFailureException(
                Name,
                hook,
                PluginFailureReason.TimedOut,
                $"it returned after {elapsed.TotalMilliseconds:F0} ms, past the time limit of {_options.TimeLimit.TotalMilliseconds:F0} ms.");
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

    // Runs the pending call on the hook thread and waits for it within the time limit.
    private void Dispatch(PluginHook hook, int length)
    {
        _pendingHook = hook;
        _pendingLength = length;
        _resultDelay = TimeSpan.Zero;
        _resultReplacementLength = -1;
        _thread ??= new HookThread($"OrleansRing plugin {Name}", RunPending);
        if (!_thread.TryRun(_options.TimeLimit, out var exception))
        {
            _stoppedBecause = $"hook '{PluginFailureException.HookName(hook)}' did not return within {_options.TimeLimit.TotalMilliseconds:F0} ms";
            _thread = null; // abandoned: it keeps our private buffers, which are never read again
            throw new PluginFailureException(
                Name,
                hook,
                PluginFailureReason.TimedOut,
                $"it did not return within the time limit of {_options.TimeLimit.TotalMilliseconds:F0} ms; the instance is stopped.");
        }

        if (exception is not null)
        {
            throw Threw(hook, exception);
        }
    }

    // On the hook thread.
    private void RunPending()
    {
        switch (_pendingHook)
        {
            case PluginHook.Labels:
                _attack.OnLabels(in _labelContext, _bytes.AsSpan(0, _pendingLength));
                break;
            case PluginHook.Contribution:
            {
                var gradient = _floats.AsSpan(0, _pendingLength);
                var result = _attack.OnContribution(in _contributionContext, gradient);
                _resultReplacementLength = ApplyReplacement(result.IsReplaced, result.Replacement, gradient);
                break;
            }

            case PluginHook.Transmitted:
            {
                var chunk = _floats.AsSpan(0, _pendingLength);
                var result = _attack.OnTransmit(in _transmitContext, chunk);
                _resultReplacementLength = ApplyReplacement(result.IsReplaced, result.Replacement, chunk);
                _resultDelay = result.Delay;
                break;
            }
        }
    }
}
