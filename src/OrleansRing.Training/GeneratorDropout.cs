using static TorchSharp.torch;

namespace OrleansRing.Training;

/// <summary>
/// Inverted dropout whose masks come from a given generator. nn.Dropout draws from the process-global
/// generator, which concurrently training workers would interleave, so runs would not reproduce.
/// </summary>
internal sealed class GeneratorDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;
    private readonly Generator _generator;

    /// <param name="name">Module name.</param>
    /// <param name="probability">Chance that an element is zeroed, in [0, 1).</param>
    /// <param name="generator">Source of the masks; not owned.</param>
    public GeneratorDropout(string name, double probability, Generator generator)
        : base(name)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must be in [0, 1).");
        }
        ArgumentNullException.ThrowIfNull(generator);
        _probability = probability;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _probability == 0)
        {
            return input.alias();
        }
        using var keep = empty_like(input).bernoulli_(1 - _probability, _generator);
        return input.mul(keep).div_(1 - _probability);
    }
}
