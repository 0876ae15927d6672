// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replicaterequests.h"

#include <QUrlQuery>

#include <nlohmann/json.hpp>

namespace brieflow::replicate {

namespace {

using json = nlohmann::json;

QUrl endpoint(const QUrl &baseUrl, const QString &path)
{
    QUrl url = baseUrl;
    url.setPath(baseUrl.path() + path);
    return url;
}

HttpRequestSpec readSpec(const QUrl &url)
{
    HttpRequestSpec spec;
    spec.url = url;
    return spec;
}

bool isIdChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
           || u == u'-' || u == u'_';
}

std::optional<ModelRef> modelByName(const QString &owner, const QString &name)
{
    const std::optional<ModelRef> ref = ModelRef::parse(owner + QLatin1Char('/') + name);
    if (!ref || ref->kind != ModelRef::Kind::Model || ref->owner != owner || ref->name != name)
        return std::nullopt;
    return ref;
}

} // namespace

ProviderError invalidRequest(const QString &why)
{
    ProviderError error;
    error.kind = ProviderError::Kind::InvalidRequest;
    error.detail = why;
    error.mayHaveReachedServer = false;
    return error;
}

QUrl defaultBaseUrl()
{
    return QUrl(QStringLiteral("https://api.replicate.com/v1"));
}

QUrl normalizeBaseUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1StringView("https")
            && url.scheme() != QLatin1StringView("http")))
        return {};
    QUrl normalized =
        url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    if (normalized.path().isEmpty() || normalized.path() == QLatin1StringView("/"))
        normalized.setPath(QStringLiteral("/v1"));
    return normalized;
}

bool isSameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defaultPort = [](const QUrl &url) {
        return url.scheme() == QLatin1StringView("https") ? 443 : 80;
    };
    return a.isValid() && b.isValid() && a.scheme() == b.scheme()
           && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
           && a.port(defaultPort(a)) == b.port(defaultPort(b));
}

QString formatCancelAfter(std::chrono::seconds duration)
{
    qint64 seconds = duration.count();
    if (seconds <= 0)
        return QStringLiteral("0s");
    QString text;
    if (const qint64 hours = seconds / 3600; hours > 0) {
        text += QString::number(hours) + QLatin1Char('h');
        seconds %= 3600;
    }
    if (const qint64 minutes = seconds / 60; minutes > 0) {
        text += QString::number(minutes) + QLatin1Char('m');
        seconds %= 60;
    }
    if (seconds > 0)
        text += QString::number(seconds) + QLatin1Char('s');
    return text;
}

bool isValidPredictionId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    return std::all_of(id.cbegin(), id.cend(), isIdChar);
}

Result<HttpRequestSpec, ProviderError> buildCreateRequest(const QUrl &baseUrl,
                                                          const CreateRequest &request)
{
    if (request.cancelAfter.count() <= 0)
        return fail(
            invalidRequest(QStringLiteral("refusing to create a prediction without Cancel-After")));
    if (request.cancelAfter < std::chrono::seconds(5))
        return fail(invalidRequest(QStringLiteral("Cancel-After must be at least 5 seconds")));
    if (request.preferWaitSeconds < 0 || request.preferWaitSeconds > 60)
        return fail(invalidRequest(QStringLiteral("Prefer: wait must be between 1 and 60 s")));

    const json input = json::parse(request.input.cbegin(), request.input.cend(), nullptr, false);
    if (!input.is_object())
        return fail(invalidRequest(QStringLiteral("the input is not a JSON object")));

    const ModelRef &model = request.model;
    json body = json::object();
    QString path;
    switch (model.kind) {
    case ModelRef::Kind::Model:
        path = QStringLiteral("/models/%1/%2/predictions").arg(model.owner, model.name);
        break;
    case ModelRef::Kind::Deployment:
        path = QStringLiteral("/deployments/%1/%2/predictions").arg(model.owner, model.name);
        break;
    case ModelRef::Kind::Version:
        path = QStringLiteral("/predictions");
        body["version"] = model.version.toStdString();
        break;
    }
    // Re-parse the text form so a hand-built ModelRef cannot smuggle a path into the URL.
    if (ModelRef::parse(model.toString()) != model)
        return fail(invalidRequest(QStringLiteral("invalid model reference")));

    body["input"] = input;
    if (request.webhook.isValid() && !request.webhook.isEmpty())
        body["webhook"] = request.webhook.toString(QUrl::FullyEncoded).toStdString();
    if (!request.webhookEventsFilter.isEmpty()) {
        json filter = json::array();
        for (const QString &event : request.webhookEventsFilter)
            filter.push_back(event.toStdString());
        body["webhook_events_filter"] = filter;
    }
    if (request.stream)
        body["stream"] = true;

    HttpRequestSpec spec;
    spec.method = "POST";
    spec.kind = RequestKind::Create;
    spec.url = endpoint(baseUrl, path);
    const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
    spec.body = QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    spec.headers.append({"Cancel-After", formatCancelAfter(request.cancelAfter).toLatin1()});
    if (request.preferWaitSeconds > 0) {
        spec.preferWaitSeconds = request.preferWaitSeconds;
        spec.headers.append({"Prefer", "wait=" + QByteArray::number(request.preferWaitSeconds)});
    }
    return spec;
}

Result<HttpRequestSpec, ProviderError> buildGetPrediction(const QUrl &baseUrl, const QString &id)
{
    if (!isValidPredictionId(id))
        return fail(invalidRequest(QStringLiteral("invalid prediction id")));
    return readSpec(endpoint(baseUrl, QStringLiteral("/predictions/") + id));
}

Result<HttpRequestSpec, ProviderError> buildCancelPrediction(const QUrl &baseUrl, const QString &id)
{
    if (!isValidPredictionId(id))
        return fail(invalidRequest(QStringLiteral("invalid prediction id")));
    HttpRequestSpec spec =
        readSpec(endpoint(baseUrl, QStringLiteral("/predictions/%1/cancel").arg(id)));
    spec.method = "POST"; // canceling twice is harmless, so it retries like a read
    return spec;
}

Result<HttpRequestSpec, ProviderError> buildListPredictions(const QUrl &baseUrl,
                                                            const PredictionListQuery &query)
{
    if (!query.cursor.isEmpty())
        return buildNextPage(baseUrl, query.cursor);
    QUrl url = endpoint(baseUrl, QStringLiteral("/predictions"));
    QUrlQuery params;
    if (query.createdAfter.isValid())
        params.addQueryItem(QStringLiteral("created_after"),
                            query.createdAfter.toUTC().toString(Qt::ISODateWithMs));
    if (query.createdBefore.isValid())
        params.addQueryItem(QStringLiteral("created_before"),
                            query.createdBefore.toUTC().toString(Qt::ISODateWithMs));
    if (!params.isEmpty())
        url.setQuery(params);
    return readSpec(url);
}

Result<HttpRequestSpec, ProviderError> buildNextPage(const QUrl &baseUrl, const QUrl &nextUrl)
{
    if (!isSameOrigin(baseUrl, nextUrl))
        return fail(
            invalidRequest(QStringLiteral("refusing to follow a page link to another origin: %1")
                               .arg(nextUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))));
    return readSpec(nextUrl);
}

HttpRequestSpec buildAccount(const QUrl &baseUrl)
{
    return readSpec(endpoint(baseUrl, QStringLiteral("/account")));
}

Result<HttpRequestSpec, ProviderError> buildGetModel(const QUrl &baseUrl, const QString &owner,
                                                     const QString &name)
{
    if (!modelByName(owner, name))
        return fail(invalidRequest(QStringLiteral("invalid model owner/name")));
    return readSpec(endpoint(baseUrl, QStringLiteral("/models/%1/%2").arg(owner, name)));
}

Result<HttpRequestSpec, ProviderError> buildGetModelVersion(const QUrl &baseUrl,
                                                            const QString &owner,
                                                            const QString &name,
                                                            const QString &versionId)
{
    if (!modelByName(owner, name))
        return fail(invalidRequest(QStringLiteral("invalid model owner/name")));
    if (!isValidPredictionId(versionId))
        return fail(invalidRequest(QStringLiteral("invalid version id")));
    return readSpec(
        endpoint(baseUrl, QStringLiteral("/models/%1/%2/versions/%3").arg(owner, name, versionId)));
}

HttpRequestSpec buildDefaultWebhookSecret(const QUrl &baseUrl)
{
    return readSpec(endpoint(baseUrl, QStringLiteral("/webhooks/default/secret")));
}

} // namespace brieflow::replicate
