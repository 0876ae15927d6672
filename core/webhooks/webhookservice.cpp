// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/webhooks/webhookservice.h"

#include <algorithm>

#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>

#include "core/provider/modelprovider.h"
#include "core/provider/providerclock.h"
#include "core/replicate/predictionfollower.h"
#include "core/replicate/predictionparser.h"

namespace brieflow {

Q_LOGGING_CATEGORY(lcWebhookService, "brieflow.core.webhooks", QtInfoMsg)

namespace {

/** Followed ids a delivery reported final are forgotten past this many (lost or stopped ones). */
constexpr qsizetype kMaxFinalReported = 10'000;

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

Result<WebhookListen, QString> parseWebhookListen(const QString &hostPort)
{
    const QString text = hostPort.trimmed();
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == text.size() - 1)
        return fail(
            QCoreApplication::translate("brieflow::WebhookService",
                                        "\"%1\" is not HOST:PORT (for example 127.0.0.1:8787).")
                .arg(hostPort));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return fail(QCoreApplication::translate("brieflow::WebhookService",
                                                "\"%1\" is not a port number (0–65535).")
                        .arg(text.mid(colon + 1)));
    QHostAddress address;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return fail(QCoreApplication::translate(
                        "brieflow::WebhookService",
                        "\"%1\" is not an IP address to listen on (for example 127.0.0.1, "
                        "or 0.0.0.0 for every network).")
                        .arg(host));
    return WebhookListen{address, quint16(port)};
}

Result<WebhookServiceOptions, QString> webhookOptionsFromUser(const QString &address, int port,
                                                              const QString &publicUrl)
{
    WebhookServiceOptions options;
    const QString host = address.trimmed();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 || host.isEmpty()) {
        options.receiver.address = QHostAddress(QHostAddress::LocalHost);
    } else {
        QHostAddress parsed;
        if (!parsed.setAddress(host))
            return fail(QCoreApplication::translate(
                            "brieflow::WebhookService",
                            "\"%1\" is not an IP address to listen on (for example 127.0.0.1, "
                            "or 0.0.0.0 for every network).")
                            .arg(host));
        options.receiver.address = parsed;
    }
    if (port < 0 || port > 65535)
        return fail(QCoreApplication::translate("brieflow::WebhookService",
                                                "The webhook port must be between 0 and 65535."));
    options.receiver.port = quint16(port);
    const QString url = publicUrl.trimmed();
    if (!url.isEmpty()) {
        options.publicUrl = QUrl(url, QUrl::StrictMode);
        if (auto ok = WebhookService::checkWebhookUrl(options.publicUrl); !ok)
            return fail(ok.error());
    } else if (!options.receiver.address.isLoopback()) {
        return fail(QCoreApplication::translate(
                        "brieflow::WebhookService",
                        "Listening on %1 (not only this computer) needs the public https URL "
                        "that reaches it (a tunnel or a proxy).")
                        .arg(options.receiver.address.toString()));
    }
    return options;
}

WebhookService::WebhookService(ModelProvider &provider, WebhookServiceOptions options,
                               ProviderClock &clock, QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_options(std::move(options))
    , m_clock(clock)
    // No secret yet: the verifier answers BadSecret (503) until the first fetch succeeds.
    , m_receiver(QString(), clock, m_options.receiver)
{
    connect(&m_receiver, &WebhookReceiver::deliveryReceived, this, &WebhookService::onDelivery);
    connect(&m_receiver, &WebhookReceiver::answered, this, &WebhookService::onAnswered);
    connect(&m_receiver, &WebhookReceiver::requestHandled, this,
            &WebhookService::onRequestHandled);
}

WebhookService::~WebhookService()
{
    stop();
}

Result<void, QString> WebhookService::checkWebhookUrl(const QUrl &url)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return fail(tr("\"%1\" is not a complete URL (like https://example.com/webhooks).")
                        .arg(url.toString()));
    if (url.scheme() == QLatin1String("https"))
        return {};
    if (url.scheme() == QLatin1String("http")) {
        if (isLoopbackHost(url.host()))
            return {};
        return fail(tr("The webhook URL must use https (Replicate only sends to https); plain "
                       "http is only accepted for this computer (127.0.0.1 or localhost)."));
    }
    return fail(tr("The webhook URL must start with https://."));
}

Result<void, QString> WebhookService::start()
{
    if (m_started)
        return {};
    if (!m_options.publicUrl.isEmpty()) {
        if (auto ok = checkWebhookUrl(m_options.publicUrl); !ok)
            return fail(ok.error());
    } else if (!m_options.receiver.address.isLoopback()) {
        // Without a public URL the local one is what the provider is told: checked before
        // anything listens on a non-local address.
        return fail(tr("Webhooks listen on %1, which is not this computer only: give the "
                       "public https URL that reaches it (a tunnel or a proxy).")
                        .arg(m_options.receiver.address.toString()));
    }
    if (auto listening = m_receiver.listen(); !listening)
        return fail(listening.error());
    m_started = true;
    ++m_fetchGeneration;
    m_nextRetry = m_options.secretRetryInitial;
    fetchSecret();
    return {};
}

void WebhookService::stop()
{
    if (!m_started)
        return;
    m_started = false;
    ++m_fetchGeneration; // answers and scheduled retries of this run are dropped
    m_fetching = false;
    m_fetchScheduled = false;
    m_refreshPending = false;
    m_receiver.close();
    m_secret.clear();
    m_secretKnown = false;
    (void)m_receiver.setSecret(QString()); // unusable: nothing verifies any more
    applyPollingMode();
}

bool WebhookService::isListening() const
{
    return m_receiver.isListening();
}

void WebhookService::attach(PredictionFollower *follower)
{
    if (m_follower)
        m_follower->disconnect(this);
    m_follower = follower;
    if (!follower)
        return;
    if (m_options.safetyNetInterval) {
        PollPolicy policy = follower->poller().scheduler().policy();
        policy.safetyNetInterval = *m_options.safetyNetInterval;
        policy.webhookFirstPoll = std::min(policy.webhookFirstPoll, *m_options.safetyNetInterval);
        follower->poller().setPolicy(policy);
    }
    connect(follower, &PredictionFollower::finished, this,
            [this](const Prediction &p) { onFollowerFinished(p.id); });
    connect(follower, &PredictionFollower::lost, this,
            [this](const QString &id) { m_finalReported.remove(id); });
    applyPollingMode();
}

QUrl WebhookService::publicUrl() const
{
    return m_options.publicUrl.isEmpty() ? localUrl() : m_options.publicUrl;
}

QUrl WebhookService::localUrl() const
{
    return m_receiver.localUrl();
}

WebhookServiceStats WebhookService::stats() const
{
    WebhookServiceStats stats = m_stats;
    stats.receiver = m_receiver.stats();
    stats.listening = m_receiver.isListening();
    stats.secretKnown = m_secretKnown;
    return stats;
}

void WebhookService::fetchSecret()
{
    if (!m_started || m_fetching)
        return;
    m_fetching = true;
    ++m_stats.secretFetches;
    const quint64 generation = m_fetchGeneration;
    m_provider.defaultWebhookSecret(this, [this,
                                           generation](const ProviderResult<QString> &result) {
        if (generation != m_fetchGeneration)
            return;
        m_fetching = false;
        if (result) {
            onSecret(result.value());
            return;
        }
        // Only the kind and status: a malformed answer's body could hold the secret.
        const ProviderError &error = result.error();
        onSecret(fail(tr("the webhook signing secret could not be fetched (%1%2)")
                          .arg(toString(error.kind),
                               error.httpStatus ? QStringLiteral(", HTTP %1").arg(error.httpStatus)
                                                : QString())));
    });
}

void WebhookService::onSecret(const Result<QString, QString> &result)
{
    QString problem;
    if (result) {
        const QString &secret = result.value();
        if (auto usable = WebhookVerifier::decodeSecret(secret); !usable) {
            problem =
                tr("the provider's webhook signing secret is unusable (%1)").arg(usable.error());
        } else {
            if (m_secretKnown && secret != m_secret) {
                ++m_stats.secretRotations;
                qCInfo(lcWebhookService) << "the webhook signing secret changed; using the new one";
            }
            const bool changed = !m_secretKnown || secret != m_secret;
            m_secret = secret;
            (void)m_receiver.setSecret(secret);
            m_secretKnown = true;
            m_nextRetry = m_options.secretRetryInitial;
            applyPollingMode();
            if (changed)
                Q_EMIT secretReady();
            return;
        }
    } else {
        problem = result.error();
    }
    ++m_stats.secretFetchFailures;
    // A known secret stays in use: a refresh that fails changes nothing.
    const auto delay = m_nextRetry;
    m_nextRetry = std::min(m_nextRetry * 2, m_options.secretRetryMax);
    if (!m_secretKnown) {
        qCWarning(lcWebhookService).noquote()
            << problem << "- deliveries are refused (503) until it is; retrying in" << delay.count()
            << "ms";
        scheduleFetch(delay);
    } else {
        qCWarning(lcWebhookService).noquote() << problem << "- keeping the current one";
    }
    Q_EMIT secretUnavailable(problem, delay.count());
}

void WebhookService::scheduleFetch(std::chrono::milliseconds delay)
{
    if (m_fetchScheduled)
        return;
    m_fetchScheduled = true;
    const quint64 generation = m_fetchGeneration;
    m_clock.schedule(delay, this, [this, generation] {
        if (generation != m_fetchGeneration)
            return;
        m_fetchScheduled = false;
        fetchSecret();
    });
}

void WebhookService::onAnswered(int status)
{
    if (status != 401)
        return;
    // 401 is a bad signature or a stale timestamp; only the former hints at a rotated secret.
    const quint64 bad = m_receiver.stats().badSignature;
    if (bad == m_badSignaturesSeen)
        return;
    m_badSignaturesSeen = bad;
    requestRefresh();
}

void WebhookService::requestRefresh()
{
    if (!m_started || !m_secretKnown || m_fetching || m_refreshPending)
        return;
    const auto interval = m_options.refreshInterval;
    if (m_sinceRefresh.isValid() && m_sinceRefresh.elapsed() < interval.count()) {
        // Too soon after the last one: once more when the interval is over.
        m_refreshPending = true;
        const auto wait = std::chrono::milliseconds(interval.count() - m_sinceRefresh.elapsed());
        const quint64 generation = m_fetchGeneration;
        m_clock.schedule(wait, this, [this, generation] {
            if (generation != m_fetchGeneration)
                return;
            m_refreshPending = false;
            requestRefresh();
        });
        return;
    }
    m_sinceRefresh.start();
    ++m_stats.secretRefreshes;
    qCInfo(lcWebhookService) << "webhook deliveries fail the signature check; fetching the "
                                "signing secret again";
    fetchSecret();
}

void WebhookService::onDelivery(const QByteArray &webhookId, const QByteArray &body)
{
    auto parsed = replicate::parsePrediction(body);
    if (!parsed) {
        ++m_stats.parseFailures;
        qCWarning(lcWebhookService).noquote()
            << "webhook" << QString::fromLatin1(webhookId.left(64))
            << "is not a prediction:" << parsed.error().detail;
        report(QStringLiteral("rejected"), WebhookRejection::NotAPrediction, {}, webhookId);
        return;
    }
    const Prediction &prediction = parsed.value();
    if (!m_follower) {
        ++m_stats.late;
        report(QStringLiteral("late"), {}, prediction.id, webhookId);
        return;
    }
    switch (m_follower->notify(prediction)) {
    case PredictionFollower::Notice::Taken:
        ++m_stats.notified;
        if (isTerminal(prediction.status))
            rememberFinalReported(prediction.id);
        report(QStringLiteral("verified"), {}, prediction.id, webhookId);
        break;
    case PredictionFollower::Notice::Held:
        ++m_stats.early;
        if (isTerminal(prediction.status))
            rememberFinalReported(prediction.id);
        report(QStringLiteral("verified"), {}, prediction.id, webhookId);
        break;
    case PredictionFollower::Notice::Late:
        ++m_stats.late;
        report(QStringLiteral("late"), {}, prediction.id, webhookId);
        break;
    }
}

void WebhookService::onRequestHandled(const QString &outcome, const QString &reason,
                                      const QByteArray &webhookId)
{
    // A verified delivery is reported by onDelivery(), once it is known what it was about.
    if (outcome == QLatin1String("verified"))
        return;
    report(outcome, reason, {}, webhookId);
}

void WebhookService::report(const QString &outcome, const QString &reason,
                            const QString &predictionId, const QByteArray &webhookId)
{
    WebhookDeliveryReport delivery;
    delivery.receivedAt = QDateTime::currentDateTimeUtc();
    delivery.outcome = outcome;
    delivery.reason = reason;
    delivery.predictionId = predictionId;
    delivery.webhookId = QString::fromLatin1(webhookId.left(128));
    Q_EMIT deliveryHandled(delivery);
}

void WebhookService::rememberFinalReported(const QString &id)
{
    if (m_finalReported.size() >= kMaxFinalReported) {
        // Ids of predictions that were stopped or never followed: forget them.
        const PredictionFollower *follower = m_follower.data();
        for (auto it = m_finalReported.begin(); it != m_finalReported.end();) {
            if (follower != nullptr && follower->isFollowing(*it))
                ++it;
            else
                it = m_finalReported.erase(it);
        }
    }
    m_finalReported.insert(id);
}

void WebhookService::onFollowerFinished(const QString &id)
{
    if (m_finalReported.remove(id)) {
        ++m_stats.finishedAfterWebhook;
        return;
    }
    ++m_stats.finishedByPolling;
    // Webhooks were expected (a secret was known, so deliveries could verify) but none told
    // this prediction's end: dropped, or later than the safety net's poll.
    if (m_started && m_secretKnown)
        report(QStringLiteral("dropped_polled"), {}, id, {});
}

void WebhookService::applyPollingMode()
{
    if (m_follower)
        m_follower->poller().setExternalUpdatesExpected(m_started && m_secretKnown);
}

} // namespace brieflow
