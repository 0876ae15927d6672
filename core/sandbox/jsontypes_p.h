// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Private to core/sandbox's .cpp files: JSON helpers the request and input validators share.
#pragma once

#include <cmath>
#include <string>

#include <QString>

namespace brieflow::sandbox {

inline QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/**
 * gojsonschema's name for a value's type (what Replicate's 422 messages say): a float with no
 * fraction counts as "integer". Works for nlohmann::json and nlohmann::ordered_json.
 */
template<typename Json>
std::string jsonTypeName(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
        return "null";
    case Json::value_t::boolean:
        return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return "integer";
    case Json::value_t::number_float: {
        const double d = value.template get<double>();
        return std::isfinite(d) && std::floor(d) == d ? "integer" : "number";
    }
    case Json::value_t::string:
        return "string";
    case Json::value_t::array:
        return "array";
    case Json::value_t::object:
        return "object";
    default:
        return "unknown";
    }
}

} // namespace brieflow::sandbox
