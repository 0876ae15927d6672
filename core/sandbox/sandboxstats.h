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
    int throttled = 0;                   ///< 429s sent, whatever the cause
    QMap<QString, int> faultsInjected;   ///< faultKindName() → times applied
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
    void countFault(const QString &kind);
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
