// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QHash>
#include <QPointer>
#include <QUrl>

#include "core/provider/modelprovider.h"
#include "core/replicate/retrypolicy.h"

namespace brieflow {
class ProviderClock;
class ReplicateStreamReader;
} // namespace brieflow

namespace brieflow::replicate {

class ReplicateTransport;
struct HttpReply;

/**
 * ModelProvider on Replicate's HTTP API (v1), over one QNetworkAccessManager owned through its
 * ReplicateTransport. Builds the requests, parses the answers into our types and applies the
 * create-is-never-repeated rule; see ModelProvider for the callback contract. The token comes
 * from Options::token on every attempt and is never stored, logged or reported.
 */
class ReplicateClient final : public ModelProvider {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicateClient)

public:
    /** Returns the API token, or an empty string when none is configured. */
    using TokenSource = std::function<QString()>;

    struct Options {
        QUrl baseUrl;      ///< API root; empty = https://api.replicate.com/v1
        TokenSource token; ///< asked before every attempt
        /** Requests in flight per host; above 6, Qt 6.4 queues them on HTTP/1.1 again. */
        int maxInFlightPerHost = 6;
        /** Transfer timeout (no bytes moving), started when a request leaves our backlog. */
        std::chrono::milliseconds requestTimeout{30'000};
        /** Added to Prefer: wait=N for a sync create's transfer timeout. */
        std::chrono::milliseconds preferWaitMargin{15'000};
        RetryPolicy::Options retry;
        RetryPolicy::RandomSource random; ///< jitter; QRandomGenerator when empty
        ProviderClock *clock = nullptr;   ///< SystemClock when null; must outlive the client
        /**
         * Client-side token buckets (600 creates/min, 3000/min for the rest; see
         * ReplicateTransport). Off only for benchmarks of our own overhead against a local
         * sandbox without limits; 429s and Retry-After are honoured either way.
         */
        bool clientRateLimits = true;
    };

    explicit ReplicateClient(Options options, QObject *parent = nullptr);
    ~ReplicateClient() override;

    /** "Brieflow/<version> (Qt <runtime version>)". */
    static QByteArray userAgent();
    /** The normalised API root in use; invalid if Options::baseUrl was unusable. */
    QUrl baseUrl() const { return m_baseUrl; }

    CallHandle createPrediction(const CreateRequest &request, QObject *context,
                                ProviderCallback<Prediction> done) override;
    CallHandle getPrediction(const QString &id, QObject *context,
                             ProviderCallback<Prediction> done) override;
    CallHandle cancelPrediction(const QString &id, QObject *context,
                                ProviderCallback<Prediction> done) override;
    CallHandle listPredictions(const PredictionListQuery &query, QObject *context,
                               ProviderCallback<PredictionPage> done) override;
    CallHandle account(QObject *context, ProviderCallback<Account> done) override;
    CallHandle getModel(const QString &owner, const QString &name, QObject *context,
                        ProviderCallback<ModelInfo> done) override;
    CallHandle getModelVersion(const QString &owner, const QString &name, const QString &versionId,
                               QObject *context, ProviderCallback<ModelVersion> done) override;
    CallHandle defaultWebhookSecret(QObject *context, ProviderCallback<QString> done) override;
    /** Reads urls.stream (Server-Sent Events); see ModelProvider::streamPrediction. */
    CallHandle streamPrediction(const Prediction &prediction, QObject *context,
                                StreamChunksCallback onChunks,
                                ProviderCallback<StreamEnd> done) override;

    /** Requests handed to QNAM right now, over all hosts. */
    int inFlightCount() const;
    /** The most requests ever in flight to one host at once (tests check the window). */
    int peakInFlight() const;
    /** Requests waiting in our own backlog for a free slot. */
    int backlogCount() const;

protected:
    void abortCall(quint64 id) override;

private:
    struct ListState;
    quint64 sendPage(const std::shared_ptr<ListState> &state, const QUrl &url);
    void onPage(const std::shared_ptr<ListState> &state,
                const Result<HttpReply, ProviderError> &reply);

    QUrl m_baseUrl;
    ReplicateTransport *m_transport;
    /** Stream calls get ids with this bit set, apart from the transport's ids. */
    static constexpr quint64 StreamIdBit = quint64(1) << 62;
    quint64 m_lastStreamId = 0;
    QHash<quint64, QPointer<ReplicateStreamReader>> m_streams;
    /** Multi-page listings: our call id → the transport id of the page in flight. */
    QHash<quint64, quint64> m_pagedCalls;
};

} // namespace brieflow::replicate
