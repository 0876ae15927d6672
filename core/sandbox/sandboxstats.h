// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace brieflow::sandbox {

/** The counters at one moment; see SandboxStats. */
struct StatsSnapshot {
    QMap<QString, int> requestsPerEndpoint; ///< "POST /v1/predictions", "GET /v1/predictions/{id}"
    QMap<int, int> responsesPerStatus;
    QMap<QString, int> createsPerInput; ///< SandboxStats::inputKey() → predictions created
    int predictionsCreated = 0;
    int inFlight = 0;
    int peakInFlight = 0;
    int throttled = 0;                 ///< 429s sent, whatever the cause
    QMap<QString, int> faultsInjected; ///< faultKindName() → times applied
    /// "http_error 503 POST /v1/models/{owner}/{name}/predictions" (kind, detail, endpoint) →
    /// times applied, for the faults the server records with a detail
    QMap<QString, int> faultDetails;
    /// Retry-After audit, per bucket ("create", "get_prediction", "other"): 429s sent …
    QMap<QString, int> throttledPerBucket;
    /// … API requests that arrived before the Retry-After last announced for their bucket had
    /// passed, more than the in-flight grace after it was announced (sent after the client
    /// could have read it: a client that honours Retry-After keeps this at 0) …
    QMap<QString, int> earlyPerBucket;
    /// … and those that arrived within the grace (already on their way when the 429 left).
    QMap<QString, int> inGracePerBucket;
    /// Requests on a connection that was answered 429 for their bucket, more than the grace
    /// after that 429 and before its Retry-After had passed (HTTP/1.1 does not pipeline: the
    /// client had the 429 in hand; within the grace a request may still have been waiting
    /// inside the client's HTTP stack for that connection).
    int earlyOnConnection = 0;
    int webhookAttempts = 0;             ///< POSTs sent to receivers, retries included
    int webhookDelivered = 0;            ///< messages a receiver accepted with 2xx
    int webhookFailedAttempts = 0;       ///< attempts answered non-2xx or failed to connect
    int webhookGaveUp = 0;               ///< messages dropped after the last attempt or a 3xx
    int webhookRefused = 0;              ///< messages never sent: the URL was not loopback
    QMap<QString, int> webhooksPerEvent; ///< "start", "output", "logs", "completed" → messages
};

/**
 * What the sandbox has seen and done, for tests and benchmarks: requests per endpoint, creates
 * per canonical input (to count duplicate paid predictions), requests in flight, 429s, faults
 * and webhook deliveries.
 */
class SandboxStats {
public:
    /**
     * The key creates are counted under: sha256Hex(canonicalJson({@p kind: @p value, "input":
     * @p inputJson})), where @p kind is "version" (POST /v1/predictions; @p value as sent),
     * "model" (POST /v1/models/{owner}/{name}/predictions; "owner/name") or "deployment".
     */
    static QString inputKey(const QString &kind, const QString &value, const QByteArray &inputJson);

    void countRequest(const QString &endpoint);
    void countResponse(int status);
    void countCreate(const QString &inputKey);
    void requestStarted();
    void requestFinished();
    void countFault(const QString &kind, const QString &detail = {});
    void countThrottled(const QString &bucket);
    /** An API request arrived inside its bucket's announced Retry-After: after the grace
     *  (@p inGrace false) or within it. */
    void countArrivedBeforeRetryAfter(const QString &bucket, bool inGrace);
    void countEarlyOnConnection();
    void countWebhookMessage(const QString &event);
    void countWebhookAttempt(bool ok);
    void countWebhookGaveUp();
    void countWebhookRefused();
    void reset();

    const StatsSnapshot &snapshot() const { return m_stats; }
    QByteArray toJson() const;

private:
    StatsSnapshot m_stats;
};

} // namespace brieflow::sandbox
