// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "canonicaljson.h"

#include <QCryptographicHash>

#include <nlohmann/json.hpp>

namespace brieflow {

std::optional<QByteArray> canonicalJson(const QByteArray &json)
{
    // nlohmann::json keeps objects in a std::map, so dump() writes keys in sorted order.
    const nlohmann::json parsed = nlohmann::json::parse(json.cbegin(), json.cend(), nullptr,
                                                        /*allow_exceptions=*/false);
    if (parsed.is_discarded())
        return std::nullopt;
    const std::string out = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace brieflow
