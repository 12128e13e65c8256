namespace OrleansRing.Data;

/// <summary>A training set and a test set, and a line saying where they came from (shown in results).</summary>
/// <param name="Train">The images workers train on.</param>
/// <param name="Test">The held-out images accuracy is measured on.</param>
/// <param name="Description">E.g. "CIFAR-10 binary (cifar-10-subset-binary.tar.gz): 10000 train, 10000 test".</param>
/// <param name="IsSynthetic">True for the embedded synthetic dataset.</param>
public sealed record DatasetSplit(ImageDataset Train, ImageDataset Test, string Description, bool IsSynthetic);
