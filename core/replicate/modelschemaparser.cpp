// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelschemaparser.h"

#include <algorithm>

#include <QVariantMap>

#include <nlohmann/json.hpp>

#include "core/replicate/jsonaccess_p.h"
#include "core/replicate/predictionparser.h"

namespace brieflow::replicate {

namespace {

using json = nlohmann::json;

/** Short name for the shared reader: the parsers below call it a lot. */
QString str(const json &object, const char *key)
{
    return jsonString(object, key);
}

const json *member(const json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

QVariant toVariant(const json &value)
{
    switch (value.type()) {
    case json::value_t::string:
        return QString::fromStdString(value.get_ref<const std::string &>());
    case json::value_t::boolean:
        return value.get<bool>();
    case json::value_t::number_integer:
        return QVariant::fromValue(value.get<qint64>());
    case json::value_t::number_unsigned:
        return QVariant::fromValue(static_cast<qint64>(value.get<quint64>()));
    case json::value_t::number_float:
        return value.get<double>();
    case json::value_t::array: {
        QVariantList list;
        for (const json &item : value)
            list << toVariant(item);
        return list;
    }
    case json::value_t::object: {
        QVariantMap map;
        for (const auto &[key, item] : value.items())
            map.insert(QString::fromStdString(key), toVariant(item));
        return map;
    }
    default:
        return {};
    }
}

InputProperty::Type typeFromName(const QString &name)
{
    using T = InputProperty::Type;
    static const std::pair<const char *, T> names[] = {
        {"string", T::String},   {"integer", T::Integer}, {"number", T::Number},
        {"boolean", T::Boolean}, {"array", T::Array},     {"object", T::Object},
    };
    for (const auto &[text, type] : names) {
        if (name == QLatin1StringView(text))
            return type;
    }
    return T::Unknown;
}

// "#/components/schemas/scheduler" → that schema object, or nullptr.
const json *resolveRef(const json &schemas, const json &holder)
{
    for (const char *combinator : {"allOf", "anyOf", "oneOf"}) {
        const json *list = member(holder, combinator);
        if (!list || !list->is_array())
            continue;
        for (const json &entry : *list) {
            const QString ref = str(entry, "$ref");
            const QLatin1StringView prefix("#/components/schemas/");
            if (!ref.startsWith(prefix))
                continue;
            const json *target = member(schemas, ref.mid(prefix.size()).toStdString().c_str());
            if (target && target->is_object())
                return target;
        }
    }
    return nullptr;
}

InputProperty readProperty(const std::string &name, const json &spec, const json &schemas)
{
    InputProperty property;
    property.name = QString::fromStdString(name);
    property.title = str(spec, "title");
    property.description = str(spec, "description");
    property.format = str(spec, "format");
    QString typeName = str(spec, "type");
    const json *enumValues = member(spec, "enum");
    if (const json *target = resolveRef(schemas, spec)) {
        if (typeName.isEmpty())
            typeName = str(*target, "type");
        if (!enumValues)
            enumValues = member(*target, "enum");
        if (property.description.isEmpty())
            property.description = str(*target, "description");
    }
    property.type = typeFromName(typeName);
    if (enumValues && enumValues->is_array()) {
        for (const json &value : *enumValues)
            property.enumValues << toVariant(value);
    }
    if (const json *value = member(spec, "default"))
        property.defaultValue = toVariant(*value);
    if (const json *value = member(spec, "minimum"); value && value->is_number())
        property.minimum = value->get<double>();
    if (const json *value = member(spec, "maximum"); value && value->is_number())
        property.maximum = value->get<double>();
    if (const json *value = member(spec, "x-order"); value && value->is_number_integer())
        property.order = value->get<int>();
    return property;
}

OutputShape outputShape(const json &schemas)
{
    const json *output = member(schemas, "Output");
    if (!output || !output->is_object())
        return OutputShape::Unknown;
    const QString type = str(*output, "type");
    if (type == QLatin1StringView("string"))
        return str(*output, "format") == QLatin1StringView("uri") ? OutputShape::File
                                                                  : OutputShape::Text;
    if (type == QLatin1StringView("array")) {
        const json *items = member(*output, "items");
        if (items && str(*items, "type") == QLatin1StringView("string")) {
            if (str(*items, "format") == QLatin1StringView("uri"))
                return OutputShape::FileList;
            if (str(*output, "x-cog-array-type") == QLatin1StringView("iterator")
                || str(*output, "x-cog-array-display") == QLatin1StringView("concatenate"))
                return OutputShape::TextTokens;
        }
        return OutputShape::Other;
    }
    return type.isEmpty() ? OutputShape::Unknown : OutputShape::Other;
}

void readSchema(const json &openapi, ModelVersion &version)
{
    const json *components = member(openapi, "components");
    const json *schemas = components ? member(*components, "schemas") : nullptr;
    if (!schemas || !schemas->is_object())
        return;
    version.output = outputShape(*schemas);
    const json *input = member(*schemas, "Input");
    const json *properties = input ? member(*input, "properties") : nullptr;
    if (!properties || !properties->is_object())
        return;
    QStringList required;
    if (const json *list = member(*input, "required"); list && list->is_array()) {
        for (const json &name : *list) {
            if (name.is_string())
                required << QString::fromStdString(name.get<std::string>());
        }
    }
    for (const auto &[name, spec] : properties->items()) {
        if (!spec.is_object())
            continue;
        InputProperty property = readProperty(name, spec, *schemas);
        property.required = required.contains(property.name);
        version.inputs << std::move(property);
    }
    std::stable_sort(version.inputs.begin(), version.inputs.end(),
                     [](const InputProperty &a, const InputProperty &b) {
                         return a.order != b.order ? a.order < b.order : a.name < b.name;
                     });
    version.hasSchema = true;
}

Result<ModelVersion, ProviderError> versionFromJson(const json &object, const QByteArray &body)
{
    ModelVersion version;
    version.id = object.is_object() ? str(object, "id") : QString();
    if (version.id.isEmpty())
        return fail(malformedResponse(body, QStringLiteral("the version has no id")));
    version.createdAt = parseTimestamp(str(object, "created_at"));
    version.cogVersion = str(object, "cog_version");
    if (const json *openapi = member(object, "openapi_schema"); openapi && openapi->is_object())
        readSchema(*openapi, version);
    return version;
}

json parseBody(const QByteArray &body)
{
    return json::parse(body.cbegin(), body.cend(), nullptr, /*allow_exceptions=*/false);
}

} // namespace

Result<ModelVersion, ProviderError> parseModelVersion(const QByteArray &body)
{
    try {
        return versionFromJson(parseBody(body), body);
    } catch (const json::exception &e) {
        return fail(malformedResponse(body, QString::fromUtf8(e.what())));
    }
}

Result<ModelInfo, ProviderError> parseModel(const QByteArray &body)
{
    try {
        const json parsed = parseBody(body);
        ModelInfo model;
        if (parsed.is_object()) {
            model.owner = str(parsed, "owner");
            model.name = str(parsed, "name");
        }
        if (model.owner.isEmpty() || model.name.isEmpty())
            return fail(malformedResponse(body, QStringLiteral("the model has no owner/name")));
        model.description = str(parsed, "description");
        model.visibility = str(parsed, "visibility");
        model.url = QUrl(str(parsed, "url"));
        if (const json *count = member(parsed, "run_count"); count && count->is_number_integer())
            model.runCount = count->get<qint64>();
        if (const json *latest = member(parsed, "latest_version"); latest && latest->is_object()) {
            auto version = versionFromJson(*latest, body);
            if (version)
                model.latestVersion = std::move(version).value();
        }
        return model;
    } catch (const json::exception &e) {
        return fail(malformedResponse(body, QString::fromUtf8(e.what())));
    }
}

} // namespace brieflow::replicate
