namespace OrleansRing.Storage.Tests;

/// <summary>A second Azurite, for the tests that kill and restart it.</summary>
public sealed class OutageAzuriteFixture : AzuriteFixture
{
}
