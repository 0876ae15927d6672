// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractHttpServer>
#include <QHash>
#include <QUrl>

#include "core/sandbox/exchange.h"
#include "core/sandbox/faultinjector.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/prediction.h"
#include "core/sandbox/predictionapi.h"
#include "core/sandbox/predictionengine.h"
#include "core/sandbox/ratelimiter.h"
#include "core/sandbox/sandboxclock.h"
#include "core/sandbox/sandboxconfig.h"
#include "core/sandbox/sandboxstats.h"
#include "core/sandbox/streamhub.h"
#include "core/sandbox/webhookdispatcher.h"

namespace brieflow::sandbox {

/**
 * The Replicate sandbox: Replicate's HTTP API (v1) on 127.0.0.1 only, for the offline demo and
 * the tests; point any Replicate client at baseUrl(). The control methods (also over HTTP under
 * /__control and /__stats) script latencies, limits, credit and faults and report statistics.
 * A QAbstractHttpServer, not a QHttpServer: handleRequest() hands over the raw socket, so answers
 * can wait (Prefer: wait), stream (SSE), be delayed or reset.
 */
class SandboxServer final : public QAbstractHttpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxServer)

public:
    explicit SandboxServer(const SandboxConfig &config = SandboxConfig(),
                           QObject *parent = nullptr);
    ~SandboxServer() override;

    /** Listens on 127.0.0.1 at the configured port (0: any free one). */
    bool start();
    QString errorString() const { return m_error; }
    quint16 port() const { return m_port; }
    /** "http://127.0.0.1:PORT/v1": what a client's base-URL option takes. */
    QUrl baseUrl() const;
    /** "http://127.0.0.1:PORT" */
    QString origin() const { return m_urls.origin; }
    /** The account's webhook signing secret, "whsec_…". */
    QString webhookSecret() const { return m_webhooks.secret(); }
    const SandboxConfig &config() const { return m_config; }

    // The control surface. Changes apply to requests and predictions from now on.

    /** @p model: "owner/name", "text", "image" or "*" for both. False for an unknown model. */
    bool setLatency(const QString &model, const LatencyDistribution &latency);
    void setRateLimits(const RateLimits &limits);
    void setCredit(CreditState credit);
    void setQuirks(const Quirks &quirks);
    /** Data removal after @p ms for predictions that finish from now on. */
    void setDataTtl(qint64 ms);
    void setPageSize(int size);
    void setRejectedTokenPrefixes(const QStringList &prefixes);
    void setStrictInputs(bool strict);
    int addFault(const FaultRule &rule);
    void clearFaults();
    QList<FaultRule> faults() const { return m_faults.rules(); }
    /** Moves the sandbox clock forward (deadlines, data TTL, rate-limit refills). */
    void advanceClock(qint64 ms);
    SandboxClock &clock() { return m_clock; }

    const StatsSnapshot &stats() const { return m_stats.snapshot(); }
    QByteArray statsJson() const { return m_stats.toJson(); }
    void resetStats() { m_stats.reset(); }
    /** A prediction with its internals (plan, output files and their SHA-256); nullptr if unknown.
     */
    const Prediction *prediction(const QString &id) const { return m_engine.find(id); }
    const QList<const Prediction *> &predictions() const { return m_engine.all(); }
    const QList<WebhookAttempt> &webhookAttempts() const { return m_webhooks.attempts(); }
    int openStreams() const { return m_streams.openStreams(); }
    const SandboxUrls &urls() const { return m_urls; }

    /**
     * The Retry-After audit's in-flight grace: a request arriving this soon after a 429 was
     * announced for its bucket may have been sent before the client could read it, so it is
     * counted apart (StatsSnapshot::inGracePerBucket) rather than as early.
     */
    static constexpr qint64 retryAfterGraceMs = 250;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void dispatch(const ExchangePtr &exchange);
    bool authenticate(const ExchangePtr &exchange);
    void openStream(const ExchangePtr &exchange);
    void respond(const ExchangePtr &exchange, HttpResponse response);
    void write(const ExchangePtr &exchange, const HttpResponse &response);
    void finish(const ExchangePtr &exchange);
    void auditArrival(const ExchangePtr &exchange);
    void auditThrottle(const ExchangePtr &exchange, const HttpResponse &response);

    SandboxConfig m_config;
    SandboxClock m_clock;
    ModelCatalog m_catalog;
    SandboxStats m_stats;
    SandboxUrls m_urls;
    RateLimiter m_limiter;
    FaultInjector m_faults;
    PredictionEngine m_engine;
    WebhookDispatcher m_webhooks;
    StreamHub m_streams;
    PredictionApi m_predictionApi;
    QString m_error;
    quint16 m_port = 0;
    struct Announced {
        qint64 atNs = 0;
        qint64 untilNs = 0;
    };
    QHash<int, Announced> m_announced; ///< per Bucket: the last Retry-After sent
};

/** "POST /v1/predictions/{id}/cancel": a request's endpoint with the ids taken out. */
QString endpointKey(const HttpRequest &request);

} // namespace brieflow::sandbox
