namespace DockerVm.Benchmarks;

/// <summary>What one benchmark measured: rendered as a console table, or as Markdown for the README.</summary>
internal sealed record ResultTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Notes);
