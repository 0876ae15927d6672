// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controlapi.h"

#include <nlohmann/json.hpp>

#include "core/sandbox/problems.h"
#include "core/sandbox/sandboxformat.h"
#include "core/sandbox/sandboxserver.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::ordered_json;

HttpResponse ok(const Json &body)
{
    return HttpResponse::json(200, QByteArray::fromStdString(body.dump()));
}

QString qs(const Json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

/** N or [min, max] in milliseconds. */
bool readRange(const Json &body, const char *key, int *min, int *max)
{
    if (!body.contains(key))
        return true;
    const Json &v = body.at(key);
    if (v.is_number()) {
        *min = *max = v.get<int>();
        return true;
    }
    if (v.is_array() && v.size() == 2 && v.at(0).is_number() && v.at(1).is_number()) {
        *min = v.at(0).get<int>();
        *max = v.at(1).get<int>();
        return true;
    }
    return false;
}

void readLimit(const Json &body, const char *key, RateLimit *limit)
{
    if (!body.contains(key) || !body.at(key).is_object())
        return;
    const Json &v = body.at(key);
    limit->perMinute = v.value("per_minute", limit->perMinute);
    limit->burst = v.value("burst", limit->burst);
}

Json latencyJson(const LatencyDistribution &l)
{
    return Json{{"queue_ms", {l.queueMinMs, l.queueMaxMs}}, {"run_ms", {l.runMinMs, l.runMaxMs}}};
}

Json limitJson(const RateLimit &l)
{
    return Json{{"per_minute", l.perMinute}, {"burst", l.burst}};
}

const char *creditName(CreditState credit)
{
    switch (credit) {
    case CreditState::Ok:
        return "ok";
    case CreditState::Low:
        return "low";
    case CreditState::Exhausted:
        return "exhausted";
    }
    return "ok";
}

Json faultJson(const FaultRule &f)
{
    return Json{{"kind", faultKindName(f.kind).toStdString()},
                {"method", f.method.toStdString()},
                {"path", f.path.toStdString()},
                {"count", f.count},
                {"status", f.status},
                {"after_handling", f.afterHandling},
                {"delay_ms", f.delayMs},
                {"probability", f.probability},
                {"lockout_seconds", double(f.lockoutMs) / 1000.0},
                {"retry_after", f.retryAfterSeconds},
                {"error", f.errorText.toStdString()}};
}

HttpResponse settings(SandboxServer &server)
{
    const SandboxConfig &c = server.config();
    Json faults = Json::array();
    for (const FaultRule &f : server.faults())
        faults.push_back(faultJson(f));
    return ok(Json{{"base_url", server.baseUrl().toString().toStdString()},
                   {"seed", c.seed},
                   {"now", formatTimestampMicro(server.clock().nowNs()).toStdString()},
                   {"latency", Json{{"text", latencyJson(c.textLatency)},
                                    {"image", latencyJson(c.imageLatency)}}},
                   {"rate_limits", Json{{"enabled", c.rateLimits.enabled},
                                        {"create", limitJson(c.rateLimits.create)},
                                        {"other", limitJson(c.rateLimits.other)},
                                        {"get_prediction", limitJson(c.rateLimits.getPrediction)}}},
                   {"credit", creditName(c.credit)},
                   {"quirks", Json{{"sync_returns_processing", c.quirks.syncReturnsProcessing},
                                   {"internal_model_names", c.quirks.internalModelNames}}},
                   {"data_ttl_seconds", double(c.dataTtlMs) / 1000.0},
                   {"page_size", c.pageSize},
                   {"strict_inputs", c.strictInputs},
                   {"faults", faults}});
}

HttpResponse addFault(SandboxServer &server, const Json &body)
{
    const std::optional<FaultKind> kind = faultKindFromName(qs(body.value("kind", Json())));
    if (!kind)
        return problems::badRequest(QStringLiteral("Unknown fault kind."));
    FaultRule rule;
    rule.kind = *kind;
    if (body.contains("method"))
        rule.method = qs(body.at("method"));
    if (body.contains("path"))
        rule.path = qs(body.at("path"));
    rule.count = body.value("count", rule.count);
    rule.status = body.value("status", rule.status);
    rule.afterHandling = body.value("after_handling", rule.afterHandling);
    rule.delayMs = body.value("delay_ms", rule.delayMs);
    rule.probability = body.value("probability", rule.probability);
    rule.lockoutMs = qRound64(body.value("lockout_seconds", 0.0) * 1000.0);
    rule.retryAfterSeconds = body.value("retry_after", rule.retryAfterSeconds);
    if (body.contains("error"))
        rule.errorText = qs(body.at("error"));
    return HttpResponse::json(
        201, QByteArray::fromStdString(Json{{"id", server.addFault(rule)}}.dump()));
}

HttpResponse predictionInfo(const SandboxServer &server, const QString &id)
{
    const Prediction *p = server.prediction(id);
    if (!p)
        return problems::notFound();
    Json files = Json::array();
    for (const OutputFile &f : p->files)
        files.push_back(Json{{"name", f.name.toStdString()},
                             {"url", server.urls().file(p->id, f.name).toStdString()},
                             {"content_type", f.contentType.toStdString()},
                             {"size", f.data.size()},
                             {"sha256", f.sha256.toStdString()}});
    return ok(Json{{"id", p->id.toStdString()},
                   {"status", statusName(p->status).toStdString()},
                   {"input_key", p->inputKey.toStdString()},
                   {"queue_ms", p->queueMs},
                   {"run_ms", p->runMs},
                   {"data_removed", p->dataRemoved},
                   {"files", files}});
}

HttpResponse webhookAttempts(const SandboxServer &server)
{
    Json list = Json::array();
    for (const WebhookAttempt &a : server.webhookAttempts())
        list.push_back(Json{{"message_id", a.messageId.toStdString()},
                            {"prediction_id", a.predictionId.toStdString()},
                            {"event", a.event.toStdString()},
                            {"attempt", a.attempt},
                            {"http_status", a.httpStatus},
                            {"delivered", a.delivered}});
    return ok(list);
}

HttpResponse post(SandboxServer &server, const QString &path, const Json &body)
{
    if (path == QLatin1String("/__stats/reset")) {
        server.resetStats();
        return ok(Json::object());
    }
    if (path == QLatin1String("/__control/latency")) {
        const QString model = body.contains("model") ? qs(body.at("model")) : QStringLiteral("*");
        LatencyDistribution l = model == QLatin1String("image") ? server.config().imageLatency
                                                                : server.config().textLatency;
        if (!readRange(body, "queue_ms", &l.queueMinMs, &l.queueMaxMs)
            || !readRange(body, "run_ms", &l.runMinMs, &l.runMaxMs) || !server.setLatency(model, l))
            return problems::badRequest(QStringLiteral("Give a known model and N or [min, max]."));
        return settings(server);
    }
    if (path == QLatin1String("/__control/rate-limits")) {
        RateLimits limits = server.config().rateLimits;
        limits.enabled = body.value("enabled", limits.enabled);
        readLimit(body, "create", &limits.create);
        readLimit(body, "other", &limits.other);
        readLimit(body, "get_prediction", &limits.getPrediction);
        server.setRateLimits(limits);
        return settings(server);
    }
    if (path == QLatin1String("/__control/account")) {
        const QString credit = qs(body.value("credit", Json()));
        if (credit == QLatin1String("ok"))
            server.setCredit(CreditState::Ok);
        else if (credit == QLatin1String("low"))
            server.setCredit(CreditState::Low);
        else if (credit == QLatin1String("exhausted"))
            server.setCredit(CreditState::Exhausted);
        else
            return problems::badRequest(QStringLiteral("credit must be ok, low or exhausted."));
        return settings(server);
    }
    if (path == QLatin1String("/__control/quirks")) {
        Quirks q = server.config().quirks;
        q.syncReturnsProcessing = body.value("sync_returns_processing", q.syncReturnsProcessing);
        q.internalModelNames = body.value("internal_model_names", q.internalModelNames);
        server.setQuirks(q);
        return settings(server);
    }
    if (path == QLatin1String("/__control/data-ttl")) {
        server.setDataTtl(qRound64(body.value("seconds", 3600.0) * 1000.0));
        return settings(server);
    }
    if (path == QLatin1String("/__control/page-size")) {
        server.setPageSize(body.value("size", 100));
        return settings(server);
    }
    if (path == QLatin1String("/__control/strict-inputs")) {
        server.setStrictInputs(body.value("enabled", false));
        return settings(server);
    }
    if (path == QLatin1String("/__control/tokens")) {
        QStringList prefixes;
        for (const Json &p : body.value("rejected_prefixes", Json::array()))
            prefixes.append(qs(p));
        server.setRejectedTokenPrefixes(prefixes);
        return settings(server);
    }
    if (path == QLatin1String("/__control/faults"))
        return addFault(server, body);
    if (path == QLatin1String("/__control/clock/advance")) {
        const qint64 ms = body.contains("ms") ? body.at("ms").get<qint64>()
                                              : qRound64(body.value("seconds", 0.0) * 1000.0);
        server.advanceClock(ms);
        return ok(Json{{"now", formatTimestampMicro(server.clock().nowNs()).toStdString()}});
    }
    return problems::notFound();
}

} // namespace

HttpResponse handleControl(SandboxServer &server, const HttpRequest &request)
{
    const QString &path = request.path;
    if (request.method == "GET") {
        if (path == QLatin1String("/__stats"))
            return HttpResponse::json(200, server.statsJson());
        if (path == QLatin1String("/__control"))
            return settings(server);
        if (path == QLatin1String("/__control/webhooks"))
            return webhookAttempts(server);
        if (path.startsWith(QLatin1String("/__control/predictions/")))
            return predictionInfo(server,
                                  path.mid(QStringLiteral("/__control/predictions/").size()));
        return problems::notFound();
    }
    if (request.method == "DELETE" && path == QLatin1String("/__control/faults")) {
        server.clearFaults();
        return ok(Json::object());
    }
    if (request.method != "POST")
        return problems::methodNotAllowed(request.method);
    const Json body = request.body.trimmed().isEmpty()
                          ? Json::object()
                          : Json::parse(request.body.toStdString(), nullptr, false);
    if (!body.is_object())
        return problems::badRequest(QStringLiteral("The body must be a JSON object."));
    try {
        return post(server, path, body);
    } catch (const nlohmann::json::exception &e) {
        return problems::badRequest(QString::fromUtf8(e.what()));
    }
}

} // namespace brieflow::sandbox
