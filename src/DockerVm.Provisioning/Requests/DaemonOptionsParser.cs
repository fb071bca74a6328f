using System.Text.RegularExpressions;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Reads a request's <c>daemonOptions</c> the way dockerd reads its command line — spf13/pflag's parseArgs,
/// parseLongArg and parseSingleShortArg (flag.go): <c>--flag=value</c>, <c>--flag value</c>, a bool <c>--flag</c>,
/// combined shorthands (<c>-DH=tcp://…</c> is <c>-D -H tcp://…</c>), <c>-fvalue</c>, <c>-f=value</c>, <c>-f value</c>,
/// repeated flags and <c>--</c> — then checks every flag against <see cref="DaemonFlags"/>. The options are appended
/// after the workflow's own flags on dockerd's command line (ExecStart, or the DockerExtension's <c>docker.options</c>),
/// where systemd splits them on whitespace, so the list is parsed as one argument vector.
/// The result is the canonical rendering (<c>--name=value</c>, <c>--name</c> for a true bool): what reaches dockerd is
/// exactly what was validated.
/// </summary>
internal static partial class DaemonOptionsParser
{
    public static IReadOnlyList<string> Parse(IReadOnlyList<string?> options, Action<string, string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);

        // Characters first: options land in a systemd unit and in JSON settings, so no whitespace, quotes, '$', '%', ';'…
        var formatOk = true;
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i] is not { } option || !ElementPattern().IsMatch(option))
            {
                fail(Field(i), ValidationRules.DaemonOptionFormat,
                    "A daemon option has 1 to 256 letters, digits or . _ : / , = @ + - (no spaces: one flag or value per entry, e.g. '--log-level=warn').");
                formatOk = false;
            }
        }

        if (!formatOk)
        {
            return [];
        }

        var parser = new State(options!, fail);
        parser.Run();
        return parser.Canonical;
    }

    private static string Field(int index) => $"daemonOptions[{index}]";

    [GeneratedRegex("^[A-Za-z0-9._:/,=@+-]{1,256}$")]
    private static partial Regex ElementPattern();

    private sealed class State(IReadOnlyList<string> args, Action<string, string, string> fail)
    {
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
        private int _next;

        public List<string> Canonical { get; } = [];

        public void Run()
        {
            while (_next < args.Count)
            {
                var index = _next++;
                var arg = args[index];
                if (arg.Length < 2 || arg[0] != '-')
                {
                    // pflag keeps it as an argument; dockerd takes none (cobra NoArgs) and would not start.
                    fail(Field(index), ValidationRules.DaemonOptionFormat,
                        "This entry is not a flag, and dockerd takes no arguments: write a flag's value with it ('--flag=value') or right after the flag.");
                }
                else if (arg == "--")
                {
                    // pflag stops parsing at "--"; whatever follows would be arguments dockerd refuses.
                    fail(Field(index), ValidationRules.DaemonOptionFormat, "'--' ends dockerd's flags and dockerd takes no arguments; leave it out.");
                    return;
                }
                else if (arg[1] == '-')
                {
                    ParseLong(index, arg);
                }
                else
                {
                    ParseShort(index, arg);
                }
            }
        }

        private void ParseLong(int index, string arg)
        {
            var body = arg[2..];
            if (body[0] is '-' or '=')
            {
                fail(Field(index), ValidationRules.DaemonOptionFormat, "Bad flag syntax: a long flag is '--name' or '--name=value'.");
                return;
            }

            var split = body.Split('=', 2);
            if (!DaemonFlags.ByName.TryGetValue(split[0], out var flag))
            {
                fail(Field(index), ValidationRules.DaemonOptionNotAllowed, $"'--{split[0]}' is not a dockerd option a request may set. {AllowedList}");

                // Its value, if it has one, most likely follows: skip it rather than report it as a stray argument.
                if (split.Length == 1 && _next < args.Count && !args[_next].StartsWith('-'))
                {
                    _next++;
                }

                return;
            }

            string? value;
            if (split.Length == 2)
            {
                value = split[1];
            }
            else if (flag.IsBool)
            {
                value = "true";
            }
            else if (_next < args.Count)
            {
                value = args[_next++];
            }
            else
            {
                value = null;
            }

            Apply(index, flag, value, spelledShort: false);
        }

        private void ParseShort(int index, string arg)
        {
            var shorthands = arg[1..];
            for (var position = 0; shorthands.Length > 0; position++)
            {
                var c = shorthands[0];
                if (!DaemonFlags.ByShorthand.TryGetValue(c, out var flag))
                {
                    fail(Field(index), ValidationRules.DaemonOptionNotAllowed, $"'-{c}' is not a dockerd option a request may set. {AllowedList}");
                    return;
                }

                var combined = position > 0 || (flag.IsBool && shorthands.Length > 1 && shorthands[1] != '=');
                string? value;
                if (shorthands.Length > 2 && shorthands[1] == '=')
                {
                    // '-f=value'
                    value = shorthands[2..];
                    shorthands = string.Empty;
                }
                else if (flag.IsBool)
                {
                    // '-f': the next letter is another shorthand ('-DH' is '-D -H').
                    value = "true";
                    shorthands = shorthands[1..];
                }
                else if (shorthands.Length > 1)
                {
                    // '-fvalue'
                    value = shorthands[1..];
                    shorthands = string.Empty;
                }
                else if (_next < args.Count)
                {
                    // '-f value'
                    value = args[_next++];
                    shorthands = string.Empty;
                }
                else
                {
                    value = null;
                    shorthands = string.Empty;
                }

                Apply(index, flag, value, spelledShort: true, combined);
            }
        }

        /// <summary>Checks one parsed flag; <paramref name="value"/> is null when a value flag ended the list without one.</summary>
        private void Apply(int index, DaemonFlag flag, string? value, bool spelledShort, bool combined = false)
        {
            var name = flag.Describe(spelledShort);
            var where = combined ? " (combined with other short flags in one entry, which dockerd reads one by one)" : string.Empty;
            switch (flag.Policy)
            {
                case DaemonFlagPolicy.Forbidden:
                    fail(Field(index), ValidationRules.DaemonOptionForbidden, $"{name}{where} {flag.Reason}.");
                    return;
                case DaemonFlagPolicy.NotAllowed:
                    fail(Field(index), ValidationRules.DaemonOptionNotAllowed, $"{name}{where} is not on the list of dockerd options a request may set. {AllowedList}");
                    return;
            }

            if (value is null)
            {
                fail(Field(index), ValidationRules.DaemonOptionValue, $"{name} needs a value ('--{flag.Name}=value').");
                return;
            }

            string rendered;
            if (flag.IsBool)
            {
                // Go's strconv.ParseBool, which pflag's bool flags use.
                bool? parsed = value switch
                {
                    "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
                    "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
                    _ => null,
                };
                if (parsed is null)
                {
                    fail(Field(index), ValidationRules.DaemonOptionValue, $"{name} is a switch: true or false.");
                    return;
                }

                rendered = parsed.Value ? $"--{flag.Name}" : $"--{flag.Name}=false";
            }
            else
            {
                var problem = value.Length > DaemonFlags.MaxValueLength ? $"must be at most {DaemonFlags.MaxValueLength} characters" : flag.CheckValue!(value);
                if (problem is not null)
                {
                    fail(Field(index), ValidationRules.DaemonOptionValue, $"The value of {name} {problem}.");
                    return;
                }

                rendered = $"--{flag.Name}={value}";
            }

            // pflag lets the last of a repeated single-value flag win; a request gives it one value (saying it twice is harmless).
            if (!flag.Repeatable && _seen.TryGetValue(flag.Name, out var earlier))
            {
                if (earlier != rendered)
                {
                    fail(Field(index), ValidationRules.DaemonOptionRepeated, $"{name} is given more than once with different values; it takes one.");
                }

                return;
            }

            _seen[flag.Name] = rendered;
            Canonical.Add(rendered);
        }

        private static string AllowedList => $"Allowed: {string.Join(", ", DaemonFlags.AllowedNames.Select(n => "--" + n))}.";
    }
}
