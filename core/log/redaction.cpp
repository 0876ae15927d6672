// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/redaction.h"

#include <QRegularExpression>

namespace brieflow {

namespace {

const QString redacted = QStringLiteral("[redacted]");

// A Replicate token: "r8_" then token characters (also inside a longer word, e.g. after '=').
const QRegularExpression &tokenPattern()
{
    static const QRegularExpression pattern(QStringLiteral("r8_[A-Za-z0-9_\\-]*"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

// The value after an Authorization header name, up to the end of the quoted value or line:
// "Authorization: Bearer x", "\"Authorization\": \"Bearer x\"", ("Authorization", "Bearer x").
const QRegularExpression &authorizationPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("(authorization[\"']?\\s*[:=,]\\s*[\"']?)[^\"'\\r\\n]*"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

// A credential with its scheme: anything after "Bearer"; after "Token" only what looks like a
// key (16+ characters with a digit), so plain words such as "token bucket" stay readable.
const QRegularExpression &credentialPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("\\b(bearer\\s+)[A-Za-z0-9._~+/=\\-]+"
                       "|\\b(token\\s+)(?=[A-Za-z._~+/=\\-]*[0-9])[A-Za-z0-9._~+/=\\-]{16,}"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

} // namespace

QString redactSecrets(const QString &text)
{
    const bool token = text.contains(QLatin1String("r8_"), Qt::CaseInsensitive);
    const bool header = text.contains(QLatin1String("authorization"), Qt::CaseInsensitive);
    const bool credential = text.contains(QLatin1String("bearer"), Qt::CaseInsensitive)
                            || text.contains(QLatin1String("token"), Qt::CaseInsensitive);
    if (!token && !header && !credential)
        return text;
    QString result = text;
    if (header)
        result.replace(authorizationPattern(), QStringLiteral("\\1") + redacted);
    if (credential)
        result.replace(credentialPattern(), QStringLiteral("\\1\\2") + redacted);
    if (token)
        result.replace(tokenPattern(), redacted);
    return result;
}

} // namespace brieflow
