// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replicateerrors.h"

#include <cmath>

#include <QLocale>

#include <nlohmann/json.hpp>

#include "core/replicate/jsonaccess_p.h"

namespace brieflow::replicate {

namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

/** Short name for the shared reader: the parsers below call it a lot. */
QString str(const json &object, const char *key)
{
    return jsonString(object, key);
}

ProviderError::Kind kindForStatus(int status)
{
    using K = ProviderError::Kind;
    switch (status) {
    case 401:
        return K::Unauthenticated;
    case 402:
        return K::InsufficientCredit;
    case 404:
        return K::NotFound;
    case 422:
        return K::InvalidInput;
    case 429:
        return K::RateLimited;
    default:
        return status >= 500 && status <= 599 ? K::ServerError : K::HttpError;
    }
}

std::optional<milliseconds> secondsToMs(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 86400.0 * 365)
        return std::nullopt;
    return milliseconds(static_cast<qint64>(std::ceil(seconds * 1000.0)));
}

QDateTime parseHttpDate(const QString &text)
{
    // RFC 9110 §5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms. The weekday is
    // redundant; it is skipped rather than checked.
    const QLocale c = QLocale::c();
    const QString simplified = text.simplified();
    const qsizetype comma = simplified.indexOf(QLatin1Char(','));
    QDateTime parsed;
    if (comma >= 0) {
        const QString rest = simplified.mid(comma + 1).trimmed();
        parsed = c.toDateTime(rest, QStringLiteral("dd MMM yyyy HH:mm:ss 'GMT'"));
        if (!parsed.isValid()) {
            parsed = c.toDateTime(rest, QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"));
            if (parsed.isValid() && parsed.date().year() < 1970)
                parsed = parsed.addYears(100); // two-digit years: 26 is 2026, not 1926
        }
    } else {
        const qsizetype space = simplified.indexOf(QLatin1Char(' '));
        if (space >= 0)
            parsed = c.toDateTime(simplified.mid(space + 1), QStringLiteral("MMM d HH:mm:ss yyyy"));
    }
    if (!parsed.isValid())
        return {};
    return QDateTime(parsed.date(), parsed.time(), Qt::UTC);
}

} // namespace

std::optional<milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double seconds = trimmed.toDouble(&isNumber);
    if (isNumber)
        return secondsToMs(seconds);
    const QDateTime when = parseHttpDate(QString::fromLatin1(trimmed));
    if (!when.isValid() || !nowUtc.isValid())
        return std::nullopt;
    return milliseconds(std::max<qint64>(0, nowUtc.msecsTo(when)));
}

ProviderError errorFromHttpResponse(int httpStatus, const QByteArray &body,
                                    const QByteArray &retryAfterHeader, const QDateTime &nowUtc)
{
    ProviderError error;
    error.kind = kindForStatus(httpStatus);
    error.httpStatus = httpStatus;
    error.rawBody = body;

    std::optional<milliseconds> bodyDelay;
    const json parsed = json::parse(body.cbegin(), body.cend(), nullptr, false);
    if (parsed.is_object()) {
        error.title = str(parsed, "title");
        error.detail = str(parsed, "detail");
        if (const auto fields = parsed.find("invalid_fields");
            fields != parsed.end() && fields->is_array()) {
            for (const json &field : *fields) {
                if (field.is_object())
                    error.invalidFields << InvalidField{str(field, "type"), str(field, "field"),
                                                        str(field, "description")};
            }
        }
        if (const auto retry = parsed.find("retry_after");
            retry != parsed.end() && retry->is_number())
            bodyDelay = secondsToMs(retry->get<double>());
    } else if (!body.trimmed().isEmpty() && body.size() <= 300) {
        // A proxy's plain-text or HTML page: a short one still says something.
        error.detail = QString::fromUtf8(body).simplified();
    }
    const std::optional<milliseconds> headerDelay = parseRetryAfter(retryAfterHeader, nowUtc);
    if (headerDelay && bodyDelay)
        error.retryAfter = std::max(*headerDelay, *bodyDelay);
    else
        error.retryAfter = headerDelay ? headerDelay : bodyDelay;
    return error;
}

ProviderError errorFromNetworkFailure(QNetworkReply::NetworkError code, const QString &text)
{
    ProviderError error;
    error.kind = ProviderError::Kind::Network;
    error.detail = text;
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        error.mayHaveReachedServer = false;
        break;
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ProxyTimeoutError:
        error.kind = ProviderError::Kind::Timeout;
        break;
    default:
        break;
    }
    return error;
}

ProviderError asCreateFailure(ProviderError error)
{
    using K = ProviderError::Kind;
    bool unknown = false;
    switch (error.kind) {
    case K::ServerError:
    case K::Timeout:
    case K::MalformedResponse:
        unknown = true;
        break;
    case K::Network:
    case K::Canceled:
        unknown = error.mayHaveReachedServer;
        break;
    default:
        break;
    }
    if (!unknown)
        return error;
    const QString cause = toString(error.kind);
    error.kind = K::OutcomeUnknown;
    error.mayHaveReachedServer = true;
    error.detail =
        QStringLiteral("The create request may have reached the server (%1)%2")
            .arg(cause, error.detail.isEmpty() ? QString() : QStringLiteral(": ") + error.detail);
    return error;
}

void redactSecret(ProviderError &error, const QString &secret)
{
    if (secret.isEmpty())
        return;
    const QString mask = QStringLiteral("[redacted]");
    error.title.replace(secret, mask);
    error.detail.replace(secret, mask);
    for (InvalidField &field : error.invalidFields) {
        field.type.replace(secret, mask);
        field.field.replace(secret, mask);
        field.description.replace(secret, mask);
    }
    error.rawBody.replace(secret.toUtf8(), mask.toUtf8());
}

} // namespace brieflow::replicate
