using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansRing.Training;

/// <summary>
/// The CNN of Wang et al. 2021 for CIFAR-10: Conv2d(3,32,5) → ReLU → MaxPool2d(2) → Conv2d(32,64,5) →
/// ReLU → MaxPool2d(2) → Flatten → Linear(1600,512) → ReLU → Linear(512,10). Input [N,3,32,32], output
/// [N,10] logits. Create it through <see cref="ModelFactory"/> for deterministic weights.
/// </summary>
public sealed class PaperCnn : nn.Module<Tensor, Tensor>
{
    /// <summary>2,432 + 51,264 + 819,712 + 5,130.</summary>
    public const int ParameterCount = 878_538;

    private const int ImageChannels = 3;

    private readonly Conv2d _conv1;
    private readonly ReLU _relu1;
    private readonly MaxPool2d _pool1;
    private readonly Conv2d _conv2;
    private readonly ReLU _relu2;
    private readonly MaxPool2d _pool2;
    private readonly Flatten _flatten;
    private readonly Linear _fc1;
    private readonly ReLU _relu3;
    private readonly Linear _fc2;

    public PaperCnn(string name = "paper_cnn")
        : base(name)
    {
        _conv1 = nn.Conv2d(ImageChannels, 32, 5);
        _relu1 = nn.ReLU();
        _pool1 = nn.MaxPool2d(2);
        _conv2 = nn.Conv2d(32, 64, 5);
        _relu2 = nn.ReLU();
        _pool2 = nn.MaxPool2d(2);
        _flatten = nn.Flatten();
        // 32 → conv5 → 28 → pool → 14 → conv5 → 10 → pool → 5, so 64 × 5 × 5 features.
        _fc1 = nn.Linear(64 * 5 * 5, 512);
        _relu3 = nn.ReLU();
        _fc2 = nn.Linear(512, ModelFactory.ClassCount);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // Intermediates are released here; autograd keeps its own references to what backward needs.
        using var c1 = _conv1.forward(input);
        using var r1 = _relu1.forward(c1);
        using var p1 = _pool1.forward(r1);
        using var c2 = _conv2.forward(p1);
        using var r2 = _relu2.forward(c2);
        using var p2 = _pool2.forward(r2);
        using var flat = _flatten.forward(p2);
        using var f1 = _fc1.forward(flat);
        using var r3 = _relu3.forward(f1);
        return _fc2.forward(r3);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _relu1.Dispose();
            _pool1.Dispose();
            _conv2.Dispose();
            _relu2.Dispose();
            _pool2.Dispose();
            _flatten.Dispose();
            _fc1.Dispose();
            _relu3.Dispose();
            _fc2.Dispose();
        }
        base.Dispose(disposing);
    }
}
