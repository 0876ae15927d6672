// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QObject>
#include <QPointer>

#include "core/provider/providertypes.h"
#include "core/util/result.h"

namespace brieflow {

template<typename T>
using ProviderResult = Result<T, ProviderError>;

/** Called exactly once with a call's outcome, unless the call's context object died first. */
template<typename T>
using ProviderCallback = std::function<void(const ProviderResult<T> &)>;

class ModelProvider;

/**
 * Names one call in flight so its owner can abort it. A cheap value; abort() is safe at any
 * time, also after the call finished or the provider is gone (it then does nothing).
 */
class CallHandle {
public:
    CallHandle() = default;
    CallHandle(ModelProvider *provider, quint64 id);

    /** Stops the call; its callback then receives Canceled (or OutcomeUnknown, see below). */
    void abort() const;
    bool isNull() const { return m_id == 0; }
    quint64 id() const { return m_id; }

private:
    QPointer<ModelProvider> m_provider;
    quint64 m_id = 0;
};

/**
 * The model API as the engine, the CLI and the GUI see it: asynchronous calls that report a
 * ProviderResult through a callback bound to a context QObject. Provider JSON never crosses
 * this interface. Use from the provider's thread only.
 *
 * Callback rules, for every call:
 *  - it runs on the provider's thread, from the event loop, never inside the call that started
 *    it and never inside CallHandle::abort();
 *  - it runs at most once; if @p context is destroyed first the call is aborted and the
 *    callback dropped; if the provider is destroyed first, in-flight calls are abandoned and
 *    their callbacks dropped;
 *  - reads (get, cancel, list, account, models) are retried internally on rate limits, 5xx,
 *    network errors and timeouts; the error you see is the last one, after the retries.
 *
 * createPrediction() is special: the provider has no idempotency key, so it is sent again only
 * when the previous attempt provably created nothing (429, connection refused, host not found).
 * Any failure after the request may have reached the server (timeout, reset, 5xx, an
 * unreadable 2xx, an abort while in flight) is reported as ProviderError::OutcomeUnknown and is
 * never re-sent: the caller reconciles through listPredictions() before creating again.
 */
class ModelProvider : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelProvider)

public:
    using QObject::QObject;
    ~ModelProvider() override;

    /**
     * Starts a prediction of @p request.model with @p request.input. Refused with InvalidRequest
     * (nothing sent) without a cancelAfter of at least 5 s. With preferWaitSeconds > 0 the
     * provider holds the answer up to that long, but a sync answer may still be `starting` or
     * `processing` with partial or even complete-looking output: it is NOT finished. Whatever
     * comes back, follow the prediction with getPrediction() until isTerminal(status).
     */
    virtual CallHandle createPrediction(const CreateRequest &request, QObject *context,
                                        ProviderCallback<Prediction> done) = 0;
    /** The current state of prediction @p id. */
    virtual CallHandle getPrediction(const QString &id, QObject *context,
                                     ProviderCallback<Prediction> done) = 0;
    /** Asks the provider to cancel @p id; the answer is the prediction after the request (it
     *  may still race to succeeded, so follow it until terminal). */
    virtual CallHandle cancelPrediction(const QString &id, QObject *context,
                                        ProviderCallback<Prediction> done) = 0;
    /** Predictions in a time window, newest first; see PredictionListQuery for paging. */
    virtual CallHandle listPredictions(const PredictionListQuery &query, QObject *context,
                                       ProviderCallback<PredictionPage> done) = 0;
    /** The account behind the token: the "Test connection" call. */
    virtual CallHandle account(QObject *context, ProviderCallback<Account> done) = 0;
    /** A model and its latest version with the normalised input schema. */
    virtual CallHandle getModel(const QString &owner, const QString &name, QObject *context,
                                ProviderCallback<ModelInfo> done) = 0;
    /** One version of a model with its normalised input schema. */
    virtual CallHandle getModelVersion(const QString &owner, const QString &name,
                                       const QString &versionId, QObject *context,
                                       ProviderCallback<ModelVersion> done) = 0;
    /** The signing secret ("whsec_…") of the account's default webhook. Keep it secret. */
    virtual CallHandle defaultWebhookSecret(QObject *context, ProviderCallback<QString> done) = 0;

    using StreamChunksCallback = std::function<void(const QList<StreamChunk> &)>;
    /**
     * Streams @p prediction's output while it is produced (text steps show tokens as they
     * arrive): @p onChunks runs for each batch received, then @p done once with how the stream
     * ended, or an error when it could not be opened (no stream for this model, the connection
     * window is busy, HTTP errors). Polling stays on regardless: the stream is a convenience.
     * The default implementation reports that the provider does not stream.
     */
    virtual CallHandle streamPrediction(const Prediction &prediction, QObject *context,
                                        StreamChunksCallback onChunks,
                                        ProviderCallback<StreamEnd> done);

Q_SIGNALS:
    /** The provider asked us to slow down (@p reason); calls resume by themselves after
     *  @p retryInMs. For the user: "Replicate asked us to slow down; continuing in 12 s". */
    void rateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);

protected:
    friend class CallHandle;
    /** CallHandle::abort() lands here; unknown or finished ids are ignored. */
    virtual void abortCall(quint64 id) = 0;
};

} // namespace brieflow
