using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansRing.Abstractions;

namespace OrleansRing.Results;

/// <summary>Writes result.json and metrics.csv. Each file is written to a temporary name and renamed, so a reader never sees half a file.</summary>
public static class ResultFiles
{
    public const string ResultFileName = "result.json";
    public const string MetricsFileName = "metrics.csv";
    public const string Schema = "orleansring.result/1";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static (string ResultPath, string MetricsPath) Write(string folder, ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var document = new RunResultDocument(
            Schema,
            result,
            SoftwareVersions.Current,
            $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}",
            DateTimeOffset.UtcNow);
        var resultPath = Path.Combine(folder, ResultFileName);
        var metricsPath = Path.Combine(folder, MetricsFileName);
        WriteAtomically(metricsPath, Csv(result.Iterations));
        WriteAtomically(resultPath, JsonSerializer.Serialize(document, JsonOptions));
        return (resultPath, metricsPath);
    }

    public static string Csv(IReadOnlyList<IterationMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder("iteration,epoch,train_loss,train_accuracy,test_loss,test_accuracy,replicas_identical,seconds,compute_seconds,ring_seconds,bytes_sent,defence_bytes_sent,defence_seconds,detections,ring_size\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Iteration},{row.Epoch:0.######},{row.TrainLoss:R},{row.TrainAccuracy:R},{Optional(row.TestLoss)},{Optional(row.TestAccuracy)},{(row.ReplicasIdentical is { } same ? (same ? "true" : "false") : "")},{row.Seconds:0.######},{row.ComputeSeconds:0.######},{row.RingSeconds:0.######},{row.BytesSent},{row.DefenceBytesSent},{row.DefenceSeconds:0.######},{row.Detections},{row.RingSize}\n");
        }
        return csv.ToString();
    }

    private static string Optional(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>The result.json in <paramref name="folder"/>, or null when there is none (the experiment has not finished).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a result this version can read.</exception>
    public static RunResultDocument? TryRead(string folder)
    {
        var path = Path.Combine(folder, ResultFileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var document = JsonSerializer.Deserialize<RunResultDocument>(File.ReadAllText(path), JsonOptions);
            return document is { Schema: Schema }
                ? document
                : throw new InvalidDataException($"{path}: not an {Schema} document (schema '{document?.Schema}').");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: unreadable result ({ex.Message}).", ex);
        }
    }

    private static void WriteAtomically(string path, string content) => AtomicFile.WriteAllText(path, content);
}
