// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "predictionapi.h"

#include <algorithm>
#include <limits>

#include <QRegularExpression>
#include <QUrl>

#include "core/sandbox/createrequest.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/predictionengine.h"
#include "core/sandbox/problems.h"
#include "core/sandbox/sandboxconfig.h"
#include "core/sandbox/sandboxformat.h"
#include "core/sandbox/sandboxstats.h"

namespace brieflow::sandbox {

namespace {

qint64 micros(qint64 ns)
{
    return ns / 1000;
}

QByteArray listJson(const QString &next, const QString &previous, const QByteArray &results)
{
    const auto link = [](const QString &url) -> QByteArray {
        return url.isEmpty() ? QByteArray("null") : '"' + url.toUtf8() + '"';
    };
    return "{\"next\":" + link(next) + ",\"previous\":" + link(previous) + ",\"results\":["
           + results + "]}";
}

} // namespace

PredictionApi::PredictionApi(const SandboxContext &context, Responder respond, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_respond(std::move(respond))
{
    connect(m_context.engine, &PredictionEngine::completed, this, [this](const QString &id) {
        const QList<std::shared_ptr<Hold>> holds = m_holds.value(id);
        for (const auto &hold : holds)
            release(id, hold);
    });
}

PredictionApi::~PredictionApi() = default;

bool PredictionApi::handle(const ExchangePtr &exchange)
{
    static const QRegularExpression one(QStringLiteral("^/v1/predictions/([^/]+)$"));
    static const QRegularExpression cancelPath(QStringLiteral("^/v1/predictions/([^/]+)/cancel$"));
    static const QRegularExpression byModel(
        QStringLiteral("^/v1/(models|deployments)/([^/]+)/([^/]+)/predictions$"));
    const HttpRequest &r = exchange->request;
    const bool post = r.method == "POST";
    const bool getMethod = r.method == "GET";

    if (r.path == QLatin1String("/v1/predictions")) {
        if (post)
            create(exchange, int(CreateForm::Version), {}, {});
        else if (getMethod)
            list(exchange);
        else
            m_respond(exchange, problems::methodNotAllowed(r.method));
        return true;
    }
    if (const auto m = byModel.match(r.path); m.hasMatch()) {
        const CreateForm form =
            m.captured(1) == QLatin1String("models") ? CreateForm::Model : CreateForm::Deployment;
        if (post)
            create(exchange, int(form), m.captured(2), m.captured(3));
        else
            m_respond(exchange, problems::methodNotAllowed(r.method));
        return true;
    }
    if (const auto m = cancelPath.match(r.path); m.hasMatch()) {
        if (post)
            cancel(exchange, m.captured(1));
        else
            m_respond(exchange, problems::methodNotAllowed(r.method));
        return true;
    }
    if (const auto m = one.match(r.path); m.hasMatch()) {
        if (getMethod)
            get(exchange, m.captured(1));
        else
            m_respond(exchange, problems::methodNotAllowed(r.method));
        return true;
    }
    return false;
}

void PredictionApi::create(const ExchangePtr &exchange, int form, const QString &owner,
                           const QString &name)
{
    const HttpRequest &r = exchange->request;
    auto parsed = readCreateRequest(r, CreateForm(form), owner, name, *m_context.catalog,
                                    m_context.config->strictInputs);
    if (!parsed) {
        m_respond(exchange, parsed.error());
        return;
    }
    if (m_context.config->credit == CreditState::Exhausted) {
        m_respond(exchange, problems::insufficientCredit());
        return;
    }
    CreateRequest request = std::move(parsed).value();
    const CreateFaults faults =
        m_context.faults->takeCreateFaults(QString::fromLatin1(r.method), r.path);
    request.spec.failWith = faults.failWith;
    request.spec.expireImmediately = faults.expireImmediately;
    if (!faults.failWith.isEmpty())
        m_context.stats->countFault(faultKindName(FaultKind::FailPrediction));
    if (faults.expireImmediately)
        m_context.stats->countFault(faultKindName(FaultKind::ExpireOutputs));

    const Prediction &p = m_context.engine->create(request.spec);
    m_context.stats->countCreate(p.inputKey);
    if (!request.waitSeconds) {
        m_respond(exchange, HttpResponse::json(201, predictionJson(p, *m_context.urls)));
        return;
    }
    auto hold = std::make_shared<Hold>();
    hold->exchange = exchange;
    hold->predictionId = p.id;
    hold->preferenceApplied = request.preferenceApplied;
    const QString id = p.id;
    hold->timer = m_context.clock->callAfter(qint64(*request.waitSeconds) * 1000, this,
                                             [this, id, hold] { release(id, hold); });
    m_holds[id].append(hold);
}

void PredictionApi::release(const QString &predictionId, const std::shared_ptr<Hold> &hold)
{
    auto it = m_holds.find(predictionId);
    if (it == m_holds.end() || !it->removeOne(hold))
        return;
    if (it->isEmpty())
        m_holds.erase(it);
    m_context.clock->cancel(hold->timer);
    const Prediction *p = m_context.engine->find(predictionId);
    if (!p)
        return;
    const bool quirk =
        m_context.config->quirks.syncReturnsProcessing && p->status == Status::Succeeded;
    HttpResponse response = HttpResponse::json(
        201, predictionJson(*p, *m_context.urls,
                            quirk ? PredictionView::SyncProcessing : PredictionView::Full));
    response.setHeader("Preference-Applied", hold->preferenceApplied);
    m_respond(hold->exchange, response);
}

void PredictionApi::get(const ExchangePtr &exchange, const QString &id)
{
    const Prediction *p = m_context.engine->find(id);
    if (!p) {
        m_respond(exchange, problems::notFound());
        return;
    }
    m_respond(exchange, HttpResponse::json(200, predictionJson(*p, *m_context.urls)));
}

void PredictionApi::cancel(const ExchangePtr &exchange, const QString &id)
{
    const Prediction *p = m_context.engine->cancel(id);
    if (!p) {
        m_respond(exchange, problems::notFound());
        return;
    }
    m_respond(exchange, HttpResponse::json(200, predictionJson(*p, *m_context.urls)));
}

void PredictionApi::list(const ExchangePtr &exchange)
{
    const QUrlQuery &query = exchange->request.query;
    const auto bound = [&query](const char *key, qint64 fallback) -> std::optional<qint64> {
        const QString text = query.queryItemValue(QString::fromLatin1(key), QUrl::FullyDecoded);
        if (text.isEmpty())
            return fallback;
        return parseTimestampNs(text);
    };
    const std::optional<qint64> after = bound("created_after", std::numeric_limits<qint64>::min());
    const std::optional<qint64> before =
        bound("created_before", std::numeric_limits<qint64>::max());
    if (!after || !before) {
        m_respond(exchange, problems::badRequest(QStringLiteral(
                                "created_after and created_before must be ISO 8601 date-times.")));
        return;
    }
    std::optional<ListCursor> cursor;
    if (const QString text = query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
        !text.isEmpty()) {
        cursor = decodeListCursor(text);
        if (!cursor) {
            m_respond(exchange,
                      HttpResponse::problem(404, "{\"detail\":\"Invalid cursor\",\"status\":404}"));
            return;
        }
    }

    // Newest first; created_after is inclusive, created_before exclusive. Every sandbox
    // prediction comes from the API, so source=web (the only source filter) finds none.
    QList<const Prediction *> matching;
    const auto &all = m_context.engine->all();
    const bool webOnly = query.queryItemValue(QStringLiteral("source")) == QLatin1String("web");
    for (auto it = all.crbegin(); it != all.crend() && !webOnly; ++it) {
        if ((*it)->createdNs >= *after && (*it)->createdNs < *before)
            matching.append(*it);
    }
    const int pageSize = std::max(1, m_context.config->pageSize);
    QList<const Prediction *> page;
    bool more = false;
    if (cursor && cursor->reverse) {
        // Walk towards newer predictions from the cursor, then show them newest first.
        const qint64 position = micros(cursor->positionNs);
        for (auto it = matching.crbegin(); it != matching.crend(); ++it) {
            if (micros((*it)->createdNs) <= position)
                continue;
            if (page.size() == pageSize) {
                more = true;
                break;
            }
            page.prepend(*it);
        }
    } else {
        for (const Prediction *p : std::as_const(matching)) {
            if (cursor && micros(p->createdNs) >= micros(cursor->positionNs))
                continue;
            if (page.size() == pageSize) {
                more = true;
                break;
            }
            page.append(p);
        }
    }

    // Other parameters (the date filters) carry over to the next/previous links, as in DRF.
    QByteArray carried;
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        if (item.first != QLatin1String("cursor"))
            carried += QUrl::toPercentEncoding(item.first) + '='
                       + QUrl::toPercentEncoding(item.second) + '&';
    }
    const auto link = [this, &carried](qint64 positionNs, bool reverse) -> QString {
        return m_context.urls->api() + QStringLiteral("/predictions?")
               + QString::fromLatin1(carried) + QStringLiteral("cursor=")
               + QString::fromLatin1(
                   QUrl::toPercentEncoding(encodeListCursor(positionNs, reverse)));
    };
    QString next;
    QString previous;
    const bool reverse = cursor && cursor->reverse;
    if (!page.isEmpty()) {
        if (reverse ? true : more)
            next = link(page.last()->createdNs, false);
        if (reverse ? more : cursor.has_value())
            previous = link(page.first()->createdNs, true);
    }
    QByteArray results;
    for (const Prediction *p : std::as_const(page)) {
        if (!results.isEmpty())
            results += ',';
        results += predictionJson(*p, *m_context.urls, PredictionView::ListItem);
    }
    m_respond(exchange, HttpResponse::json(200, listJson(next, previous, results)));
}

} // namespace brieflow::sandbox
