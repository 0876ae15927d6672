// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

#include "core/provider/providertypes.h"
#include "core/replicate/replicaterequests.h"
#include "core/replicate/retrypolicy.h"
#include "core/util/result.h"

class QNetworkReply;

namespace brieflow {
class ProviderClock;
}

namespace brieflow::replicate {

/** A 2xx answer: status and body. */
struct HttpReply {
    int httpStatus = 0;
    QByteArray body;
    int attempts = 0;
};

/**
 * Sends HttpRequestSpecs on one QNetworkAccessManager with authentication, an own in-flight
 * window per host and a backlog in front of QNAM (QNAM never queues, so its transfer timeout
 * only ever counts time on the wire), retries through RetryPolicy on an injectable clock,
 * same-origin-only redirects, and token redaction in every error it reports.
 * Owned by ReplicateClient; one thread.
 */
class ReplicateTransport final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicateTransport)

public:
    using TokenSource = std::function<QString()>;
    using Completion = std::function<void(const Result<HttpReply, ProviderError> &)>;

    struct Options {
        TokenSource token;
        QByteArray userAgent;
        int maxInFlightPerHost = 6;
        std::chrono::milliseconds requestTimeout{30'000};   ///< QNAM transfer timeout
        std::chrono::milliseconds preferWaitMargin{15'000}; ///< added to Prefer: wait=N
        RetryPolicy retryPolicy;
        ProviderClock *clock = nullptr; ///< SystemClock::instance() when null
    };

    explicit ReplicateTransport(Options options, QObject *parent = nullptr);
    ~ReplicateTransport() override;

    /**
     * Queues @p spec; @p done runs once with the final outcome (after retries), from the event
     * loop. If @p context dies first the call is aborted and @p done dropped. Returns the id.
     */
    quint64 send(HttpRequestSpec spec, QObject *context, Completion done);
    /** Aborts call @p id: Canceled, or for a create already sent OutcomeUnknown. */
    void abort(quint64 id);

    /**
     * Opens a long-lived GET of a text/event-stream at @p url, outside the retry machinery. It
     * takes one slot of @p url's host window while open (so QNAM never queues behind it), and
     * at most maxInFlightPerHost − 2 streams share a host, leaving room for reads: nullptr when
     * that is used up or no token is configured. The token is sent only to the API's own origin
     * (@p apiBase) and to Replicate's HTTPS hosts. The caller owns the reply.
     */
    QNetworkReply *openStream(const QUrl &url, const QUrl &apiBase);

    /** Removes the current token from @p error's texts and body. */
    void redact(ProviderError &error) const;

    int inFlightCount() const;
    int peakInFlight() const { return m_peakInFlight; }
    int backlogCount() const { return static_cast<int>(m_backlog.size()); }

Q_SIGNALS:
    /** The server asked us to slow down (429); the call is retried after @p retryInMs. */
    void rateLimited(qint64 retryInMs);

private:
    enum class State { Queued, InFlight, WaitingRetry };
    struct Call;

    void pump();
    void start(Call &call);
    void onFinished(QNetworkReply *reply);
    void onRedirected(QNetworkReply *reply, const QUrl &target);
    Result<HttpReply, ProviderError> outcomeOf(Call &call, QNetworkReply *reply);
    void retryLater(quint64 id, std::chrono::milliseconds delay);
    void finish(quint64 id, Result<HttpReply, ProviderError> outcome, bool queued);
    void drop(quint64 id);
    static QString hostKey(const QUrl &url);

    Options m_options;
    ProviderClock *m_clock;
    QNetworkAccessManager m_nam;
    std::unordered_map<quint64, std::unique_ptr<Call>> m_calls;
    QHash<QNetworkReply *, quint64> m_replies;
    std::deque<quint64> m_backlog;
    QHash<QString, int> m_inFlight; ///< per host:port
    QHash<QString, int> m_streams;  ///< open streams per host:port (also counted in m_inFlight)
    int m_peakInFlight = 0;
    quint64 m_nextId = 1;
    bool m_pumping = false;
    bool m_pumpAgain = false;
};

} // namespace brieflow::replicate
