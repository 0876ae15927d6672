// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "prediction.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/sandboxformat.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::ordered_json;

std::string utf8(const QString &text)
{
    return text.toStdString();
}

double seconds(qint64 ns)
{
    return std::round(double(ns) / 1000.0) / 1e6;
}

Json outputJson(const Prediction &p, const SandboxUrls &urls, bool finalEmptyToken)
{
    if (!p.hasOutput || p.dataRemoved)
        return nullptr;
    Json list = Json::array();
    if (p.model && p.model->kind == ModelKind::Image) {
        for (const OutputFile &f : p.files) {
            if (p.syncMode)
                list.push_back("data:" + f.contentType.toStdString() + ";base64,"
                               + f.data.toBase64().toStdString());
            else
                list.push_back(utf8(urls.file(p.id, f.name)));
        }
        return list;
    }
    for (const QString &token : p.output)
        list.push_back(utf8(token));
    if (finalEmptyToken)
        list.push_back("");
    return list;
}

} // namespace

QString statusName(Status status)
{
    switch (status) {
    case Status::Starting:
        return QStringLiteral("starting");
    case Status::Processing:
        return QStringLiteral("processing");
    case Status::Succeeded:
        return QStringLiteral("succeeded");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Canceled:
        return QStringLiteral("canceled");
    case Status::Aborted:
        return QStringLiteral("aborted");
    }
    return {};
}

bool isTerminal(Status status)
{
    return status != Status::Starting && status != Status::Processing;
}

QByteArray predictionJson(const Prediction &p, const SandboxUrls &urls, PredictionView view)
{
    const bool quirk = view == PredictionView::SyncProcessing;
    const bool terminal = isTerminal(p.status) && !quirk;
    Json j;
    j["id"] = utf8(p.id);
    j["model"] = utf8(p.modelField);
    j["version"] = utf8(p.version);
    if (p.dataRemoved)
        j["input"] = nullptr;
    else
        j["input"] = Json::parse(p.input.toStdString(), nullptr, false);
    if (view != PredictionView::ListItem) {
        const bool logsGone = p.dataRemoved || p.status == Status::Canceled;
        j["logs"] = logsGone ? Json(nullptr) : Json(utf8(p.logs));
    }
    j["output"] = outputJson(p, urls, quirk && p.model && p.model->kind == ModelKind::Text);
    j["data_removed"] = p.dataRemoved;
    j["error"] = p.error.isEmpty() ? Json(nullptr) : Json(utf8(p.error));
    j["status"] = utf8(statusName(quirk ? Status::Processing : p.status));
    j["created_at"] = utf8(formatTimestampNano(p.createdNs));
    if (p.startedNs)
        j["started_at"] = utf8(formatTimestampMicro(p.startedNs));
    if (p.completedNs && terminal)
        j["completed_at"] = utf8(formatTimestampMicro(p.completedNs));
    if (p.deadlineNs)
        j["deadline"] = utf8(formatTimestampMicro(p.deadlineNs));
    Json u{{"cancel", utf8(urls.cancel(p.id))}, {"get", utf8(urls.prediction(p.id))}};
    if (!p.streamToken.isEmpty())
        u["stream"] = utf8(urls.stream(p.streamToken));
    u["web"] = utf8(urls.web(p.id));
    j["urls"] = u;
    if (terminal) {
        Json metrics = Json::object();
        if (p.startedNs)
            metrics["predict_time"] = seconds(p.completedNs - p.startedNs);
        metrics["total_time"] = seconds(p.completedNs - p.createdNs);
        if (p.model && p.model->kind == ModelKind::Text && p.status == Status::Succeeded)
            metrics["output_token_count"] = p.output.size();
        j["metrics"] = metrics;
    }
    j["source"] = "api";
    if (p.streamRequested)
        j["stream"] = true;
    if (!p.webhook.isEmpty()) {
        j["webhook"] = utf8(p.webhook);
        Json events = Json::array();
        const QStringList filter =
            p.webhookEvents.isEmpty()
                ? QStringList{QStringLiteral("start"), QStringLiteral("output"),
                              QStringLiteral("logs"), QStringLiteral("completed")}
                : p.webhookEvents;
        for (const QString &e : filter)
            events.push_back(utf8(e));
        j["webhook_events_filter"] = events;
    }
    if (!p.deployment.isEmpty())
        j["deployment"] = utf8(p.deployment);
    return QByteArray::fromStdString(j.dump());
}

} // namespace brieflow::sandbox
