using OrleansRing.Abstractions;
using OrleansRing.Collectives;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;
using OrleansRing.Training;

namespace OrleansRing.Grains.Attacks;

/// <summary>
/// Calls a malicious worker's attack at the ring's hook points with their contexts. Each iteration gets
/// its own random stream derived from (seed, rank, iteration), so a run redone from a checkpoint after a
/// lost silo replays exactly the same attack.
/// </summary>
internal sealed class RingAttackRunner
{
    private readonly SandboxedAttack _attack;
    private readonly int _rank;
    private readonly int _worldSize;
    private readonly int[] _attackers;
    private readonly ulong _streamSeed;
    private AttackerIdentity? _identity;
    private long _identityIteration = -1;

    public RingAttackRunner(SandboxedAttack attack, int rank, int worldSize, int[] attackers, int seed)
    {
        _attack = attack;
        _rank = rank;
        _worldSize = worldSize;
        _attackers = attackers;
        _streamSeed = AttackRandom.ForAttacker(seed, rank).NextUInt64();
    }

    public bool NeedsHonestGradients => _attack.RequiresHonestGradients;

    public bool TampersWithTransmissions => (_attack.Hooks & AttackHooks.Transmitted) != 0;

    public LabelTransform? LabelTransform(long iteration, int classCount)
    {
        if ((_attack.Hooks & AttackHooks.Labels) == 0)
        {
            return null;
        }
        var identity = IdentityFor(iteration);
        return labels => _attack.OnLabels(new LabelContext(identity, iteration, classCount), labels);
    }

    public void PoisonContribution(long iteration, Span<float> gradient, IReadOnlyList<ReadOnlyMemory<float>>? honestGradients)
    {
        if ((_attack.Hooks & AttackHooks.Contribution) != 0)
        {
            _attack.OnContribution(new ContributionContext(IdentityFor(iteration), iteration, honestGradients), gradient);
        }
    }

    /// <summary>Applies the attack to a copy of the outgoing chunk (the worker's own buffer stays as computed) and waits out any stall.</summary>
    public async Task<ChunkMessage> TransmitAsync(ChunkMessage outgoing, ChunkLayout layout)
    {
        var copy = outgoing.Payload.ToArray();
        var context = new TransmitContext(
            IdentityFor(outgoing.Iteration),
            outgoing.Iteration,
            outgoing.Phase == RingPhase.ScatterReduce ? TransmitPhase.ScatterReduce : TransmitPhase.AllGather,
            outgoing.Step,
            outgoing.ChunkIndex,
            layout.Offset(outgoing.ChunkIndex),
            layout.Length);
        // Off the grain's thread: a plugin that hangs must not hold an Orleans scheduler thread.
        var delay = await Task.Run(() => _attack.OnTransmit(context, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(copy.AsSpan())));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
        return outgoing with { Payload = copy };
    }

    private AttackerIdentity IdentityFor(long iteration)
    {
        if (_identity is null || _identityIteration != iteration)
        {
            _identity = new AttackerIdentity(_rank, _worldSize, _attackers, new AttackRandom(_streamSeed, (ulong)iteration + 1));
            _identityIteration = iteration;
        }
        return _identity;
    }
}
