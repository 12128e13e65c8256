using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansRing.Training;

/// <summary>Creates models with weights that depend only on a seed.</summary>
public static class ModelFactory
{
    /// <summary>CIFAR-10's class count: the width of every model's output.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// Builds <paramref name="kind"/> and initialises every parameter from a generator seeded with
    /// <paramref name="seed"/>, so equal seeds give bitwise-equal weights even when many threads create
    /// models at once. The constructors' own initialisation draws from torch's process-global generator,
    /// whose sequence concurrent threads would interleave; it is overwritten here: the paper CNN with
    /// PyTorch's default scheme for Conv2d and Linear (weight and bias uniform in ±1/√fan_in), AlexNet with
    /// He initialisation (weights uniform in ±√(6/fan_in), biases zero). Under PyTorch's default AlexNet's
    /// eight ReLU layers shrink the signal so far that its loss stays at ln 10 for the first epochs on CIFAR-10
    /// (measured: 59 iterations at lr 0.01, still 2.3028), which a short sweep cannot afford.
    /// </summary>
    /// <param name="kind">Architecture.</param>
    /// <param name="seed">Weight seed; replicas of one run must share it.</param>
    /// <param name="dropoutGenerator">
    /// Generator for dropout masks (AlexNet only), owned by the caller. Null: the model gets its own,
    /// seeded from <paramref name="seed"/>, and disposes it.
    /// </param>
    public static nn.Module<Tensor, Tensor> Create(ModelKind kind, int seed, Generator? dropoutGenerator = null)
    {
        TorchRuntime.EnsureInitialized();
        nn.Module<Tensor, Tensor> model = kind switch
        {
            ModelKind.PaperCnn => new PaperCnn(),
            ModelKind.AlexNet => dropoutGenerator is null
                ? new AlexNetCifar(new Generator(Seeds.Derive(seed, Seeds.DropoutStream, 0)), ownsGenerator: true)
                : new AlexNetCifar(dropoutGenerator),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model kind."),
        };
        try
        {
            InitializeParameters(model, seed, kind == ModelKind.AlexNet ? LayerInitialization.He : LayerInitialization.PyTorchDefault);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>The number of trainable parameters of <paramref name="kind"/>.</summary>
    public static int ParameterCount(ModelKind kind) => kind switch
    {
        ModelKind.PaperCnn => PaperCnn.ParameterCount,
        ModelKind.AlexNet => AlexNetCifar.ParameterCount,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model kind."),
    };

    /// <summary>Counts the elements of all parameters of <paramref name="model"/>.</summary>
    public static long CountParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(p => p.numel());
    }

    private static void InitializeParameters(nn.Module model, int seed, LayerInitialization scheme)
    {
        using var generator = new Generator(Seeds.Derive(seed, Seeds.WeightStream, 0));
        using var noGrad = no_grad();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    InitializeLayer(conv.weight!, conv.bias, generator, scheme);
                    break;
                case Linear linear:
                    InitializeLayer(linear.weight!, linear.bias, generator, scheme);
                    break;
                default:
                    // A new layer type must get an explicit rule, or its weights would stay nondeterministic.
                    if (module.named_parameters(recurse: false).Any())
                    {
                        throw new NotSupportedException($"No deterministic initialisation for module {module.GetType().Name}.");
                    }
                    break;
            }
        }
    }

    private static void InitializeLayer(Parameter weight, Parameter? bias, Generator generator, LayerInitialization scheme)
    {
        var fanIn = weight.numel() / weight.shape[0];
        // Tensor.uniform_, not nn.init.uniform_: in TorchSharp 0.107 the latter ignores its generator
        // argument and draws from the global one.
        if (scheme == LayerInitialization.He)
        {
            // kaiming_uniform_(nonlinearity: relu): variance 2/fan_in keeps the activations' scale through ReLUs.
            var heBound = Math.Sqrt(6.0 / fanIn);
            weight.uniform_(-heBound, heBound, generator);
            bias?.zero_();
            return;
        }
        // kaiming_uniform_(a=√5) reduces to U(±1/√fan_in), PyTorch's default for both layer types.
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }
}
