using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// Writes enum values in camelCase (<c>customScript</c>, <c>ecdsaP256</c>) like the rest of the JSON contract;
/// reading stays case-insensitive, so PascalCase (<c>CustomScript</c>) keeps working. Integers are refused so that
/// a caller cannot slip an undefined value past the contract.
/// </summary>
public sealed class JsonCamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
