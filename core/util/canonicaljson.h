// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace brieflow {

/**
 * @p json re-serialised canonically: object keys sorted, no insignificant whitespace, numbers in
 * their shortest round-trip form, UTF-8 kept as is. Two inputs that mean the same JSON give the
 * same bytes, which is what the duplicate-prediction protocol hashes. std::nullopt when @p json
 * is not valid JSON.
 */
std::optional<QByteArray> canonicalJson(const QByteArray &json);

/** Lowercase hex SHA-256 of @p bytes. */
QString sha256Hex(const QByteArray &bytes);

} // namespace brieflow
