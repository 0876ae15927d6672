// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "providertypes.h"

#include <array>

#include <QRegularExpression>

namespace brieflow {

namespace {

struct StatusName {
    PredictionStatus status;
    const char *name;
};

constexpr std::array<StatusName, 6> statusNames{{
    {PredictionStatus::Starting, "starting"},
    {PredictionStatus::Processing, "processing"},
    {PredictionStatus::Succeeded, "succeeded"},
    {PredictionStatus::Failed, "failed"},
    {PredictionStatus::Canceled, "canceled"},
    {PredictionStatus::Aborted, "aborted"},
}};

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
           || u == u'-' || u == u'_' || u == u'.';
}

// An owner or model name: letters, digits, '-', '_', '.', starting with a letter or digit.
bool isValidSegment(QStringView segment)
{
    if (segment.isEmpty() || segment.size() > 100)
        return false;
    if (!segment.front().isLetterOrNumber() || segment.front().unicode() > 0x7f)
        return false;
    for (QChar c : segment) {
        if (!isNameChar(c))
            return false;
    }
    return true;
}

bool isVersionId(QStringView text)
{
    if (text.size() != 64)
        return false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool hex =
            (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
        if (!hex)
            return false;
    }
    return true;
}

// Replicate API tokens look like r8_<base62>; never print one, whatever field it hid in.
QString scrubTokens(QString text)
{
    static const QRegularExpression token(QStringLiteral("r8_[A-Za-z0-9]{8,}"));
    return text.replace(token, QStringLiteral("r8_[redacted]"));
}

} // namespace

QString toString(PredictionStatus status)
{
    for (const StatusName &entry : statusNames) {
        if (entry.status == status)
            return QString::fromLatin1(entry.name);
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<PredictionStatus> predictionStatusFromString(QStringView text)
{
    for (const StatusName &entry : statusNames) {
        if (text == QLatin1StringView(entry.name))
            return entry.status;
    }
    return std::nullopt;
}

bool isTerminal(PredictionStatus status)
{
    switch (status) {
    case PredictionStatus::Starting:
    case PredictionStatus::Processing:
        return false;
    case PredictionStatus::Succeeded:
    case PredictionStatus::Failed:
    case PredictionStatus::Canceled:
    case PredictionStatus::Aborted:
        return true;
    }
    return false;
}

std::optional<ModelRef> ModelRef::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (isVersionId(trimmed))
        return ModelRef{Kind::Version, {}, {}, trimmed.toLower()};

    const QStringList parts = trimmed.split(QLatin1Char('/'));
    if (parts.size() == 3) {
        if (parts.at(0) != QLatin1StringView("deployments") || !isValidSegment(parts.at(1))
            || !isValidSegment(parts.at(2)))
            return std::nullopt;
        return ModelRef{Kind::Deployment, parts.at(1), parts.at(2), {}};
    }
    if (parts.size() != 2)
        return std::nullopt;

    const QString &owner = parts.at(0);
    QString name = parts.at(1);
    QString version;
    const qsizetype colon = name.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        version = name.mid(colon + 1);
        name.truncate(colon);
        if (!isVersionId(version))
            return std::nullopt;
    }
    // "deployments/x" is a deployment reference missing its name, not a model.
    if (!isValidSegment(owner) || !isValidSegment(name)
        || owner == QLatin1StringView("deployments"))
        return std::nullopt;
    if (version.isEmpty())
        return ModelRef{Kind::Model, owner, name, {}};
    return ModelRef{Kind::Version, owner, name, version.toLower()};
}

QString ModelRef::toString() const
{
    switch (kind) {
    case Kind::Model:
        return owner + QLatin1Char('/') + name;
    case Kind::Version:
        if (owner.isEmpty())
            return version;
        return owner + QLatin1Char('/') + name + QLatin1Char(':') + version;
    case Kind::Deployment:
        return QStringLiteral("deployments/") + owner + QLatin1Char('/') + name;
    }
    return {};
}

QString toString(ProviderError::Kind kind)
{
    using K = ProviderError::Kind;
    switch (kind) {
    case K::Unauthenticated:
        return QStringLiteral("unauthenticated");
    case K::InsufficientCredit:
        return QStringLiteral("insufficient_credit");
    case K::NotFound:
        return QStringLiteral("not_found");
    case K::InvalidInput:
        return QStringLiteral("invalid_input");
    case K::RateLimited:
        return QStringLiteral("rate_limited");
    case K::ServerError:
        return QStringLiteral("server_error");
    case K::Network:
        return QStringLiteral("network");
    case K::Timeout:
        return QStringLiteral("timeout");
    case K::MalformedResponse:
        return QStringLiteral("malformed_response");
    case K::OutcomeUnknown:
        return QStringLiteral("outcome_unknown");
    case K::Canceled:
        return QStringLiteral("canceled");
    case K::HttpError:
        return QStringLiteral("http_error");
    case K::InvalidRequest:
        return QStringLiteral("invalid_request");
    }
    return QStringLiteral("unknown");
}

QString ProviderError::describe() const
{
    // Built only from the typed fields, never from rawBody or request headers.
    QString text = toString(kind);
    if (httpStatus != 0)
        text += QStringLiteral(": HTTP %1").arg(httpStatus);
    if (!title.isEmpty())
        text += (httpStatus != 0 ? QStringLiteral(" ") : QStringLiteral(": ")) + title;
    if (!detail.isEmpty()) {
        const bool hasHead = httpStatus != 0 || !title.isEmpty();
        text += (hasHead ? QStringLiteral(" - ") : QStringLiteral(": ")) + detail.simplified();
    }
    if (!invalidFields.isEmpty()) {
        QStringList fields;
        for (const InvalidField &field : invalidFields) {
            const QString name = field.field.isEmpty() ? QStringLiteral("(body)") : field.field;
            fields << QStringLiteral("%1 [%2]: %3").arg(name, field.type, field.description);
        }
        text +=
            QStringLiteral(" (invalid: ") + fields.join(QStringLiteral("; ")) + QLatin1Char(')');
    }
    if (retryAfter)
        text += QStringLiteral(" (retry after %1 ms)").arg(retryAfter->count());
    if (attempts > 1)
        text += QStringLiteral(" (after %1 attempts)").arg(attempts);
    if (!mayHaveReachedServer)
        text += QStringLiteral(" (not sent)");
    return scrubTokens(text);
}

QString toString(InputProperty::Type type)
{
    using T = InputProperty::Type;
    switch (type) {
    case T::String:
        return QStringLiteral("string");
    case T::Integer:
        return QStringLiteral("integer");
    case T::Number:
        return QStringLiteral("number");
    case T::Boolean:
        return QStringLiteral("boolean");
    case T::Array:
        return QStringLiteral("array");
    case T::Object:
        return QStringLiteral("object");
    case T::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace brieflow
