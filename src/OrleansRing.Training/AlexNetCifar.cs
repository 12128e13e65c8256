using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansRing.Training;

/// <summary>
/// AlexNet adapted to 32×32 CIFAR inputs, as in TorchSharp's CIFAR-10 example: five 3×3 convolutions
/// with three 2×2 max-pools, then AlexNet's three fully connected layers with dropout.
/// <code>
/// Conv2d(3,64,3,stride 2,pad 1) → ReLU → MaxPool(2)        [N,64,8,8]
/// Conv2d(64,192,3,pad 1) → ReLU → MaxPool(2)               [N,192,4,4]
/// Conv2d(192,384,3,pad 1) → ReLU
/// Conv2d(384,256,3,pad 1) → ReLU
/// Conv2d(256,256,3,pad 1) → ReLU → MaxPool(2)              [N,256,2,2]
/// Flatten → Dropout(0.5) → Linear(1024,4096) → ReLU
///         → Dropout(0.5) → Linear(4096,4096) → ReLU
///         → Dropout(0.5) → Linear(4096,10)
/// </code>
/// 23,272,266 parameters: 2,251,584 in the convolutions, 21,020,682 in the classifier. The example's
/// AdaptiveAvgPool2d(2) is left out because it is the identity on 32×32 inputs. Dropout draws its masks
/// from a caller-supplied generator (see <see cref="ModelFactory.Create"/>), never from the global one.
/// </summary>
public sealed class AlexNetCifar : nn.Module<Tensor, Tensor>
{
    public const int ParameterCount = 23_272_266;

    private const double DropoutProbability = 0.5;

    private readonly Conv2d _conv1;
    private readonly ReLU _relu1;
    private readonly MaxPool2d _pool1;
    private readonly Conv2d _conv2;
    private readonly ReLU _relu2;
    private readonly MaxPool2d _pool2;
    private readonly Conv2d _conv3;
    private readonly ReLU _relu3;
    private readonly Conv2d _conv4;
    private readonly ReLU _relu4;
    private readonly Conv2d _conv5;
    private readonly ReLU _relu5;
    private readonly MaxPool2d _pool3;
    private readonly Flatten _flatten;
    private readonly GeneratorDropout _dropout1;
    private readonly Linear _fc1;
    private readonly ReLU _relu6;
    private readonly GeneratorDropout _dropout2;
    private readonly Linear _fc2;
    private readonly ReLU _relu7;
    private readonly GeneratorDropout _dropout3;
    private readonly Linear _fc3;
    private readonly Generator? _ownedGenerator;

    /// <param name="dropoutGenerator">Source of the dropout masks; the caller keeps ownership.</param>
    /// <param name="name">Module name.</param>
    public AlexNetCifar(Generator dropoutGenerator, string name = "alexnet_cifar")
        : this(dropoutGenerator, ownsGenerator: false, name)
    {
    }

    internal AlexNetCifar(Generator dropoutGenerator, bool ownsGenerator, string name = "alexnet_cifar")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(dropoutGenerator);
        _ownedGenerator = ownsGenerator ? dropoutGenerator : null;
        _conv1 = nn.Conv2d(3, 64, 3, stride: 2, padding: 1);
        _relu1 = nn.ReLU();
        _pool1 = nn.MaxPool2d(2);
        _conv2 = nn.Conv2d(64, 192, 3, padding: 1);
        _relu2 = nn.ReLU();
        _pool2 = nn.MaxPool2d(2);
        _conv3 = nn.Conv2d(192, 384, 3, padding: 1);
        _relu3 = nn.ReLU();
        _conv4 = nn.Conv2d(384, 256, 3, padding: 1);
        _relu4 = nn.ReLU();
        _conv5 = nn.Conv2d(256, 256, 3, padding: 1);
        _relu5 = nn.ReLU();
        _pool3 = nn.MaxPool2d(2);
        _flatten = nn.Flatten();
        _dropout1 = new GeneratorDropout("dropout1", DropoutProbability, dropoutGenerator);
        _fc1 = nn.Linear(256 * 2 * 2, 4096);
        _relu6 = nn.ReLU();
        _dropout2 = new GeneratorDropout("dropout2", DropoutProbability, dropoutGenerator);
        _fc2 = nn.Linear(4096, 4096);
        _relu7 = nn.ReLU();
        _dropout3 = new GeneratorDropout("dropout3", DropoutProbability, dropoutGenerator);
        _fc3 = nn.Linear(4096, ModelFactory.ClassCount);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var c1 = _conv1.forward(input);
        using var r1 = _relu1.forward(c1);
        using var p1 = _pool1.forward(r1);
        using var c2 = _conv2.forward(p1);
        using var r2 = _relu2.forward(c2);
        using var p2 = _pool2.forward(r2);
        using var c3 = _conv3.forward(p2);
        using var r3 = _relu3.forward(c3);
        using var c4 = _conv4.forward(r3);
        using var r4 = _relu4.forward(c4);
        using var c5 = _conv5.forward(r4);
        using var r5 = _relu5.forward(c5);
        using var p3 = _pool3.forward(r5);
        using var flat = _flatten.forward(p3);
        using var d1 = _dropout1.forward(flat);
        using var f1 = _fc1.forward(d1);
        using var r6 = _relu6.forward(f1);
        using var d2 = _dropout2.forward(r6);
        using var f2 = _fc2.forward(d2);
        using var r7 = _relu7.forward(f2);
        using var d3 = _dropout3.forward(r7);
        return _fc3.forward(d3);
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
            _conv3.Dispose();
            _relu3.Dispose();
            _conv4.Dispose();
            _relu4.Dispose();
            _conv5.Dispose();
            _relu5.Dispose();
            _pool3.Dispose();
            _flatten.Dispose();
            _dropout1.Dispose();
            _fc1.Dispose();
            _relu6.Dispose();
            _dropout2.Dispose();
            _fc2.Dispose();
            _relu7.Dispose();
            _dropout3.Dispose();
            _fc3.Dispose();
            _ownedGenerator?.Dispose();
        }
        base.Dispose(disposing);
    }
}
