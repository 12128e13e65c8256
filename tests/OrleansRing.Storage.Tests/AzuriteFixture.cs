using OrleansRing.TestInfrastructure;

[assembly: AssemblyFixture(typeof(OrleansRing.Storage.Tests.AzuriteFixture))]

namespace OrleansRing.Storage.Tests;

/// <summary>One Azurite for the whole assembly, started once (1-6 s, most of it Node.js loading); never stopped by tests.</summary>
public class AzuriteFixture : IAsyncLifetime
{
    public AzuriteProcess? Azurite { get; private set; }

    /// <summary>The running instance, or a skip with the reason and the install command.</summary>
    public AzuriteProcess Require() => Azurite ?? throw SkipException();

    public async ValueTask InitializeAsync() =>
        Azurite = await AzuriteProcess.StartIfInstalledAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>Skips the current test when Azurite is not installed (and not required).</summary>
    public static Exception SkipException()
    {
        Assert.Skip(AzuriteProcess.NotInstalledReason ?? "Azurite did not start.");
        return new InvalidOperationException("unreachable");
    }
}
