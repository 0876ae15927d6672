// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replicateclient.h"

#include <limits>

#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include "core/replicate/modelschemaparser.h"
#include "core/replicate/predictionparser.h"
#include "core/replicate/replicateerrors.h"
#include "core/replicate/replicaterequests.h"
#include "core/replicate/replicatestreamreader.h"
#include "core/replicate/replicatetransport.h"
#include "core/version.h"

namespace brieflow::replicate {

namespace {

/**
 * Reports @p error from the event loop, never inside the call that was refused; dropped like any
 * other callback when @p context or the provider is gone by then.
 */
template<typename T>
CallHandle failLater(ModelProvider *provider, QObject *context, ProviderCallback<T> done,
                     ProviderError error)
{
    QTimer::singleShot(0, provider,
                       [guard = QPointer<QObject>(context), hasContext = context != nullptr,
                        done = std::move(done), error = std::move(error)] {
                           if (done && (!hasContext || guard))
                               done(fail(error));
                       });
    return {};
}

/** Sends @p spec and turns its 2xx body into a T with @p parse. */
template<typename T, typename Parse>
CallHandle send(ModelProvider *provider, ReplicateTransport *transport,
                Result<HttpRequestSpec, ProviderError> spec, QObject *context,
                ProviderCallback<T> done, Parse parse)
{
    if (!spec)
        return failLater<T>(provider, context, std::move(done), spec.error());
    const RequestKind kind = spec->kind;
    const quint64 id = transport->send(std::move(spec).value(), context,
                                       [transport, kind, done = std::move(done),
                                        parse](const Result<HttpReply, ProviderError> &reply) {
                                           if (!done)
                                               return;
                                           if (!reply) {
                                               done(fail(reply.error()));
                                               return;
                                           }
                                           Result<T, ProviderError> parsed = parse(reply->body);
                                           if (!parsed) {
                                               ProviderError error = parsed.error();
                                               error.httpStatus = reply->httpStatus;
                                               error.attempts = reply->attempts;
                                               if (kind == RequestKind::Create)
                                                   error = asCreateFailure(
                                                       std::move(error)); // a 2xx we cannot read
                                               transport->redact(error);
                                               done(fail(std::move(error)));
                                               return;
                                           }
                                           done(parsed);
                                       });
    return CallHandle(provider, id);
}

} // namespace

struct ReplicateClient::ListState {
    quint64 id = 0; ///< the first page's transport id names the whole listing
    QPointer<QObject> context;
    ProviderCallback<PredictionPage> done;
    PredictionPage collected;
    int pagesLeft = 1;
    int pagesFetched = 0;
};

ReplicateClient::ReplicateClient(Options options, QObject *parent)
    : ModelProvider(parent)
    , m_baseUrl(normalizeBaseUrl(options.baseUrl.isEmpty() ? defaultBaseUrl() : options.baseUrl))
{
    ReplicateTransport::Options transport;
    transport.token = std::move(options.token);
    transport.userAgent = userAgent();
    transport.maxInFlightPerHost = options.maxInFlightPerHost;
    transport.requestTimeout = options.requestTimeout;
    transport.preferWaitMargin = options.preferWaitMargin;
    transport.retryPolicy = RetryPolicy(options.retry, std::move(options.random));
    transport.clock = options.clock;
    if (!options.clientRateLimits) {
        const TokenBucket::Rate unlimited{std::numeric_limits<int>::max(),
                                          std::chrono::nanoseconds(1)};
        transport.createRate = unlimited;
        transport.readRate = unlimited;
    }
    m_transport = new ReplicateTransport(std::move(transport), this);
    // ModelProvider's signal has no reason yet; the transport's tells a low-credit throttle apart.
    connect(m_transport, &ReplicateTransport::rateLimited, this,
            [this](qint64 retryInMs, RateLimitReason reason) {
                Q_EMIT rateLimited(retryInMs, reason);
            });
}

ReplicateClient::~ReplicateClient() = default;

QByteArray ReplicateClient::userAgent()
{
    return QStringLiteral("Brieflow/%1 (Qt %2)")
        .arg(applicationVersion(), QString::fromLatin1(qVersion()))
        .toUtf8();
}

int ReplicateClient::inFlightCount() const
{
    return m_transport->inFlightCount();
}

int ReplicateClient::peakInFlight() const
{
    return m_transport->peakInFlight();
}

int ReplicateClient::backlogCount() const
{
    return m_transport->backlogCount();
}

CallHandle ReplicateClient::createPrediction(const CreateRequest &request, QObject *context,
                                             ProviderCallback<Prediction> done)
{
    if (!m_baseUrl.isValid())
        return failLater<Prediction>(this, context, std::move(done),
                                     invalidRequest(QStringLiteral("invalid API base URL")));
    return send<Prediction>(this, m_transport, buildCreateRequest(m_baseUrl, request), context,
                            std::move(done), parsePrediction);
}

CallHandle ReplicateClient::getPrediction(const QString &id, QObject *context,
                                          ProviderCallback<Prediction> done)
{
    return send<Prediction>(this, m_transport, buildGetPrediction(m_baseUrl, id), context,
                            std::move(done), parsePrediction);
}

CallHandle ReplicateClient::cancelPrediction(const QString &id, QObject *context,
                                             ProviderCallback<Prediction> done)
{
    return send<Prediction>(this, m_transport, buildCancelPrediction(m_baseUrl, id), context,
                            std::move(done), parsePrediction);
}

CallHandle ReplicateClient::listPredictions(const PredictionListQuery &query, QObject *context,
                                            ProviderCallback<PredictionPage> done)
{
    Result<HttpRequestSpec, ProviderError> first = buildListPredictions(m_baseUrl, query);
    if (!first)
        return failLater<PredictionPage>(this, context, std::move(done), first.error());
    if (query.maxPages <= 1)
        return send<PredictionPage>(this, m_transport, std::move(first), context, std::move(done),
                                    parsePredictionPage);

    auto state = std::make_shared<ListState>();
    state->context = context;
    state->done = std::move(done);
    state->pagesLeft = query.maxPages;
    state->id = sendPage(state, first->url);
    m_pagedCalls.insert(state->id, state->id);
    return CallHandle(this, state->id);
}

quint64 ReplicateClient::sendPage(const std::shared_ptr<ListState> &state, const QUrl &url)
{
    HttpRequestSpec spec;
    spec.url = url;
    return m_transport->send(
        std::move(spec), state->context,
        [this, state](const Result<HttpReply, ProviderError> &reply) { onPage(state, reply); });
}

void ReplicateClient::onPage(const std::shared_ptr<ListState> &state,
                             const Result<HttpReply, ProviderError> &reply)
{
    const auto finishWith = [this, &state](const Result<PredictionPage, ProviderError> &result) {
        m_pagedCalls.remove(state->id);
        if (state->done)
            state->done(result);
    };
    if (!reply) {
        finishWith(fail(reply.error()));
        return;
    }
    Result<PredictionPage, ProviderError> page = parsePredictionPage(reply->body);
    if (!page) {
        ProviderError error = page.error();
        error.httpStatus = reply->httpStatus;
        error.attempts = reply->attempts;
        m_transport->redact(error);
        finishWith(fail(std::move(error)));
        return;
    }
    if (state->pagesFetched++ == 0)
        state->collected.previous = page->previous;
    state->collected.predictions += page->predictions;
    state->collected.next = page->next;
    if (--state->pagesLeft <= 0 || page->next.isEmpty()) {
        finishWith(state->collected);
        return;
    }
    Result<HttpRequestSpec, ProviderError> next = buildNextPage(m_baseUrl, page->next);
    if (!next) {
        finishWith(fail(next.error()));
        return;
    }
    m_pagedCalls.insert(state->id, sendPage(state, next->url));
}

CallHandle ReplicateClient::account(QObject *context, ProviderCallback<Account> done)
{
    return send<Account>(this, m_transport, buildAccount(m_baseUrl), context, std::move(done),
                         parseAccount);
}

CallHandle ReplicateClient::getModel(const QString &owner, const QString &name, QObject *context,
                                     ProviderCallback<ModelInfo> done)
{
    return send<ModelInfo>(this, m_transport, buildGetModel(m_baseUrl, owner, name), context,
                           std::move(done), parseModel);
}

CallHandle ReplicateClient::getModelVersion(const QString &owner, const QString &name,
                                            const QString &versionId, QObject *context,
                                            ProviderCallback<ModelVersion> done)
{
    return send<ModelVersion>(this, m_transport,
                              buildGetModelVersion(m_baseUrl, owner, name, versionId), context,
                              std::move(done), parseModelVersion);
}

CallHandle ReplicateClient::defaultWebhookSecret(QObject *context, ProviderCallback<QString> done)
{
    return send<QString>(this, m_transport, buildDefaultWebhookSecret(m_baseUrl), context,
                         std::move(done), parseWebhookSecret);
}

CallHandle ReplicateClient::streamPrediction(const Prediction &prediction, QObject *context,
                                             StreamChunksCallback onChunks,
                                             ProviderCallback<StreamEnd> done)
{
    auto localError = [&](ProviderError::Kind kind, const QString &detail) {
        ProviderError error;
        error.kind = kind;
        error.detail = detail;
        error.mayHaveReachedServer = false;
        return failLater<StreamEnd>(this, context, std::move(done), error);
    };
    if (prediction.streamUrl.isEmpty() || !prediction.streamUrl.isValid())
        return localError(ProviderError::Kind::InvalidRequest,
                          QStringLiteral("This prediction has no stream"));
    QNetworkReply *reply = m_transport->openStream(prediction.streamUrl, m_baseUrl);
    if (!reply)
        return localError(ProviderError::Kind::RateLimited,
                          QStringLiteral("No connection free for a stream; polling instead"));

    const quint64 id = StreamIdBit | ++m_lastStreamId;
    auto *reader = new ReplicateStreamReader(reply, this);
    reply->setParent(reader);
    m_streams.insert(id, reader);
    const QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;

    connect(reader, &ReplicateStreamReader::itemsReceived, this,
            [guard, hasContext, onChunks](const QList<ReplicateStreamItem> &items) {
                if (!onChunks || (hasContext && !guard))
                    return;
                QList<StreamChunk> chunks;
                for (const ReplicateStreamItem &item : items) {
                    switch (item.kind) {
                    case ReplicateStreamItem::Kind::Text:
                        chunks.append({StreamChunk::Kind::Text, item.value});
                        break;
                    case ReplicateStreamItem::Kind::File:
                        chunks.append({StreamChunk::Kind::File, item.value});
                        break;
                    case ReplicateStreamItem::Kind::Logs:
                        chunks.append({StreamChunk::Kind::Logs, item.value});
                        break;
                    case ReplicateStreamItem::Kind::Error:
                    case ReplicateStreamItem::Kind::Done:
                        break;
                    }
                }
                if (!chunks.isEmpty())
                    onChunks(chunks);
            });
    connect(reader, &ReplicateStreamReader::finished, this,
            [this, id, reader, guard, hasContext, done = std::move(done)] {
                m_streams.remove(id);
                reader->deleteLater();
                if (!done || (hasContext && !guard))
                    return;
                if (const int status = reader->httpStatus(); status != 0 && status != 200) {
                    ProviderError error;
                    error.kind = status == 401   ? ProviderError::Kind::Unauthenticated
                                 : status == 404 ? ProviderError::Kind::NotFound
                                                 : ProviderError::Kind::HttpError;
                    error.httpStatus = status;
                    error.detail = QStringLiteral("The stream answered HTTP %1").arg(status);
                    done(fail(error));
                    return;
                }
                if (reader->networkError() == QNetworkReply::OperationCanceledError
                    && (reader->decoder().state() == ReplicateStreamState::Open
                        || reader->decoder().state() == ReplicateStreamState::EndedWithoutDone)) {
                    // Our own abort (a final event also aborts the reply, but leaves a final
                    // state behind).
                    ProviderError error;
                    error.kind = ProviderError::Kind::Canceled;
                    error.detail = QStringLiteral("The stream was closed");
                    done(fail(error));
                    return;
                }
                switch (reader->decoder().state()) {
                case ReplicateStreamState::Succeeded:
                    done(StreamEnd::Succeeded);
                    return;
                case ReplicateStreamState::Canceled:
                    done(StreamEnd::Canceled);
                    return;
                case ReplicateStreamState::Failed:
                    done(StreamEnd::Failed);
                    return;
                case ReplicateStreamState::TooLarge:
                    done(StreamEnd::TooLarge);
                    return;
                case ReplicateStreamState::Open:
                case ReplicateStreamState::EndedWithoutDone:
                    done(StreamEnd::EndedEarly);
                    return;
                }
            });
    return CallHandle(this, id);
}

void ReplicateClient::abortCall(quint64 id)
{
    if (id & StreamIdBit) {
        if (const QPointer<ReplicateStreamReader> reader = m_streams.value(id))
            reader->abort();
        return;
    }
    m_transport->abort(m_pagedCalls.value(id, id));
}

} // namespace brieflow::replicate
