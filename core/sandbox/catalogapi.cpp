// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalogapi.h"

#include <QRegularExpression>

#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/predictionengine.h"
#include "core/sandbox/problems.h"

namespace brieflow::sandbox {

namespace {

QByteArray page(const QByteArray &results)
{
    return "{\"next\":null,\"previous\":null,\"results\":[" + results + "]}";
}

std::optional<HttpResponse> onlyGet(const HttpRequest &request, const QByteArray &body)
{
    if (request.method != "GET")
        return problems::methodNotAllowed(request.method);
    return HttpResponse::json(200, body);
}

} // namespace

std::optional<HttpResponse> handleCatalog(const HttpRequest &request, const SandboxContext &context,
                                          const QString &webhookSecret)
{
    static const QRegularExpression modelPath(
        QStringLiteral("^/v1/models/([^/]+)/([^/]+)(/versions(?:/([^/]+))?)?$"));
    static const QRegularExpression deploymentPath(
        QStringLiteral("^/v1/deployments/([^/]+)/([^/]+)$"));
    const QString &path = request.path;
    const ModelCatalog &catalog = *context.catalog;
    const QString origin = context.urls->origin;

    if (path == QLatin1String("/v1/account")) {
        return onlyGet(request, "{\"type\":\"organization\",\"username\":\"brieflow-sandbox\","
                                "\"name\":\"Brieflow Sandbox\",\"github_url\":null}");
    }
    if (path == QLatin1String("/v1/webhooks/default/secret"))
        return onlyGet(request, "{\"key\":\"" + webhookSecret.toLatin1() + "\"}");
    if (path == QLatin1String("/v1/hardware")) {
        return onlyGet(request, "[{\"sku\":\"cpu\",\"name\":\"CPU\"},"
                                "{\"sku\":\"gpu-h100\",\"name\":\"Nvidia H100 GPU\"}]");
    }
    if (path == QLatin1String("/v1/models")) {
        QByteArray results;
        for (const SandboxModel *m : catalog.models()) {
            if (!results.isEmpty())
                results += ',';
            results += ModelCatalog::modelJson(*m, context.engine->runCount(m), origin);
        }
        return onlyGet(request, page(results));
    }
    if (const auto m = modelPath.match(path); m.hasMatch()) {
        const SandboxModel *model = catalog.model(m.captured(1), m.captured(2));
        if (!model)
            return problems::notFound();
        if (m.captured(3).isEmpty())
            return onlyGet(
                request, ModelCatalog::modelJson(*model, context.engine->runCount(model), origin));
        if (m.captured(4).isEmpty())
            return onlyGet(request, page(ModelCatalog::versionJson(*model)));
        if (m.captured(4) != model->versionId)
            return problems::notFound();
        return onlyGet(request, ModelCatalog::versionJson(*model));
    }
    if (const auto m = deploymentPath.match(path); m.hasMatch()) {
        const SandboxDeployment *deployment = catalog.deployment(m.captured(1), m.captured(2));
        if (!deployment)
            return problems::notFound();
        return onlyGet(request, ModelCatalog::deploymentJson(*deployment));
    }
    return std::nullopt;
}

std::optional<HttpResponse> handlePublicFiles(const HttpRequest &request,
                                              const SandboxContext &context)
{
    static const QRegularExpression filePath(QStringLiteral("^/files/([^/]+)/([^/]+)$"));
    static const QRegularExpression webPath(QStringLiteral("^/p/([^/]+)$"));
    if (const auto m = filePath.match(request.path); m.hasMatch()) {
        const OutputFile *file = context.engine->file(m.captured(1), m.captured(2));
        if (!file)
            return problems::notFound();
        HttpResponse r;
        r.status = 200;
        r.headers.append({QByteArray("Content-Type"), file->contentType});
        r.headers.append({QByteArray("Cache-Control"), QByteArray("public,max-age=3600")});
        r.body = file->data;
        return r;
    }
    if (const auto m = webPath.match(request.path); m.hasMatch()) {
        const Prediction *p = context.engine->find(m.captured(1));
        if (!p)
            return problems::notFound();
        HttpResponse r;
        r.headers.append({QByteArray("Content-Type"), QByteArray("text/html; charset=utf-8")});
        r.body = "<!doctype html><title>Brieflow sandbox</title><p>Sandbox prediction "
                 + p->id.toUtf8() + ": " + statusName(p->status).toUtf8() + "</p>";
        return r;
    }
    return std::nullopt;
}

} // namespace brieflow::sandbox
