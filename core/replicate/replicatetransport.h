// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

#include "core/provider/providertypes.h"
#include "core/replicate/replicaterequests.h"
#include "core/replicate/retrypolicy.h"
#include "core/replicate/tokenbucket.h"
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
 *
 * Rate limits (Replicate: 600 creates/min, 3000/min for everything else): before a request
 * leaves the backlog it takes a token from one of two TokenBuckets — creates from the create
 * bucket, every other call from the read bucket — and waits in the backlog (never failing) until
 * there is one. The buckets belong to the transport, so they are shared by every request of its
 * client: the engine's client is the app's one client for predictions, so the whole app stays
 * under the limits (a second client, e.g. a settings dialog's "Test connection", has its own).
 * A 429 holds its host: no request goes there before the server's Retry-After / retry_after.
 * A 429 that names the low-credit throttle ("reduced to 6 requests per minute with a burst of
 * 1 ... while you have less than $5.0 in credit") drops the create bucket to that limit for
 * Options::lowCreditPeriod; see there.
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
        /** Creates: 600/min in any minute, bursts of 10 (one every 101.5 ms after a burst). */
        TokenBucket::Rate createRate = TokenBucket::Rate::perMinute(600, 10);
        /** Every other call: 3000/min in any minute, bursts of 100 (reads come in bunches). */
        TokenBucket::Rate readRate = TokenBucket::Rate::perMinute(3000, 100);
        /** Creates after a low-credit 429, unless its text names other numbers: 6/min, burst 1. */
        TokenBucket::Rate lowCreditRate = TokenBucket::Rate::perMinute(6, 1);
        /**
         * How long creates stay at the low-credit rate after the last low-credit 429. The
         * throttle lasts while the credit is under $5, which the API does not tell us, so we
         * probe: after 10 minutes the normal rate returns, and if the credit is still low the
         * next burst costs one more 429 (retried, not failed) and ten more slow minutes. Short
         * enough that a top-up is noticed soon, long enough that a batch does not run into a
         * 429 every few creates.
         */
        std::chrono::milliseconds lowCreditPeriod{10 * 60 * 1000};
    };

    /** Why the server slowed us down (brieflow::RateLimitReason). */
    using RateLimitReason = brieflow::RateLimitReason;

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
     * (@p apiBase) and to Replicate's HTTPS hosts. The caller owns the reply. A stream takes no
     * rate-limit token and ignores a 429 hold: it is one GET per prediction, on its own host.
     */
    QNetworkReply *openStream(const QUrl &url, const QUrl &apiBase);

    /** Removes the current token from @p error's texts and body. */
    void redact(ProviderError &error) const;

    int inFlightCount() const;
    int peakInFlight() const { return m_peakInFlight; }
    int backlogCount() const { return static_cast<int>(m_backlog.size()); }

    /** The create bucket's rate now: Options::createRate, or a low-credit rate. */
    TokenBucket::Rate createRate() const { return m_createBucket.rate(); }
    /** True while creates are held to the low-credit rate. */
    bool lowCreditLimited() const { return m_lowCreditUntilMs != 0; }

Q_SIGNALS:
    /** The server asked us to slow down (429) because of @p reason; the call is retried after
     *  @p retryInMs, and no request goes to that host before the server's delay. */
    void rateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);

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
    /** A 429 answer: hold its host, and drop creates to the low-credit rate if it says so. */
    RateLimitReason onRateLimited(const Call &call, const ProviderError &error);
    void wakeAt(qint64 atMs);
    qint64 nowMs() const;
    static QString hostKey(const QUrl &url);

    Options m_options;
    ProviderClock *m_clock;
    QNetworkAccessManager m_nam;
    std::unordered_map<quint64, std::unique_ptr<Call>> m_calls;
    QHash<QNetworkReply *, quint64> m_replies;
    std::deque<quint64> m_backlog;
    QHash<QString, int> m_inFlight; ///< per host:port
    QHash<QString, int> m_streams;  ///< open streams per host:port (also counted in m_inFlight)
    TokenBucket m_createBucket;
    TokenBucket m_readBucket;
    QHash<QString, qint64> m_heldUntilMs; ///< per host:port, after a 429 with a server delay
    qint64 m_lowCreditUntilMs = 0;        ///< 0 = creates at Options::createRate
    std::optional<qint64> m_wakeAtMs;     ///< the earliest pump already scheduled on the clock
    int m_peakInFlight = 0;
    quint64 m_nextId = 1;
    bool m_pumping = false;
    bool m_pumpAgain = false;
};

} // namespace brieflow::replicate
