// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Private to core/replicate's .cpp files: small readers over nlohmann::json that the parsers
// share. Never include it from a header (nlohmann stays out of our public API).
#pragma once

#include <QString>

#include <nlohmann/json.hpp>

namespace brieflow::replicate {

/** @p object[@p key] when it is a string, else an empty QString. */
inline QString jsonString(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get_ref<const std::string &>());
}

} // namespace brieflow::replicate
