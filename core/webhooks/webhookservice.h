// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QUrl>

#include "core/util/result.h"
#include "core/webhooks/webhookreceiver.h"

namespace brieflow {

class ModelProvider;
class PredictionFollower;
class ProviderClock;

/** How a WebhookService listens, where the provider is told to send, and its timings. */
struct WebhookServiceOptions {
    /** Address, port (0: any free one), path and the receiver's limits. */
    WebhookReceiverOptions receiver;
    /** What the provider is told (a tunnel's https address); empty: the receiver's local URL. */
    QUrl publicUrl;
    /** A failed secret fetch is tried again after this, doubled each time up to secretRetryMax. */
    std::chrono::milliseconds secretRetryInitial{2'000};
    std::chrono::milliseconds secretRetryMax{300'000};
    /** Deliveries failing the signature check make the secret be fetched again (it may have
     *  rotated), at most once per this interval. */
    std::chrono::milliseconds refreshInterval{60'000};
    /** Overrides the follower's PollPolicy::safetyNetInterval (and webhookFirstPoll when
     *  shorter) while attached; nullopt keeps the policy's (15 s / 5 s). */
    std::optional<std::chrono::milliseconds> safetyNetInterval;
};

/** "HOST:PORT" as typed for `--webhooks` (IPv6 as "[::1]:8080") split, or why it can't be. */
struct WebhookListen {
    QHostAddress address;
    quint16 port = 0;
};
Result<WebhookListen, QString> parseWebhookListen(const QString &hostPort);

/**
 * WebhookServiceOptions from what a user typed (the settings, the CLI): a listen address (an
 * IP address or "localhost"), a port (0: any free one) and a public URL (empty: the local one;
 * else it must pass WebhookService::checkWebhookUrl()). The errors are in the user's words.
 */
Result<WebhookServiceOptions, QString> webhookOptionsFromUser(const QString &address, int port,
                                                              const QString &publicUrl);

/** What a WebhookService has seen, for the monitoring view. */
struct WebhookServiceStats {
    WebhookReceiverStats receiver; ///< answers by outcome (verified, duplicate, 401, 413, …)
    bool listening = false;
    bool secretKnown = false;
    quint64 secretFetches = 0;        ///< GET …/webhooks/default/secret sent
    quint64 secretFetchFailures = 0;  ///< of which failed (retried with backoff)
    quint64 secretRefreshes = 0;      ///< fetches triggered by failing signatures
    quint64 secretRotations = 0;      ///< a fetch returned a different secret than the one held
    quint64 parseFailures = 0;        ///< verified deliveries whose body is no prediction
    quint64 notified = 0;             ///< deliveries about a prediction being followed
    quint64 early = 0;                ///< about one not followed yet (held until it is)
    quint64 late = 0;                 ///< about one that had already finished: ignored
    quint64 finishedAfterWebhook = 0; ///< followed predictions whose final state a delivery told
    quint64 finishedByPolling = 0;    ///< followed predictions seen final by polling alone
};

/**
 * One delivery as the service handled it, or a followed prediction that ended while webhooks
 * were expected but was seen final by polling alone: what the Monitoring view counts
 * (EngineHost records each in the job database).
 */
struct WebhookDeliveryReport {
    QDateTime receivedAt; ///< when it was handled (UTC)
    /// "verified" (authentic, acted on or held until its prediction is followed), "duplicate",
    /// "late" (authentic, about a prediction no longer followed), "rejected" or
    /// "dropped_polled"
    QString outcome;
    QString reason;       ///< for "rejected": a WebhookRejection word
    QString predictionId; ///< when known (verified, late, dropped_polled)
    QString webhookId;    ///< the webhook-id header as sent, cut to 128 characters
};

/**
 * Receives the provider's webhooks for the engine: owns a WebhookReceiver, fetches its signing
 * secret with ModelProvider::defaultWebhookSecret() (kept in memory only, never logged or
 * stored), retries the fetch with backoff and fetches it again when deliveries start failing
 * the signature check (at most once per refreshInterval: the secret may have rotated, and the
 * sender retries, so its next attempt verifies). Until a secret is known every delivery is
 * answered 503, so the sender retries it later.
 *
 * Each verified delivery's body is parsed as a prediction and handed to the attached
 * PredictionFollower (notify(): forward moves only, final states confirmed with a read). While
 * a secret is known, predictions followed from then on are polled only as a safety net (see
 * PollScheduler::setExternalUpdatesExpected for the bound).
 *
 * Lives on the provider's thread (the engine thread); the provider, the clock and an attached
 * follower must outlive it or be detached first.
 */
class WebhookService final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookService)

public:
    WebhookService(ModelProvider &provider, WebhookServiceOptions options, ProviderClock &clock,
                   QObject *parent = nullptr);
    ~WebhookService() override;

    /**
     * Checks a URL the provider may be told to send webhooks to: https with a host, or http to
     * a loopback host (the sandbox, tests). Returns the reason in the user's words otherwise.
     */
    static Result<void, QString> checkWebhookUrl(const QUrl &url);

    /**
     * Listens and starts fetching the secret. Fails (and stays stopped) when the public URL is
     * not acceptable, or the address cannot be bound (a port in use, an address not of this
     * machine), with a message that says which.
     */
    Result<void, QString> start();
    /** Stops listening; the secret is forgotten. */
    void stop();
    bool isListening() const;

    /** Delivers to @p follower from now on (nullptr: detach). Not owned. */
    void attach(PredictionFollower *follower);

    /** Where the provider should send: the configured public URL, else the local URL. */
    QUrl publicUrl() const;
    /** Where the receiver actually listens (http://address:port/path). */
    QUrl localUrl() const;
    bool hasSecret() const { return m_secretKnown; }

    WebhookServiceStats stats() const;
    WebhookReceiver &receiver() { return m_receiver; }

Q_SIGNALS:
    /** A usable secret is known (first fetch, or a refresh returned a new one). */
    void secretReady();
    /** Fetching the secret failed; it is tried again after @p retryInMs. For a status line. */
    void secretUnavailable(const QString &message, qint64 retryInMs);
    /** Every request the receiver answered (after the answer was written), and every followed
     *  prediction that ended while webhooks were expected but was seen final by polling
     *  alone ("dropped_polled"). */
    void deliveryHandled(const brieflow::WebhookDeliveryReport &report);

private:
    void fetchSecret();
    void onSecret(const Result<QString, QString> &result);
    void scheduleFetch(std::chrono::milliseconds delay);
    void onAnswered(int status);
    void requestRefresh();
    void onDelivery(const QByteArray &webhookId, const QByteArray &body);
    void onRequestHandled(const QString &outcome, const QString &reason,
                          const QByteArray &webhookId);
    void report(const QString &outcome, const QString &reason, const QString &predictionId,
                const QByteArray &webhookId);
    void rememberFinalReported(const QString &id);
    void onFollowerFinished(const QString &id);
    void applyPollingMode();

    ModelProvider &m_provider;
    WebhookServiceOptions m_options;
    ProviderClock &m_clock;
    WebhookReceiver m_receiver;
    QPointer<PredictionFollower> m_follower;
    QString m_secret; ///< in memory only
    bool m_secretKnown = false;
    bool m_started = false;
    bool m_fetching = false;
    bool m_fetchScheduled = false;
    bool m_refreshPending = false;
    quint64 m_fetchGeneration = 0; ///< a fetch answered after stop() is dropped
    std::chrono::milliseconds m_nextRetry{0};
    QElapsedTimer m_sinceRefresh;
    quint64 m_badSignaturesSeen = 0;
    QSet<QString> m_finalReported; ///< followed ids a delivery reported final
    WebhookServiceStats m_stats;
};

} // namespace brieflow

Q_DECLARE_METATYPE(brieflow::WebhookServiceStats)
Q_DECLARE_METATYPE(brieflow::WebhookDeliveryReport)
