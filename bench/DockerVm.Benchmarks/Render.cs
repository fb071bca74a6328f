using System.Runtime.InteropServices;
using Spectre.Console;

namespace DockerVm.Benchmarks;

internal static class Render
{
    public static ResultTable Machine(string title) => new(
        title,
        ["cores", "OS", "runtime", "GC", "load average 1/5/15 min"],
        [[
            Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
            LoadAverage(),
        ]],
        [
#if DEBUG
            "DEBUG build: numbers are not representative, run with -c Release.",
#endif
        ]);

    /// <summary>Other work on the machine skews every number here; printed so a reader can tell.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    public static Table Table(ResultTable result)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(result.Title)), Border = TableBorder.Rounded };
        for (var i = 0; i < result.Columns.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(result.Columns[i]));
            table.AddColumn(i == 0 ? column : column.RightAligned());
        }

        foreach (var row in result.Rows)
        {
            table.AddRow([.. row.Select(cell => new Markup(Markup.Escape(cell)))]);
        }

        if (result.Notes.Count > 0)
        {
            table.Caption = new TableTitle(Markup.Escape(string.Join(Environment.NewLine, result.Notes)));
        }

        return table;
    }

    public static string Markdown(ResultTable result)
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
        var lines = new List<string>
        {
            $"**{result.Title}**",
            string.Empty,
            "| " + string.Join(" | ", result.Columns.Select(Cell)) + " |",
            "|" + string.Join("|", result.Columns.Select((_, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(result.Rows.Select(row => "| " + string.Join(" | ", row.Select(Cell)) + " |"));
        if (result.Notes.Count > 0)
        {
            lines.Add(string.Empty);
            lines.AddRange(result.Notes.Select(note => "_" + note + "_  "));
        }

        lines.Add(string.Empty);
        return string.Join('\n', lines);
    }
}
