// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "createrequest.h"

#include <QRegularExpression>
#include <QUrl>

#include <nlohmann/json.hpp>

#include "core/sandbox/inputvalidator.h"
#include "core/sandbox/jsontypes_p.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/problems.h"
#include "core/sandbox/sandboxformat.h"
#include "core/sandbox/sandboxstats.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::ordered_json;

constexpr qint64 MinimumCancelAfterMs = 5000;
const char *const WebhookEvents[] = {"start", "output", "logs", "completed"};

FieldError invalidType(const QString &field, const char *expected, const Json &value)
{
    return {
        QStringLiteral("invalid_type"), field,
        qs(std::string("Invalid type. Expected: ") + expected + ", given: " + jsonTypeName(value))};
}

/** The body against the request schema (additionalProperties: false). */
QList<FieldError> checkBody(const Json &body, CreateForm form)
{
    QList<FieldError> errors;
    std::vector<std::string> allowed = {"input", "webhook", "webhook_events_filter", "stream"};
    if (form == CreateForm::Version) {
        allowed.insert(allowed.begin(), "version");
        if (!body.contains("version"))
            errors.append(
                {QStringLiteral("required"), QString(), QStringLiteral("version is required")});
    }
    if (!body.contains("input"))
        errors.append({QStringLiteral("required"), QString(), QStringLiteral("input is required")});
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
            errors.append({QStringLiteral("additional_property_not_allowed"), QString(),
                           qs("Additional property " + it.key() + " is not allowed")});
    }
    if (body.contains("version") && form == CreateForm::Version && !body.at("version").is_string())
        errors.append(invalidType(QStringLiteral("version"), "string", body.at("version")));
    if (body.contains("input") && !body.at("input").is_object())
        errors.append(invalidType(QStringLiteral("input"), "object", body.at("input")));
    if (body.contains("stream") && !body.at("stream").is_boolean())
        errors.append(invalidType(QStringLiteral("stream"), "boolean", body.at("stream")));
    if (body.contains("webhook")) {
        const Json &hook = body.at("webhook");
        if (!hook.is_string()) {
            errors.append(invalidType(QStringLiteral("webhook"), "string", hook));
        } else {
            const QUrl url(qs(hook.get<std::string>()), QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty()
                || (url.scheme() != QLatin1String("http")
                    && url.scheme() != QLatin1String("https")))
                errors.append({QStringLiteral("format"), QStringLiteral("webhook"),
                               QStringLiteral("Does not match format 'uri'")});
        }
    }
    if (body.contains("webhook_events_filter")) {
        const Json &filter = body.at("webhook_events_filter");
        if (!filter.is_array()) {
            errors.append(invalidType(QStringLiteral("webhook_events_filter"), "array", filter));
        } else {
            for (size_t i = 0; i < filter.size(); ++i) {
                const Json &e = filter.at(i);
                const bool known =
                    e.is_string()
                    && std::any_of(std::begin(WebhookEvents), std::end(WebhookEvents),
                                   [&e](const char *name) { return e == name; });
                if (known)
                    continue;
                const std::string field = "webhook_events_filter." + std::to_string(i);
                errors.append({QStringLiteral("enum"), qs(field),
                               qs(field
                                  + " must be one of the following: \"start\", \"output\", "
                                    "\"logs\", \"completed\"")});
            }
        }
    }
    return errors;
}

/** The model a "version" value names, and the version the prediction will report. */
const SandboxModel *resolveVersion(const QString &version, const ModelCatalog &catalog,
                                   QString *reported)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    static const QRegularExpression withVersion(
        QStringLiteral("^([\\w.-]+)/([\\w.-]+):([0-9a-f]{64})$"));
    static const QRegularExpression byName(QStringLiteral("^([\\w.-]+)/([\\w.-]+)$"));
    if (hex.match(version).hasMatch()) {
        *reported = version;
        return catalog.modelByVersion(version);
    }
    if (const auto m = withVersion.match(version); m.hasMatch()) {
        const SandboxModel *model = catalog.model(m.captured(1), m.captured(2));
        if (!model || model->versionId != m.captured(3))
            return nullptr;
        *reported = model->versionId;
        return model;
    }
    if (const auto m = byName.match(version); m.hasMatch()) {
        // Only official models run by name; all of the sandbox's models are official.
        const SandboxModel *model = catalog.model(m.captured(1), m.captured(2));
        if (model)
            *reported = model->modelEndpointVersion;
        return model;
    }
    return nullptr;
}

} // namespace

Result<CreateRequest, HttpResponse> readCreateRequest(const HttpRequest &request, CreateForm form,
                                                      const QString &owner, const QString &name,
                                                      const ModelCatalog &catalog,
                                                      bool strictInputs)
{
    const Json body = Json::parse(request.body.toStdString(), nullptr, false);
    if (body.is_discarded())
        return fail(problems::badRequest(QStringLiteral("The request body is not valid JSON.")));
    if (!body.is_object())
        return fail(problems::validationFailed({invalidType(QString(), "object", body)}));
    if (const QList<FieldError> errors = checkBody(body, form); !errors.isEmpty())
        return fail(problems::validationFailed(errors));

    CreateRequest out;
    CreateSpec &spec = out.spec;
    QString keyKind;
    QString keyValue;
    switch (form) {
    case CreateForm::Version:
        keyKind = QStringLiteral("version");
        keyValue = qs(body.at("version").get<std::string>());
        spec.model = resolveVersion(keyValue, catalog, &spec.version);
        if (!spec.model)
            return fail(problems::invalidVersion());
        break;
    case CreateForm::Model:
        keyKind = QStringLiteral("model");
        keyValue = owner + QLatin1Char('/') + name;
        spec.model = catalog.model(owner, name);
        if (!spec.model)
            return fail(problems::notFound());
        spec.version = spec.model->modelEndpointVersion;
        break;
    case CreateForm::Deployment: {
        keyKind = QStringLiteral("deployment");
        keyValue = owner + QLatin1Char('/') + name;
        const SandboxDeployment *deployment = catalog.deployment(owner, name);
        if (!deployment)
            return fail(problems::notFound());
        spec.model = deployment->model;
        spec.version = spec.model->versionId;
        spec.deployment = keyValue;
        break;
    }
    }

    if (request.hasHeader("cancel-after")) {
        const QString value = QString::fromLatin1(request.header("cancel-after"));
        const std::optional<qint64> ms = parseCancelAfterMs(value);
        if (!ms || *ms < MinimumCancelAfterMs)
            return fail(problems::badRequest(
                QStringLiteral("Invalid Cancel-After header \"%1\": use a duration such as 30s, "
                               "5m or 1h30m45s (a bare number means seconds), at least 5s.")
                    .arg(value)));
        spec.cancelAfterMs = *ms;
    }

    spec.input = QByteArray::fromStdString(body.at("input").dump());
    if (const QList<FieldError> errors =
            validateInput(spec.model->openApiSchema, spec.input, strictInputs);
        !errors.isEmpty())
        return fail(problems::validationFailed(errors));
    spec.inputKey = SandboxStats::inputKey(keyKind, keyValue, spec.input);

    if (body.contains("webhook"))
        spec.webhook = qs(body.at("webhook").get<std::string>());
    if (body.contains("webhook_events_filter")) {
        for (const Json &e : body.at("webhook_events_filter"))
            spec.webhookEvents.append(qs(e.get<std::string>()));
    }
    spec.streamRequested = body.value("stream", false);

    if (const QByteArray prefer = request.header("prefer"); !prefer.isEmpty()) {
        if (const std::optional<int> wait = parsePreferWait(prefer)) {
            out.waitSeconds = *wait;
            spec.syncMode = true;
            out.preferenceApplied = *wait == 60 && !prefer.contains("=")
                                        ? QByteArray("wait")
                                        : "wait=" + QByteArray::number(*wait);
        }
    }
    return out;
}

} // namespace brieflow::sandbox
