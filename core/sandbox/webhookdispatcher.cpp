// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookdispatcher.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "core/sandbox/predictionengine.h"
#include "core/sandbox/sandboxconfig.h"
#include "core/sandbox/sandboxstats.h"
#include "core/sandbox/webhooksigner.h"

namespace brieflow::sandbox {

Q_LOGGING_CATEGORY(lcWebhooks, "brieflow.sandbox.webhooks")

namespace {
constexpr qint64 NsPerMs = 1000 * 1000;
constexpr char MessageAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
} // namespace

WebhookDispatcher::WebhookDispatcher(PredictionEngine *engine, SandboxClock *clock,
                                     SandboxStats *stats, const SandboxConfig *config,
                                     const SandboxUrls *urls, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_clock(clock)
    , m_stats(stats)
    , m_config(config)
    , m_urls(urls)
    , m_rng(static_cast<quint32>((config->seed * 40503ULL) ^ (config->seed >> 32) ^ 0x7e6b))
    , m_secret(makeWebhookSecret(config->seed))
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    connect(engine, &PredictionEngine::started, this, [this](const QString &id) {
        const Prediction *p = m_engine->find(id);
        if (!p || p->webhook.isEmpty())
            return;
        // The start message counts as the last send: logs written at start wait their turn.
        m_throttles[id].lastSentNs = m_clock->nowNs();
        if (wants(*p, QStringLiteral("start")))
            enqueue(*p, QStringLiteral("start"));
    });
    connect(engine, &PredictionEngine::outputAppended, this,
            [this](const QString &id) { onProgress(id, QStringLiteral("output")); });
    connect(engine, &PredictionEngine::logsAppended, this,
            [this](const QString &id) { onProgress(id, QStringLiteral("logs")); });
    connect(engine, &PredictionEngine::completed, this, [this](const QString &id) {
        const Prediction *p = m_engine->find(id);
        if (!p)
            return;
        m_clock->cancel(m_throttles.take(id).pending);
        if (wants(*p, QStringLiteral("completed")))
            enqueue(*p, QStringLiteral("completed"));
    });
}

WebhookDispatcher::~WebhookDispatcher() = default;

bool WebhookDispatcher::isLoopbackUrl(const QUrl &url)
{
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return false;
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool WebhookDispatcher::wants(const Prediction &p, const QString &event) const
{
    if (p.webhook.isEmpty())
        return false;
    return p.webhookEvents.isEmpty() || p.webhookEvents.contains(event);
}

void WebhookDispatcher::onProgress(const QString &predictionId, const QString &event)
{
    const Prediction *p = m_engine->find(predictionId);
    if (!p || !wants(*p, event) || isTerminal(p->status))
        return;
    Throttle &t = m_throttles[predictionId];
    if (t.pending)
        return; // a throttled message is already due; it will carry this change too
    const qint64 now = m_clock->nowNs();
    const qint64 next = t.lastSentNs + qint64(m_config->webhooks.throttleMs) * NsPerMs;
    if (t.lastSentNs == 0 || now >= next) {
        t.lastSentNs = now;
        enqueue(*p, event);
        return;
    }
    t.pendingEvent = event;
    t.pending = m_clock->callAt(next, this, [this, predictionId] {
        Throttle &due = m_throttles[predictionId];
        due.pending = 0;
        due.lastSentNs = m_clock->nowNs();
        const Prediction *current = m_engine->find(predictionId);
        if (current && !isTerminal(current->status))
            enqueue(*current, due.pendingEvent);
    });
}

void WebhookDispatcher::enqueue(const Prediction &p, const QString &event)
{
    m_stats->countWebhookMessage(event);
    const QUrl url(p.webhook);
    if (!isLoopbackUrl(url)) {
        qCWarning(lcWebhooks) << "refusing to deliver a webhook off this machine:" << p.webhook;
        m_stats->countWebhookRefused();
        return;
    }
    auto message = std::make_shared<Message>();
    message->id = QStringLiteral("msg_");
    for (int i = 0; i < 27; ++i)
        message->id.append(QLatin1Char(MessageAlphabet[m_rng.bounded(62)]));
    message->predictionId = p.id;
    message->event = event;
    message->url = url;
    message->body = predictionJson(p, *m_urls);
    send(message);
}

void WebhookDispatcher::send(const std::shared_ptr<Message> &message)
{
    ++message->attempt;
    // Real wall time, not the sandbox clock: receivers check it against their own clock.
    const qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    QNetworkRequest request(message->url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArray("Replicate-Webhooks/1.0 (Brieflow sandbox)"));
    request.setRawHeader("webhook-id", message->id.toLatin1());
    request.setRawHeader("webhook-timestamp", QByteArray::number(timestamp));
    request.setRawHeader("webhook-signature",
                         signWebhook(m_secret, message->id, timestamp, message->body).toLatin1());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_config->webhooks.timeoutMs);
    QNetworkReply *reply = m_network.post(request, message->body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, message] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        onFinished(message, status, status == 0);
    });
}

void WebhookDispatcher::onFinished(const std::shared_ptr<Message> &message, int httpStatus,
                                   bool networkError)
{
    const bool ok = !networkError && httpStatus >= 200 && httpStatus < 300;
    m_stats->countWebhookAttempt(ok);
    m_attempts.append({message->id, message->predictionId, message->event, message->attempt,
                       httpStatus, ok, message->body});
    if (ok)
        return;
    const bool redirect = httpStatus >= 300 && httpStatus < 400;
    if (redirect || message->attempt >= m_config->webhooks.maxAttempts) {
        qCInfo(lcWebhooks) << "giving up on webhook" << message->id << "to" << message->url
                           << "after" << message->attempt << "attempt(s), last status"
                           << httpStatus;
        m_stats->countWebhookGaveUp();
        return;
    }
    const qint64 delay = qint64(m_config->webhooks.firstRetryDelayMs) << (message->attempt - 1);
    m_clock->callAfter(delay, this, [this, message] { send(message); });
}

} // namespace brieflow::sandbox
