using System.Globalization;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Deployment.Tests;

/// <summary>infra/docker: what can be checked without building the images (no Docker engine here).</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, bool> Images() => new() { { "Dockerfile.silo", false }, { "Dockerfile.silo-gpu", true } };

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_IsMultiStage_AndRunsAsANonRootUser(string file, bool _)
    {
        var docker = Load(file);

        Assert.True(docker.Stages.Count >= 2, "the SDK stays in a build stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", docker.Bases[0]);
        var user = Assert.Single(docker.Final, i => i.Instruction == "USER").Arguments;
        // $APP_UID is the .NET images' uid 1654; a name would defeat Kubernetes' runAsNonRoot check.
        Assert.True(user == "$APP_UID" || user == DeploymentContract.AppUserId.ToString(CultureInfo.InvariantCulture), $"USER {user}");
        var final = docker.Final.ToList();
        Assert.DoesNotContain(final.Skip(final.FindIndex(i => i.Instruction == "USER")), i => i.Instruction == "RUN");
        Assert.Equal("[\"dotnet\", \"/app/orleansring.dll\"]", Assert.Single(docker.Final, i => i.Instruction == "ENTRYPOINT").Arguments);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_BuildsTheRightTorchSharpBackend_OnTheRightBase(string file, bool gpu)
    {
        var docker = Load(file);
        var publish = Assert.Single(docker.Stages[0], i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;

        Assert.Contains($"-p:TorchSharpBackend={(gpu ? "cuda" : "cpu")}", publish);
        Assert.Contains("src/OrleansRing.Cli/OrleansRing.Cli.csproj", publish);
        if (gpu)
        {
            Assert.StartsWith("nvidia/cuda:12.", docker.Bases[^1]);
            Assert.Equal("cuda", Assert.Single(docker.FinalEnvironment(), e => DeploymentContract.Sets(e.Key, DeploymentContract.DeviceKey)).Value);
        }
        else
        {
            // The silo hosts a web host (health endpoints): the ASP.NET Core runtime image.
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", docker.Bases[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Plugins_AreBuiltIn_AtTheFolderTheSiloReads(string file, bool _)
    {
        var docker = Load(file);
        var environment = docker.FinalEnvironment();

        var folderVariable = Assert.Single(environment.Keys, k => DeploymentContract.Sets(k, DeploymentContract.PluginsFolderKey));
        var folder = environment[folderVariable];
        Assert.Equal(folder, environment[DeploymentContract.PluginsVariable]);
        // The publish output's plugins/ (build/BuiltInPlugins.props) is what lands there.
        Assert.Contains(docker.Stages[0], i => i.Instruction == "RUN" && i.Arguments.Contains("mv /app/plugins " + folder, StringComparison.Ordinal));
        Assert.Contains(docker.Final, i => i.Instruction == "COPY" && i.Arguments == $"--from=build {folder} {folder}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Ports_ExposedAreTheSilosAndHealthPorts(string file, bool _)
    {
        var docker = Load(file);
        var exposed = Assert.Single(docker.Final, i => i.Instruction == "EXPOSE").Arguments.Split(' ').Select(int.Parse).ToHashSet();
        var healthVariable = Assert.Single(docker.FinalEnvironment().Keys, k => DeploymentContract.Sets(k, DeploymentContract.HealthPortKey));

        Assert.Contains(DeploymentContract.SiloPort, exposed);
        Assert.Contains(DeploymentContract.GatewayPort, exposed);
        Assert.Contains(int.Parse(docker.FinalEnvironment()[healthVariable], CultureInfo.InvariantCulture), exposed);
        var dataPlaneVariable = Assert.Single(docker.FinalEnvironment().Keys, k => DeploymentContract.Sets(k, DeploymentContract.DataPlanePortKey));
        Assert.Contains(int.Parse(docker.FinalEnvironment()[dataPlaneVariable], CultureInfo.InvariantCulture), exposed);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsOut_AndWhatTheImagesCopyIn()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("artifacts/", ignored);
        foreach (var file in new[] { "Dockerfile.silo", "Dockerfile.silo-gpu" })
        {
            foreach (var (_, arguments) in Load(file).Stages[0].Where(i => i.Instruction == "COPY"))
            {
                var sources = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];
                Assert.All(sources, source =>
                {
                    Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, source)) || Directory.Exists(Path.Combine(RepositoryPaths.Root, source)), $"{file} copies {source}, which is not in the repository");
                    Assert.DoesNotContain(source, ignored);
                });
            }
        }
    }

    private static DockerfileModel Load(string file) => DockerfileModel.Load(Path.Combine(RepositoryPaths.Root, "infra", "docker", file));
}
