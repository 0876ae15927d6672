// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <QUrl>

#include "core/sandbox/sandboxclock.h"

namespace brieflow::sandbox {

class PredictionEngine;
class SandboxStats;
struct Prediction;
struct SandboxConfig;
struct SandboxUrls;

/** One attempt to deliver a webhook message, as the dispatcher records it. */
struct WebhookAttempt {
    QString messageId; ///< the webhook-id header, the same on every attempt
    QString predictionId;
    QString event; ///< "start", "output", "logs" or "completed"
    int attempt = 1;
    int httpStatus = 0; ///< 0 when there was no HTTP answer
    bool delivered = false;
    QByteArray body; ///< exactly the bytes signed and sent
};

/**
 * Sends a prediction's webhooks, signed the Standard Webhooks way with the account secret, for
 * the events its filter selects (default: all). output/logs are throttled; failures are retried
 * with doubling delays and the same webhook-id; redirects are not followed. Only loopback
 * receivers are contacted: the sandbox never sends traffic off the machine.
 */
class WebhookDispatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookDispatcher)

public:
    WebhookDispatcher(PredictionEngine *engine, SandboxClock *clock, SandboxStats *stats,
                      const SandboxConfig *config, const SandboxUrls *urls,
                      QObject *parent = nullptr);
    ~WebhookDispatcher() override;

    QString secret() const { return m_secret; }
    const QList<WebhookAttempt> &attempts() const { return m_attempts; }

    /** http(s) with a loopback host (127.0.0.0/8, ::1 or "localhost"). */
    static bool isLoopbackUrl(const QUrl &url);

private:
    struct Message {
        QString id;
        QString predictionId;
        QString event;
        QUrl url;
        QByteArray body;
        int attempt = 0;
    };
    struct Throttle {
        qint64 lastSentNs = 0;
        SandboxClock::TimerId pending = 0;
        QString pendingEvent;
    };

    bool wants(const Prediction &p, const QString &event) const;
    void onProgress(const QString &predictionId, const QString &event);
    void enqueue(const Prediction &p, const QString &event);
    void send(const std::shared_ptr<Message> &message);
    void onFinished(const std::shared_ptr<Message> &message, int httpStatus, bool networkError);

    PredictionEngine *m_engine;
    SandboxClock *m_clock;
    SandboxStats *m_stats;
    const SandboxConfig *m_config;
    const SandboxUrls *m_urls;
    QNetworkAccessManager m_network;
    QRandomGenerator m_rng;
    QString m_secret;
    QHash<QString, Throttle> m_throttles;
    QList<WebhookAttempt> m_attempts;
};

} // namespace brieflow::sandbox
