// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "inputvalidator.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/sandbox/jsontypes_p.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::json;

bool matchesType(const std::string &expected, const Json &value)
{
    const std::string given = jsonTypeName(value);
    if (expected == "number")
        return given == "number" || given == "integer";
    return expected == given;
}

/** The property schema with an allOf/$ref enum folded in. */
Json resolve(const Json &property, const Json &schemas)
{
    Json resolved = property;
    if (!property.contains("allOf"))
        return resolved;
    for (const Json &part : property.at("allOf")) {
        if (!part.contains("$ref"))
            continue;
        const std::string ref = part.at("$ref").get<std::string>();
        const std::string prefix = "#/components/schemas/";
        if (ref.rfind(prefix, 0) != 0)
            continue;
        const std::string name = ref.substr(prefix.size());
        if (!schemas.contains(name))
            continue;
        for (auto it = schemas.at(name).begin(); it != schemas.at(name).end(); ++it) {
            if (!resolved.contains(it.key()))
                resolved[it.key()] = it.value();
        }
    }
    return resolved;
}

void checkProperty(const std::string &key, const Json &value, const Json &schema,
                   QList<FieldError> &errors)
{
    const QString field = QStringLiteral("input.") + qs(key);
    if (schema.contains("type")) {
        const std::string expected = schema.at("type").get<std::string>();
        if (!matchesType(expected, value)) {
            errors.append(
                {QStringLiteral("invalid_type"), field,
                 qs("Invalid type. Expected: " + expected + ", given: " + jsonTypeName(value))});
            return;
        }
    }
    if (schema.contains("enum")) {
        bool found = false;
        std::string allowed;
        for (const Json &option : schema.at("enum")) {
            found = found || option == value;
            allowed += (allowed.empty() ? "" : ", ") + option.dump();
        }
        if (!found) {
            errors.append({QStringLiteral("enum"), field,
                           qs(key + " must be one of the following: " + allowed)});
            return;
        }
    }
    if (value.is_number()) {
        const double number = value.get<double>();
        if (schema.contains("minimum") && number < schema.at("minimum").get<double>()) {
            errors.append({QStringLiteral("number_gte"), field,
                           qs("Must be greater than or equal to " + schema.at("minimum").dump())});
        } else if (schema.contains("maximum") && number > schema.at("maximum").get<double>()) {
            errors.append({QStringLiteral("number_lte"), field,
                           qs("Must be less than or equal to " + schema.at("maximum").dump())});
        }
    }
}

} // namespace

QList<FieldError> validateInput(const QByteArray &cogSchema, const QByteArray &inputJson,
                                bool strict)
{
    QList<FieldError> errors;
    const Json doc = Json::parse(cogSchema.toStdString(), nullptr, false);
    const Json input = Json::parse(inputJson.toStdString(), nullptr, false);
    if (doc.is_discarded() || !input.is_object())
        return {{QStringLiteral("invalid_type"), QStringLiteral("input"),
                 qs("Invalid type. Expected: object, given: " + jsonTypeName(input))}};
    const Json &schemas = doc.at("components").at("schemas");
    const Json &inputSchema = schemas.at("Input");
    const Json properties = inputSchema.value("properties", Json::object());

    if (inputSchema.contains("required")) {
        for (const Json &name : inputSchema.at("required")) {
            if (!input.contains(name.get<std::string>()))
                errors.append({QStringLiteral("required"), QStringLiteral("input"),
                               qs(name.get<std::string>() + " is required")});
        }
    }
    // nlohmann::json keeps object keys sorted, so the per-property errors come in key order.
    for (auto it = input.begin(); it != input.end(); ++it) {
        if (!properties.contains(it.key())) {
            if (strict)
                errors.append({QStringLiteral("additional_property_not_allowed"),
                               QStringLiteral("input"),
                               qs("Additional property " + it.key() + " is not allowed")});
            continue;
        }
        checkProperty(it.key(), it.value(), resolve(properties.at(it.key()), schemas), errors);
    }
    return errors;
}

} // namespace brieflow::sandbox
